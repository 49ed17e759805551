/**
 * Names of the system and of the platform. The product creates and labels every tenant namespace, so a tenant
 * namespace named like one of Kubernetes' (default, kube-*), the product's central namespace, ESO's,
 * Reloader's or the canary's would be taken over for a tenant: refused, saying why. Names that only look like
 * another tool's system namespace (*-system, openshift-*), and tenants named like system namespaces, are warned
 * about through synth's warning channel. And a pull secret listed twice is refused, as a request listed twice is.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { EXIT } from '../../cli/support/exit-codes';
import { catalogueWarnings, loadCatalogue } from '../../tenants/lib';
import { type FixtureCatalogue, catalogueIssues, validFixture, writeFixture, FIXTURE_CATALOGUE_DIR } from '../support/fixture-catalogue';
import { tempDir } from '../support/temp-dir';

const ROOT = join(__dirname, '..', '..');
const betaNs = (f: FixtureCatalogue) => (f.teams.beta.clusters as any).c1.namespaces[0];
const alphaNs = (f: FixtureCatalogue) => (f.teams.alpha.clusters as any).c1.namespaces[0];

function issuesOf(mutate: (f: FixtureCatalogue) => void): string[] {
  const fixture = validFixture();
  mutate(fixture);
  return catalogueIssues(writeFixture(fixture)).map((i) => `${i.path}: ${i.message}`);
}

describe('namespaces the product would take over', () => {
  test.each([
    ['default', /Kubernetes' default namespace/],
    ['kube-system', /Kubernetes reserves the kube- prefix/],
    ['kube-flannel', /Kubernetes reserves the kube- prefix/],
    ['central-secret-store', /the product's central namespace, which holds every credential's master/],
    ['external-secrets', /the External Secrets Operator's namespace/],
    ['reloader', /Reloader's namespace, which the stacks install/],
  ])('a tenant namespace named %s is refused, saying why', (name, why) => {
    const issues = issuesOf((f) => (betaNs(f).name = name));
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatch(new RegExp(`^clusters\\.c1\\.namespaces\\[0\\]\\.name: namespace "${name}" is `));
    expect(issues[0]).toMatch(why);
    expect(issues[0]).toMatch(
      /the product creates and labels a tenant's namespaces, so it would take this one over for tenant beta; choose another name$/,
    );
  });

  test('the canary namespace may not be a kube- namespace either', () => {
    const issues = issuesOf((f) => (f.clusters.clusters[0].canary = { namespace: 'kube-canary' }));
    expect(issues).toEqual([
      expect.stringMatching(/^clusters\[0\]\.canary\.namespace: namespace "kube-canary" is reserved: Kubernetes reserves the kube- prefix/),
    ]);
  });
});

describe('names that only look like system ones are warned about', () => {
  test("a tenant named like a system namespace, and a namespace named like another tool's", () => {
    const fixture = validFixture();
    fixture.teams.beta.name = 'kube-system';
    (fixture.teams.beta as any).clusters.c1.namespaces = [{ name: 'beta-app' }, { name: 'istio-system' }, { name: 'openshift-config' }];
    const warnings = catalogueWarnings(loadCatalogue(writeFixture(fixture))).map(
      (w) => `${w.file.split('/').pop()}:${w.line} ${w.path}: ${w.message}`,
    );
    expect(warnings).toEqual([
      expect.stringMatching(
        /^beta\.yaml:\d+ name: tenant "kube-system" is named like Kubernetes' namespace kube-system: its tenant label, store tenant-kube-system and vault space could be taken for the system's; consider another name$/,
      ),
      expect.stringMatching(
        /^beta\.yaml:\d+ clusters\.c1\.namespaces\[1\]\.name: namespace "istio-system" is named like another tool's system namespace \(\*-system\); the product will create it if missing and label it for tenant kube-system: make sure the tenant owns it$/,
      ),
      expect.stringMatching(
        /^beta\.yaml:\d+ clusters\.c1\.namespaces\[2\]\.name: namespace "openshift-config" is named like another tool's system namespace \(openshift-\*\)/,
      ),
    ]);
  });

  test('the example catalogue has none, and synth prints them as warnings and still writes', () => {
    expect(catalogueWarnings(loadCatalogue(FIXTURE_CATALOGUE_DIR))).toEqual([]);
    const fixture = validFixture();
    betaNs(fixture).name = 'flux-system';
    const dir = writeFixture(fixture);
    const result = spawnSync(
      process.execPath,
      [
        join(ROOT, 'cli', 'bin.js'),
        'synth',
        '--catalogue',
        dir,
        '--out',
        join(tempDir('css-synth-warn-'), 'out'),
        '--now',
        '2026-06-01T00:00:00Z',
      ],
      { encoding: 'utf8', cwd: ROOT },
    );
    expect(result.stderr).toMatch(
      /^warning: \S*teams\/beta\.yaml:\d+: clusters\.c1\.namespaces\[0\]\.name: namespace "flux-system" is named like another tool's system namespace/m,
    );
    expect(result.status).toBe(EXIT.ok);
  });
});

describe('pull secrets', () => {
  test('a pull secret listed twice is refused, as a request listed twice is', () => {
    expect(
      issuesOf(
        (f) => (alphaNs(f).imagePullSecrets = [{ credential: 'registry' }, { credential: 'registry', serviceAccounts: ['builder'] }]),
      ),
    ).toEqual([
      'clusters.c1.namespaces[0].imagePullSecrets[1].credential: credential "registry" is listed twice under imagePullSecrets (its dockerconfigjson Secret registry-dockerconfigjson); name all its ServiceAccounts in one entry',
    ]);
    // Also when one entry names the format the other defaults to.
    expect(
      issuesOf((f) => (alphaNs(f).imagePullSecrets = [{ credential: 'registry' }, { credential: 'registry', format: 'dockerconfigjson' }])),
    ).toEqual([
      expect.stringMatching(/^clusters\.c1\.namespaces\[0\]\.imagePullSecrets\[1\]\.credential: credential "registry" is listed twice/),
    ]);
  });
});
