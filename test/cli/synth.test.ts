import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXIT } from '../../cli/support/exit-codes';
import { FIXTURE_CATALOGUE_DIR, validFixture, writeFixture } from '../support/fixture-catalogue';
import { tempDir } from '../support/temp-dir';

const ROOT = join(__dirname, '..', '..');
const synth = (...args: string[]) =>
  spawnSync(process.execPath, [join(ROOT, 'cli', 'bin.js'), 'synth', '--catalogue', FIXTURE_CATALOGUE_DIR, ...args], {
    encoding: 'utf8',
    cwd: ROOT,
  });

function readTree(dir: string): Record<string, string> {
  return Object.fromEntries(
    readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => {
        const path = join(e.parentPath, e.name);
        return [path.slice(dir.length), readFileSync(path, 'utf8')];
      }),
  );
}

describe('npm run synth', () => {
  const out = tempDir('css-synth-');

  test('writes every cluster of the fixture catalogue, byte-identical across runs', () => {
    const first = synth('--out', join(out, 'a'));
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(/wrote 4 clusters/);
    expect(synth('--out', join(out, 'b')).status).toBe(0);
    const a = readTree(join(out, 'a'));
    const written = ['aks-weu-prod', 'aks-weu-staging', 'edge-k3s-ams-01', 'k3s-onprem-01'].flatMap((c) => [
      `${c}/00-cluster-scoped.yaml`,
      `${c}/10-namespaced.yaml`,
    ]);
    expect(Object.keys(a).sort()).toEqual(['/.central-secret-store-output.json', ...written.map((f) => `/${f}`)]);
    expect(JSON.parse(a['/.central-secret-store-output.json'])).toEqual({ writtenBy: 'central-secret-store synth', files: written });
    expect(readTree(join(out, 'b'))).toEqual(a);
  });

  test('an invalid catalogue fails with every error and leaves the previous output untouched', () => {
    const target = join(out, 'keep');
    expect(synth('--out', target).status).toBe(0);
    const before = readTree(target);
    const fixture = validFixture();
    (fixture.teams.alpha.clusters as any).c1.namespaces[0].requests = ['nope'];
    (fixture.teams.beta.clusters as any).c1.namespaces[0].name = 'Bad';
    const result = synth('--catalogue', writeFixture(fixture), '--out', target);
    expect(result.status).toBe(EXIT.invalidCatalogue);
    expect(result.stderr).toMatch(/The catalogue has 2 errors; nothing was written/);
    expect(result.stderr).toMatch(/teams\/alpha\.yaml:\d+: clusters\.c1\.namespaces\[0\]\.requests\[0\]: unknown credential "nope"/);
    expect(result.stderr).toMatch(/teams\/beta\.yaml:\d+: clusters\.c1\.namespaces\[0\]\.name: must be a DNS-1123 label/);
    expect(readTree(target)).toEqual(before);
  });

  test('an expired tenant secret is refused and one about to expire is warned about', () => {
    const target = join(out, 'validity');
    const catalogueDir = writeFixture(validFixture());
    const expired = synth('--catalogue', catalogueDir, '--out', target, '--now', '2030-02-01T00:00:00Z');
    expect(expired.status).toBe(EXIT.invalidCatalogue);
    expect(expired.stderr).toMatch(
      /teams\/alpha\.yaml:\d+: clusters\.c1\.namespaces\[0\]\.secrets\[0\]\.expires: secret "db" expired on 2030-01-01T00:00:00Z/,
    );
    expect(existsSync(target)).toBe(false);
    const soon = synth('--catalogue', catalogueDir, '--out', target, '--now', '2029-12-01T00:00:00Z', '--expiry-warning-days', '60');
    expect(soon.status).toBe(0);
    expect(soon.stderr).toMatch(
      /warning: .*teams\/alpha\.yaml:\d+: clusters\.c1\.namespaces\[0\]\.secrets\[0\]\.expires: secret "db" expires on 2030-01-01T00:00:00Z, in 31 days/,
    );
  });

  test('a removed cluster leaves no stale folder', () => {
    const target = join(out, 'fixture');
    const fixture = validFixture();
    fixture.clusters.clusters.push({ name: 'c2', environment: 'prod', kind: 'generic', region: 'edge' });
    expect(synth('--catalogue', writeFixture(fixture), '--out', target).status).toBe(0);
    expect(existsSync(join(target, 'c2'))).toBe(true);
    expect(synth('--catalogue', writeFixture(validFixture()), '--out', target).status).toBe(0);
    expect(readdirSync(target).sort()).toEqual(['.central-secret-store-output.json', 'c1']);
  });

  test('a folder that is not synth output is refused, whole, before anything is written', () => {
    const notes = join(out, 'notes');
    mkdirSync(notes);
    writeFileSync(join(notes, 'todo.md'), 'my notes');
    const refused = synth('--out', notes);
    expect(refused.status).toBe(EXIT.error);
    expect(refused.stderr).toMatch(/synth: nothing was written: --out .*notes: .* is not empty and is not the output of an earlier synth/);
    expect(readTree(notes)).toEqual({ '/todo.md': 'my notes' });
    // `--out .` in a repository.
    const here = spawnSync(process.execPath, [join(ROOT, 'cli', 'bin.js'), 'synth', '--catalogue', FIXTURE_CATALOGUE_DIR, '--out', '.'], {
      encoding: 'utf8',
      cwd: ROOT,
    });
    expect(here.status).toBe(EXIT.error);
    expect(
      execFileSync('git', ['-C', ROOT, 'status', '--porcelain', '--ignored', '--', '.central-secret-store-output.json', 'aks-weu-prod'], {
        encoding: 'utf8',
      }),
    ).toBe('');
  });

  test('a file added to an earlier output makes the next synth refuse, and keeps the file', () => {
    const target = join(out, 'grown');
    expect(synth('--out', target).status).toBe(0);
    writeFileSync(join(target, 'aks-weu-prod', 'extra.yaml'), 'mine');
    const refused = synth('--out', target);
    expect(refused.status).toBe(EXIT.error);
    expect(refused.stderr).toMatch(/holds files synth did not write \(aks-weu-prod\/extra\.yaml\)/);
    expect(readFileSync(join(target, 'aks-weu-prod', 'extra.yaml'), 'utf8')).toBe('mine');
  });

  test('a symlinked --out is followed: the folder it points to is written and the link stays', () => {
    const real = join(out, 'real-target');
    const link = join(out, 'link');
    symlinkSync(real, link);
    expect(synth('--out', link).status).toBe(0);
    expect(synth('--out', link).status).toBe(0);
    expect(realpathSync(link)).toBe(realpathSync(real));
    expect(readdirSync(real).sort()).toEqual([
      '.central-secret-store-output.json',
      'aks-weu-prod',
      'aks-weu-staging',
      'edge-k3s-ams-01',
      'k3s-onprem-01',
    ]);
  });

  test('an output written before markers existed is recognised and replaced', () => {
    const legacy = join(out, 'legacy');
    mkdirSync(join(legacy, 'old-cluster'), { recursive: true });
    writeFileSync(join(legacy, 'old-cluster', '00-cluster-scoped.yaml'), '');
    writeFileSync(join(legacy, 'old-cluster', '10-namespaced.yaml'), '');
    expect(synth('--out', legacy).status).toBe(0);
    expect(existsSync(join(legacy, 'old-cluster'))).toBe(false);
  });

  test('a TypeScript tenant that exits at import cannot make synth succeed', () => {
    const catalogue = writeFixture(validFixture());
    writeFileSync(join(catalogue, 'teams', 'gate.ts'), 'process.exit(0);\nexport default {};\n');
    const target = join(out, 'gated');
    const result = synth('--catalogue', catalogue, '--out', target);
    expect(result.status).toBe(EXIT.invalidCatalogue);
    expect(result.stderr).toMatch(/teams\/gate\.ts: \(file\): ended the process while loading \(exited with code 0\)/);
    expect(existsSync(target)).toBe(false);
  });

  test('the output holds no Secret objects, only references, and dist/ is never tracked by git', () => {
    const text = Object.values(readTree(join(out, 'a'))).join('\n');
    expect(text).not.toMatch(/kind: Secret\n/);
    expect(execFileSync('git', ['-C', ROOT, 'ls-files', 'dist'], { encoding: 'utf8' })).toBe('');
  });
});
