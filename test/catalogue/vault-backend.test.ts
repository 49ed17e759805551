/**
 * Catalogues with a HashiCorp Vault environment: the same catalogue with both backends synthesizes and
 * validates, and every Vault rule reports its file, line, field path and reason, all at once.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { synthesizeCluster } from '../../plane';
import { type CatalogueIssue, loadCatalogue } from '../../tenants/lib';
import { type FixtureCatalogue, catalogueIssues, vaultFixture, writeFixture, FIXTURE_CATALOGUE_DIR } from '../support/fixture-catalogue';
import { schemaErrors } from '../support/schemas';

const CA = /caBundle: \|\n((?: {8}.*\n)+)/
  .exec(readFileSync(join(FIXTURE_CATALOGUE_DIR, 'clusters.yaml'), 'utf8'))![1]
  .replace(/^ {8}/gm, '');

/** The issues of a fixture broken by `mutate`, each with the text of the line it points at. */
function issuesOf(mutate: (f: FixtureCatalogue) => void, fixture = vaultFixture()): (CatalogueIssue & { text?: string })[] {
  mutate(fixture);
  // Files are named relative to the working directory, as the loader shows them.
  return catalogueIssues(writeFixture(fixture)).map((issue) => ({
    ...issue,
    text: issue.line === undefined ? undefined : readFileSync(issue.file, 'utf8').split('\n')[issue.line - 1],
  }));
}
const where = (issues: CatalogueIssue[]) =>
  issues.map(
    (i) =>
      `${i.file
        .split('/')
        .slice(-2)
        .join('/')
        .replace(/^[^/]*\//, '')} ${i.path}`,
  );
const env = (f: FixtureCatalogue) => (f.clusters.environments[1] as any).vault;
const alphaLab = (f: FixtureCatalogue) => (f.teams.alpha.clusters as any).v1.namespaces[0].secrets[0];

describe('a catalogue with one Key Vault and one Vault environment', () => {
  test('validates and synthesizes every cluster into schema-valid objects', () => {
    for (const tenantSpaces of ['mounts', 'namespaces'] as const) {
      const catalogue = loadCatalogue(writeFixture(vaultFixture(tenantSpaces)));
      expect(catalogue.environments.map((e) => [e.name, e.keyVault ? 'keyVault' : 'vault'])).toEqual([
        ['lab', 'vault'],
        ['prod', 'keyVault'],
      ]);
      for (const cluster of catalogue.clusters) {
        const { clusterScoped, namespaced } = synthesizeCluster(catalogue, cluster.name);
        expect([...clusterScoped, ...namespaced].flatMap(schemaErrors)).toEqual([]);
        const providers = clusterScoped.filter((o) => o.kind === 'ClusterSecretStore').map((s: any) => Object.keys(s.spec.provider)[0]);
        expect(new Set(providers)).toEqual(new Set(cluster.environment === 'lab' ? ['vault', 'kubernetes'] : ['azurekv', 'kubernetes']));
      }
    }
  });

  test('the example catalogue is one: Key Vault clusters and a Vault cluster', () => {
    const example = loadCatalogue(FIXTURE_CATALOGUE_DIR);
    expect(new Set(example.environments.map((e) => (e.vault ? 'vault' : 'keyVault')))).toEqual(new Set(['vault', 'keyVault']));
    expect(example.clusters.some((c) => example.environments.find((e) => e.name === c.environment)?.vault)).toBe(true);
  });

  test('with namespaces, a tenant store reads the tenant namespace and logs in there', () => {
    const catalogue = loadCatalogue(writeFixture(vaultFixture('namespaces')));
    const store: any = synthesizeCluster(catalogue, 'v1').clusterScoped.find((o) => o.metadata.name === 'tenant-alpha');
    expect(store.spec.provider.vault).toMatchObject({ namespace: 'admin/css-tenant-alpha', path: 'secret' });
    expect(store.spec.provider.vault.auth).toEqual({
      kubernetes: {
        mountPath: 'css-kubernetes-v1',
        role: 'css-tenant-alpha',
        serviceAccountRef: { name: 'external-secrets', namespace: 'external-secrets', audiences: ['vault:css-tenant-alpha'] },
      },
    });
  });

  test("a path naming another tenant's mount still reads the tenant's own mount: paths are relative to the store", () => {
    const fixture = vaultFixture();
    alphaLab(fixture).vault = { password: 'css-tenant-beta/db#pw' };
    const catalogue = loadCatalogue(writeFixture(fixture));
    const objects = [...synthesizeCluster(catalogue, 'v1').clusterScoped, ...synthesizeCluster(catalogue, 'v1').namespaced] as any[];
    const es = objects.find((o) => o.kind === 'ExternalSecret' && o.metadata.name === 'db');
    const store = objects.find((o) => o.metadata.name === es.spec.secretStoreRef.name);
    expect(store.spec.provider.vault.path).toBe('css-tenant-alpha');
    expect(es.spec.data).toEqual([{ secretKey: 'password', remoteRef: { key: 'css-tenant-beta/db', property: 'pw' } }]);
  });
});

describe('Vault rules, each with file, line, field path and reason', () => {
  test('an environment names exactly one backend', () => {
    const both = issuesOf((f) =>
      Object.assign(f.clusters.environments[1] as object, {
        keyVault: { name: 'kv-lab', tenantId: '6f1c2a4e-8b3d-4c5e-9f70-1a2b3c4d5e6f' },
      }),
    );
    expect(where(both)).toEqual(['clusters.yaml environments[1]']);
    expect(both[0].message).toBe('needs exactly one backend: keyVault (Azure Key Vault) or vault (HashiCorp Vault)');
    expect(both[0].text).toMatch(/name: lab/);
  });

  test('the address is https, the CA bundle holds certificates only, the layout keeps spaces apart', () => {
    const issues = issuesOf((f) => {
      Object.assign(env(f), {
        address: 'http://vault.lab.example:8200',
        caBundle: `${CA}-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIA==\n-----END PRIVATE KEY-----\n`,
        tenantPrefix: 'css',
        sharedMount: 'sys/shared',
      });
    });
    expect(where(issues)).toEqual([
      'clusters.yaml environments[1].vault.address',
      'clusters.yaml environments[1].vault.caBundle',
      'clusters.yaml environments[1].vault.sharedMount',
      'clusters.yaml environments[1].vault.tenantPrefix',
    ]);
    expect(issues.map((i) => i.message)).toEqual([
      'must be an https:// URL such as https://vault.contoso.example:8200: ESO sends a ServiceAccount token to log in',
      expect.stringMatching(
        /holds a PEM "PRIVATE KEY" block; a CA bundle holds certificates only, and a private key never belongs in the catalogue/,
      ),
      expect.stringMatching(/must be a Vault path: .* not starting with sys, auth/),
      expect.stringMatching(/must be a Vault path ending in "-", "_" or "\/"/),
    ]);
    for (const issue of issues) expect(issue.text).toContain(issue.path.split('.').pop()!);
  });

  test('a shared mount inside the tenant prefix, a tenant prefix inside the shared mount, a nested prefix with namespaces', () => {
    expect(issuesOf((f) => Object.assign(env(f), { sharedMount: 'css-tenant-shared' })).map((i) => `${i.path}: ${i.message}`)).toEqual([
      'environments[1].vault.sharedMount: must not start with tenantPrefix "css-tenant-": it would be the space of tenant "shared"',
    ]);
    expect(
      issuesOf((f) => Object.assign(env(f), { sharedMount: 'css', tenantPrefix: 'css/tenants/' })).map((i) => `${i.path}: ${i.message}`),
    ).toEqual(['environments[1].vault.tenantPrefix: must not start with "css/": tenant spaces would lie inside the shared mount']);
    expect(issuesOf((f) => Object.assign(env(f), { tenantPrefix: 'css/tenants/' }), vaultFixture('namespaces')).map((i) => i.path)).toEqual(
      ['environments[1].vault.tenantPrefix'],
    );
  });

  test("a credential offered on a Vault cluster names its master's paths, with the keys of its Key Vault names", () => {
    const missing = issuesOf((f) => delete f.credentials.credentials[0].vault);
    expect(where(missing)).toEqual(['credentials.yaml credentials[0].vault']);
    expect(missing[0].message).toBe(
      'credential "registry" is offered on cluster v1, whose environment lab keeps its secrets in HashiCorp Vault; add vault: with the paths of its master in the shared mount css-shared',
    );
    // The field is missing, so the line is the credential's own.
    expect(missing[0].text).toBe('  - name: registry');
    const keys = issuesOf((f) => (f.credentials.credentials[0].vault = { username: 'registry' }));
    expect(keys.map((i) => `${i.path}: ${i.message}`)).toEqual(['credentials[0].vault.password: missing field "password" (text)']);
    expect(keys[0].text).toBe('    vault:');
    const mountPrefixed = issuesOf((f) => (f.credentials.credentials[0].vault = { username: 'css-shared/registry', password: 'registry' }));
    expect(mountPrefixed.map((i) => `${i.path}: ${i.message}`)).toEqual([
      'credentials[0].vault.username: Vault path "css-shared/registry" starts with the shared mount "css-shared/"; write it relative to the mount: "registry"',
    ]);
  });

  test('a generic credential names the same keys in both backends', () => {
    const issues = issuesOf((f) => {
      f.credentials.credentials.push({
        name: 'api',
        kind: 'generic',
        keyVault: { token: 'api-token' },
        vault: { key: 'api#key' },
        allowedTenants: ['alpha'],
      });
    });
    expect(issues.map((i) => `${i.path}: ${i.message}`)).toEqual([
      'credentials[1].vault: must name the same master keys as keyVault (token), got key: the master Secret has one set of keys',
    ]);
  });

  test("own secrets name the backend of their cluster's environment", () => {
    const issues = issuesOf((f) => {
      alphaLab(f).keyVault = { password: 'alpha--db' };
      delete alphaLab(f).vault;
      (f.teams.alpha.clusters as any).c1.namespaces[0].secrets[0].vault = { password: 'db' };
    });
    expect(issues.map((i) => `${i.file.split('/').pop()} ${i.path}: ${i.message}`)).toEqual([
      "alpha.yaml clusters.c1.namespaces[0].secrets[0].vault: cluster c1 is in environment prod, which keeps its secrets in Azure Key Vault; name the secret's values under keyVault, not vault",
      "alpha.yaml clusters.v1.namespaces[0].secrets[0].keyVault: cluster v1 is in environment lab, which keeps its secrets in HashiCorp Vault; name the secret's values under vault, not keyVault",
    ]);
    for (const issue of issues) expect(issue.text).toMatch(/(keyVault|vault):/);
  });

  test('Vault paths are relative and plain: no "..", no leading "/", no wildcard, no empty field, not through the mount', () => {
    const issues = issuesOf((f) => {
      alphaLab(f).vault = { a: '../css-tenant-beta/db', b: '/db', c: 'db/*', d: 'db#', e: 'css-tenant-alpha/db', f: 'a//b' };
    });
    expect(issues.map((i) => i.path)).toEqual(
      ['a', 'b', 'c', 'd', 'e', 'f'].filter((k) => k !== 'e').map((k) => `clusters.v1.namespaces[0].secrets[0].vault.${k}`),
    );
    expect(new Set(issues.map((i) => i.message))).toEqual(new Set([expect.stringMatching(/^must be a KV path relative to the mount/)]));
    const mount = issuesOf((f) => (alphaLab(f).vault = { password: 'css-tenant-alpha/db' }));
    expect(mount.map((i) => `${i.path}: ${i.message}`)).toEqual([
      'clusters.v1.namespaces[0].secrets[0].vault.password: Vault path "css-tenant-alpha/db" starts with the tenant\'s mount "css-tenant-alpha/"; write it relative to the mount: "db"',
    ]);
  });

  test('managedBy names a cluster of the environment', () => {
    const issues = issuesOf((f) => (env(f).managedBy = 'c1'));
    expect(issues.map((i) => `${i.path}: ${i.message}`)).toEqual([
      'environments[1].vault.managedBy: "c1" is not a cluster of environment lab',
    ]);
  });

  test('every problem of a broken Vault catalogue is reported at once', () => {
    const issues = issuesOf((f) => {
      env(f).address = 'https://vault.lab.example:8200/v1';
      delete f.credentials.credentials[0].vault;
      alphaLab(f).vault = { password: '../x' };
    });
    expect(issues.map((i) => i.path)).toEqual(['environments[1].vault.address', 'clusters.v1.namespaces[0].secrets[0].vault.password']);
  });
});
