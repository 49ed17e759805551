/**
 * `npm run report`: writes the page (the same bytes every time), or its data as JSON, and refuses an invalid
 * catalogue with its errors and exit code 2. What the page shows is tested in a browser (test/report).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXIT } from '../../cli/support/exit-codes';
import { FIXTURE_CATALOGUE_DIR, validFixture, writeFixture } from '../support/fixture-catalogue';
import { tempDir } from '../support/temp-dir';

const ROOT = join(__dirname, '..', '..');
const report = (...args: string[]) =>
  spawnSync(process.execPath, [join(ROOT, 'cli', 'bin.js'), 'report', '--catalogue', FIXTURE_CATALOGUE_DIR, ...args], {
    encoding: 'utf8',
    cwd: ROOT,
  });

describe('npm run report', () => {
  const out = tempDir('css-report-');

  test('writes one self-contained page of the fixture catalogue, byte-identical across runs at one --now', () => {
    const first = report('--now', '2026-12-04T10:30:00Z', '--out', join(out, 'a.html'));
    expect(first.stderr).toBe('');
    expect(first.stdout).toMatch(/^report: wrote .*a\.html \([\d,]+ bytes\): 4 tenants, 15 namespaces, 8 credentials, 4 clusters\n$/);
    expect(first.status).toBe(EXIT.ok);
    expect(report('--now', '2026-12-04T10:30:00Z', '--out', join(out, 'b.html')).status).toBe(EXIT.ok);
    const page = readFileSync(join(out, 'a.html'), 'utf8');
    expect(readFileSync(join(out, 'b.html'), 'utf8')).toBe(page);
    expect(page).toMatch(/^<!doctype html>/);
    // Self-contained: nothing is loaded from anywhere, and the page may not try.
    expect(page).not.toMatch(/<(script|link|img)[^>]+(src|href)=/);
    expect(page).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'"`);
  });

  test('--json writes the data of the page', () => {
    expect(report('--json', '--out', join(out, 'data.json')).status).toBe(EXIT.ok);
    const data = JSON.parse(readFileSync(join(out, 'data.json'), 'utf8'));
    expect(data.namespaces.find((n: any) => n.name === 'search-indexer')).toEqual({
      cluster: 'aks-weu-prod',
      tenant: 'search',
      name: 'search-indexer',
      credentials: [
        { credential: 'acr-pull', formats: ['dockerconfigjson'], pullSecretOf: [] },
        { credential: 'datadog-api', formats: ['opaque'], pullSecretOf: [] },
        { credential: 'entra-oauth-client', formats: ['oauth'], pullSecretOf: [] },
        { credential: 'ghcr-pull', formats: ['dockerconfigjson', 'kargo'], pullSecretOf: [] },
      ],
      ownSecrets: [
        {
          name: 'indexer-identity',
          global: false,
          serviceAccount: 'indexer',
          backend: 'keyVault',
          vaultSecrets: ['search--indexer-client-key'],
        },
        {
          name: 'search-opensearch',
          global: true,
          serviceAccount: null,
          backend: 'keyVault',
          vaultSecrets: ['search--opensearch-password'],
        },
      ],
    });
  });

  test("states when it was generated and the commit of the catalogue's repository; --now and --commit fix them", () => {
    const data = (...args: string[]) => {
      const file = join(out, `source-${args.join('-').replace(/[^a-z0-9]+/gi, '-')}.json`);
      const result = report('--json', '--out', file, ...args);
      expect(result.stderr).toBe('');
      return JSON.parse(readFileSync(file, 'utf8'));
    };
    const head = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    const example = data('--now', '2026-12-04T10:30:00Z');
    expect(example).toMatchObject({ generatedAt: '2026-12-04T10:30:00.000Z', commit: head });
    expect(typeof example.uncommittedChanges).toBe('boolean');
    // A catalogue folder outside any repository has no commit.
    expect(data('--catalogue', writeFixture(validFixture()), '--now', '2026-12-04T10:30:00Z')).toMatchObject({
      commit: null,
      uncommittedChanges: false,
    });
    expect(data('--commit', 'abc1234')).toMatchObject({ commit: 'abc1234', uncommittedChanges: false });
    expect(data('--commit', 'none').commit).toBeNull();
    const before = Date.now();
    expect(Date.parse(data().generatedAt)).toBeGreaterThanOrEqual(before - 1000);
  });

  test('--json: the ServiceAccounts that pull with a credential', () => {
    expect(report('--json', '--out', join(out, 'pull.json')).status).toBe(EXIT.ok);
    const payments = JSON.parse(readFileSync(join(out, 'pull.json'), 'utf8')).namespaces.find((n: any) => n.name === 'payments-api');
    expect(payments.credentials.filter((c: any) => c.pullSecretOf.length > 0)).toEqual([
      { credential: 'acr-pull', formats: ['dockerconfigjson'], pullSecretOf: ['default'] },
      { credential: 'ghcr-pull', formats: ['dockerconfigjson', 'kargo'], pullSecretOf: ['default', 'settlement-worker'] },
    ]);
  });

  test('an invalid catalogue writes nothing and exits 2 with its errors', () => {
    const fixture = validFixture();
    (fixture.teams.beta.clusters as any).c1.namespaces[0].requests = ['registry'];
    const result = report('--catalogue', writeFixture(fixture), '--out', join(out, 'invalid.html'));
    expect(result.stderr).toMatch(
      /^report: the catalogue has 1 error:\n {2}.*beta\.yaml:\d+: clusters\.c1\.namespaces\[0\]\.requests\[0\]: tenant "beta" may not request credential "registry"/,
    );
    expect(result.status).toBe(EXIT.invalidCatalogue);
    expect(() => readFileSync(join(out, 'invalid.html'))).toThrow();
  });
});
