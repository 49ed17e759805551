/**
 * Isolation in HashiCorp Vault, as a hostile tenant would test it: tenant names that prefix each other, paths
 * that name other tenants' mounts, the mount's own name or `data/`, every layout. Whatever a tenant writes,
 * what ESO reads through the tenant's store is readable by that tenant's policy and by no other tenant's or
 * the masters' policy (with the real catalogue, synthesis and Vault's path and namespace rules, modelled in
 * test/support/vault-acl.ts).
 */
import fc from 'fast-check';
import { synthesizeCluster } from '../../plane';
import {
  type Catalogue,
  type VaultSettings,
  clusterSchema,
  credentialSchema,
  environmentSchema,
  isVaultReference,
  secretLikeReason,
  canaryVaultPath,
  mastersPolicyOf,
  parseVaultReference,
  sharedSpaceOf,
  tenantPolicyOf,
  tenantSchema,
  tenantSpaceOf,
  validateCatalogue,
  vaultSettingsSchema,
} from '../../tenants/lib';
import { esoReadPath, globMatches, policyAllows } from '../support/vault-acl';

const RUNS = { numRuns: 100 };
const isTenantName = (name: string) => tenantSchema.shape.name.safeParse(name).success;

/** Three tenant names, the second extending the first (`a`, `a-b`, `ab`...), all valid and distinct. */
const tenantsArb = fc
  .tuple(
    fc.stringMatching(/^[a-z0-9]([-a-z0-9]{0,8}[a-z0-9])?$/),
    fc.stringMatching(/^[-a-z0-9]{1,6}$/),
    fc.stringMatching(/^[a-z0-9]([-a-z0-9]{0,8}[a-z0-9])?$/),
  )
  .map(([a, ext, c]) => [...new Set([a, a + ext, c])].filter(isTenantName))
  .filter((names) => names.length >= 2);

/** Every layout the schema accepts, including prefixes that are or end like tenant names. */
const layoutArb = fc
  .record({
    tenantSpaces: fc.constantFrom('mounts', 'namespaces'),
    namespace: fc.option(fc.constantFrom('admin', 'admin/contoso', 'a'), { nil: undefined }),
    sharedMount: fc.constantFrom('css-shared', 'shared', 'kv/shared', 'a'),
    tenantPrefix: fc.constantFrom('css-tenant-', 't-', 'a-', 'a_', 'tenants/', 'css/tenants/', 'a/'),
  })
  .map((layout) => vaultSettingsSchema.safeParse({ address: 'https://vault.example:8200', ...layout }))
  .filter((parsed) => parsed.success)
  .map((parsed) => parsed.data as VaultSettings);

/** References as a hostile tenant writes them: into other tenants' mounts, through its own, via `data/`. */
function referenceArb(vault: VaultSettings, tenants: readonly string[]): fc.Arbitrary<string> {
  const segment = fc.stringMatching(/^[A-Za-z0-9._-]{1,10}$/);
  const mounts = tenants.map((t) => tenantSpaceOf(vault, t).mount);
  const lead = fc.constantFrom(
    ...mounts,
    ...tenants,
    ...tenants.map((t) => `${vault.tenantPrefix}${t}`),
    vault.sharedMount,
    'data',
    'metadata',
    '..x',
    'sys',
  );
  return (
    fc
      .tuple(
        fc.array(lead, { maxLength: 2 }),
        fc.array(segment, { minLength: 1, maxLength: 3 }),
        fc.option(fc.stringMatching(/^[-._a-zA-Z0-9]{1,8}$/), { nil: undefined }),
      )
      .map(([head, rest, field]) => `${[...head, ...rest].join('/')}${field === undefined ? '' : `#${field}`}`)
      // As validation accepts them: a well-formed path that does not read as a pasted secret (secret-like.ts).
      .filter((reference) => isVaultReference(reference) && secretLikeReason(reference) === undefined)
  );
}

/** Where ESO reads a reference of a tenant's (or the masters') store: the store's namespace and API path. */
const readOf = (space: { namespace?: string; mount: string }, reference: string, key = 'k') => ({
  namespace: space.namespace,
  path: esoReadPath(space.mount, parseVaultReference(reference, key).path),
});

describe('isolation in HashiCorp Vault', () => {
  test("whatever a tenant names, it reads its own space only: no other tenant's policy and no masters' policy covers it", () => {
    const scenario = fc.tuple(layoutArb, tenantsArb).chain(([vault, tenants]) =>
      fc.record({
        vault: fc.constant(vault),
        tenants: fc.constant(tenants),
        reader: fc.nat(tenants.length - 1),
        reference: referenceArb(vault, tenants),
        // Masters as validation accepts them: relative to the shared mount, not through it.
        shared: fc.array(
          referenceArb(vault, tenants).filter((r) => !r.startsWith(`${vault.sharedMount}/`)),
          { maxLength: 3 },
        ),
      }),
    );
    fc.assert(
      fc.property(scenario, ({ vault, tenants, reader, reference, shared }) => {
        const read = readOf(tenantSpaceOf(vault, tenants[reader]), reference);
        expect(policyAllows(tenantPolicyOf(vault, tenants[reader]), read)).toBe(true);
        for (const other of tenants.filter((_, i) => i !== reader)) expect(policyAllows(tenantPolicyOf(vault, other), read)).toBe(false);
        const masters = mastersPolicyOf(
          vault,
          'c1',
          shared.map((r) => parseVaultReference(r, 'k').path),
        );
        expect(policyAllows(masters, read)).toBe(false);
        // And the other way round: a master is readable by the masters' policy, by no tenant's.
        for (const r of shared) {
          const masterRead = readOf(sharedSpaceOf(vault), r);
          expect(policyAllows(masters, masterRead)).toBe(true);
          for (const tenant of tenants) expect(policyAllows(tenantPolicyOf(vault, tenant), masterRead)).toBe(false);
        }
      }),
      { numRuns: 300 },
    );
  });

  test('a reference the catalogue accepts never climbs, never starts at the root, never holds a wildcard', () => {
    const hostile = fc
      .array(fc.constantFrom('a', '.', '..', '/', '*', '+', '#', '-', 'data', ' ', '%2e'), { minLength: 1, maxLength: 10 })
      .map((parts) => parts.join(''));
    fc.assert(
      fc.property(hostile, (reference) => {
        if (!isVaultReference(reference)) return;
        const { path } = parseVaultReference(reference, 'k');
        expect(path.startsWith('/')).toBe(false);
        expect(path.split('/').filter((s) => s === '' || s === '.' || s === '..')).toEqual([]);
        expect(/[*+\s%]/.test(path)).toBe(false);
      }),
      { numRuns: 1000 },
    );
  });

  test('the glob model can fail: a partial-name wildcard would reach a tenant whose name extends another', () => {
    expect(globMatches('css-tenant-a*', 'css-tenant-ab/data/db')).toBe(true);
    expect(globMatches('css-tenant-a/data/*', 'css-tenant-ab/data/db')).toBe(false);
    expect(
      policyAllows(
        { name: 'p', namespace: 'admin/t-a', document: { path: { 'secret/data/*': { capabilities: ['read'] } } } },
        { namespace: 'admin/t-ab', path: 'secret/data/x' },
      ),
    ).toBe(false);
  });

  test('through the catalogue: every ExternalSecret of a tenant reads where its policy allows and no other tenant policy does', () => {
    const scenario = fc.tuple(layoutArb, tenantsArb).chain(([vault, tenants]) =>
      fc.record({
        vault: fc.constant(vault),
        tenants: fc.constant(tenants),
        references: fc.tuple(...tenants.map(() => referenceArb(vault, tenants))),
        master: referenceArb(vault, tenants),
      }),
    );
    fc.assert(
      fc.property(scenario, ({ vault, tenants, references, master }) => {
        const catalogue = vaultCatalogue(vault, tenants, references, master);
        const issues = validateCatalogue(catalogue);
        // A path through the tenant's own mount is refused (ESO would drop the mount); any other is accepted.
        const refused = tenants.filter((t, i) =>
          parseVaultReference(references[i], 'k').path.startsWith(`${tenantSpaceOf(vault, t).mount}/`),
        );
        const masterRefused = parseVaultReference(master, 'k').path.startsWith(`${vault.sharedMount}/`);
        expect(issues.map((i) => i.path).sort()).toEqual(
          [
            ...refused.map(() => 'clusters.v1.namespaces[0].secrets[0].vault.k'),
            ...(masterRefused ? ['credentials[0].vault.username'] : []),
          ].sort(),
        );
        const { clusterScoped, namespaced } = synthesizeCluster(catalogue, 'v1');
        const stores = new Map(
          clusterScoped.filter((o) => o.kind === 'ClusterSecretStore').map((s: any) => [s.metadata.name, s.spec.provider.vault]),
        );
        const masters = mastersPolicyOf(vault, 'v1', [parseVaultReference(master, 'username').path, 'registry', canaryVaultPath('v1')]);
        for (const es of namespaced.filter((o) => o.kind === 'ExternalSecret') as any[]) {
          const store = stores.get(es.spec.secretStoreRef.name);
          for (const { remoteRef } of es.spec.data) {
            const read = { namespace: store.namespace, path: esoReadPath(store.path, remoteRef.key) };
            if (es.metadata.namespace === 'central-secret-store') {
              // A refused master path would be read elsewhere than its policy says; validation stops it first.
              if (!masterRefused) expect(policyAllows(masters, read)).toBe(true);
              for (const tenant of tenants) expect(policyAllows(tenantPolicyOf(vault, tenant), read)).toBe(false);
              continue;
            }
            const owner = tenants[Number(es.metadata.namespace.slice('ns-'.length))];
            for (const tenant of tenants) expect(policyAllows(tenantPolicyOf(vault, tenant), read)).toBe(tenant === owner);
            expect(policyAllows(masters, read)).toBe(false);
          }
        }
      }),
      RUNS,
    );
  });
});

/** A catalogue with one Vault environment and cluster, the tenants each with an own secret, one credential. */
function vaultCatalogue(vault: VaultSettings, tenants: readonly string[], references: readonly string[], master: string): Catalogue {
  const credential = credentialSchema.parse({
    name: 'registry',
    kind: 'docker-registry',
    registries: ['ghcr.io'],
    vault: { username: master, password: 'registry' },
    allowedTenants: [...tenants],
  });
  const tenantList = tenants.map((name, i) =>
    tenantSchema.parse({
      name,
      owners: [{ kind: 'Group', name }],
      clusters: {
        v1: {
          namespaces: [
            { name: `ns-${i}`, requests: ['registry'], secrets: [{ name: 'own', type: 'kubernetes', vault: { k: references[i] } }] },
          ],
        },
      },
    }),
  );
  return {
    environments: [environmentSchema.parse({ name: 'lab', vault })],
    clusters: [clusterSchema.parse({ name: 'v1', environment: 'lab', kind: 'generic', region: 'r' })],
    credentials: [credential],
    tenants: tenantList.sort((a, b) => a.name.localeCompare(b.name)),
    sources: {
      clusters: 'clusters.yaml',
      credentials: 'credentials.yaml',
      tenants: Object.fromEntries(tenants.map((t) => [t, `teams/${t}.yaml`])),
    },
  };
}
