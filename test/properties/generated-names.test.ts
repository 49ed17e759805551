/**
 * Names, as a hostile tenant would choose them: tenant names that prefix each other, own secrets and global
 * secrets named like what the product generates, reserved labels. Validation must catch every problem that
 * would otherwise surface at synth or at run time, and its inventory of generated objects must be exactly
 * what synth writes plus what ESO then writes.
 */
import fc from 'fast-check';
import { type KubeObject, synthesizeCluster } from '../../plane';
import {
  type Catalogue,
  type OwnSecret,
  distributionName,
  formatsOf,
  plannedObjects,
  isInTenantSpace,
  tenantSchema,
  validateCatalogue,
} from '../../tenants/lib';
import { catalogueArb } from '../support/arbitraries';
import { cesSelects, storeAdmits } from '../support/selectors';

const RUNS = { numRuns: 100 };
const key = (o: { kind: string; namespace?: string; name: string }) => `${o.kind} ${o.namespace ?? ''}/${o.name}`;
const isTenantName = (name: string) => tenantSchema.shape.name.safeParse(name).success;

/** What synth writes for one cluster, and what ESO then writes from it, derived from the objects alone. */
function objectsOnCluster(
  catalogue: Catalogue,
  cluster: string,
): { synthesized: KubeObject[]; writtenByEso: { kind: string; namespace: string; name: string }[] } {
  const m = synthesizeCluster(catalogue, cluster);
  const synthesized = [...m.clusterScoped, ...m.namespaced];
  const namespaces = synthesized
    .filter((o) => o.kind === 'Namespace')
    .map((n: any) => ({ name: n.metadata.name, labels: n.metadata.labels }));
  const stores = new Map(synthesized.filter((o) => o.kind === 'ClusterSecretStore').map((s) => [s.metadata.name, s]));
  const writtenByEso = [
    ...synthesized
      .filter((o) => o.kind === 'ExternalSecret')
      .map((es: any) => ({ kind: 'Secret', namespace: es.metadata.namespace, name: es.spec.target.name })),
    ...synthesized
      .filter((o) => o.kind === 'ClusterExternalSecret')
      .flatMap((ces: any) =>
        namespaces
          .filter((ns) => cesSelects(ces, ns))
          .flatMap((ns) => [
            { kind: 'ExternalSecret', namespace: ns.name, name: ces.spec.externalSecretName },
            // ESO writes the Secret only where the store admits the namespace.
            ...(storeAdmits(stores.get(ces.spec.externalSecretSpec.secretStoreRef.name), ns)
              ? [{ kind: 'Secret', namespace: ns.name, name: ces.spec.externalSecretSpec.target.name }]
              : []),
          ]),
      ),
  ];
  return { synthesized, writtenByEso };
}

/** A random catalogue with own and global secrets named from what the catalogue generates, and labels some of which are reserved. */
function hostileCatalogueArb(): fc.Arbitrary<Catalogue> {
  return catalogueArb({ maxCredentials: 3 }).chain((catalogue) => {
    const generated = catalogue.credentials.flatMap((c) => formatsOf(c).flatMap((f) => [distributionName(c.name, f.id), f.secretName]));
    const names = fc.constantFrom(...generated, 'app-config', 'db', ...catalogue.tenants.map((t) => `${t.name}-app-config`));
    const labels = fc.dictionary(
      fc.constantFrom(
        'team',
        'secrets/cred-0',
        'central-secret-store.io/tenant',
        'managed-by',
        'app.kubernetes.io/part-of',
        'reconcile.external-secrets.io/x',
      ),
      fc.constant('true'),
      { maxKeys: 2 },
    );
    const secret = fc
      .record({ name: names, labels })
      .map(({ name, labels }): OwnSecret => ({ name, type: 'kubernetes', secretType: 'Opaque', keyVault: { k: 'x' }, labels }));
    return fc
      .tuple(
        ...catalogue.tenants.map(() =>
          fc.record({ own: fc.array(secret, { maxLength: 2 }), global: fc.array(secret, { maxLength: 1 }), nsLabels: labels }),
        ),
      )
      .map((extras) => ({
        ...catalogue,
        tenants: catalogue.tenants.map((tenant, t) => {
          const { own, global, nsLabels } = extras[t];
          const vault = (s: OwnSecret) => ({ ...s, keyVault: { k: `${tenant.name}--k` } });
          return {
            ...tenant,
            clusters: Object.fromEntries(
              Object.entries(tenant.clusters).map(([cluster, placement]) => [
                cluster,
                {
                  namespaces: placement.namespaces.map((ns, n) => (n === 0 ? { ...ns, labels: nsLabels, secrets: own.map(vault) } : ns)),
                  globalSecrets: global.map(vault),
                },
              ]),
            ),
          };
        }),
      }));
  });
}

describe('names a hostile tenant would choose', () => {
  test("no vault name lies in two tenants' spaces, whatever the tenant names, including names that prefix each other", () => {
    const base = fc.stringMatching(/^[a-z0-9]([-a-z0-9]{0,8}[a-z0-9])?$/);
    const extension = fc.stringMatching(/^[-a-z0-9]{1,6}$/);
    const tenants = fc.tuple(base, extension, base).map(([a, ext, c]) => [a, a + ext, c]);
    const vaultName = fc.tuple(fc.constantFrom(0, 1, 2), fc.stringMatching(/^[-a-zA-Z0-9]{0,12}$/), fc.boolean());
    fc.assert(
      fc.property(tenants, vaultName, ([a, b, c], [which, rest, upper]) => {
        const names = [a, b, c].filter(isTenantName);
        // Names built from a tenant's own prefix, from a longer tenant's, or from nothing at all.
        const candidate = `${[a, b, c][which]}--${rest}`;
        const vault = upper ? candidate.toUpperCase() : candidate;
        const owners = [...new Set(names)].filter((t) => isInTenantSpace(t, vault));
        expect(owners.length).toBeLessThanOrEqual(1);
      }),
      { numRuns: 1000 },
    );
  });

  test("a catalogue in which one tenant names another's vault secret never validates", () => {
    const pair = fc
      .tuple(fc.stringMatching(/^[a-z]([-a-z0-9]{0,6}[a-z0-9])?$/), fc.stringMatching(/^-?[a-z0-9]([-a-z0-9]{0,4}[a-z0-9])?$/))
      .map(([a, ext]) => [a, `${a}${ext}`] as const)
      .filter(([a, b]) => a !== b && isTenantName(a) && isTenantName(b));
    fc.assert(
      fc.property(catalogueArb(), pair, fc.boolean(), (catalogue, [short, long], shortSteals) => {
        const [thief, victim] = shortSteals ? [short, long] : [long, short];
        const cluster = catalogue.clusters[0].name;
        const tenant = (name: string, vault: string) =>
          tenantSchema.parse({
            name,
            owners: [{ kind: 'Group', name }],
            clusters: {
              [cluster]: { namespaces: [{ name: `ns-${name}`, secrets: [{ name: 's', type: 'kubernetes', keyVault: { k: vault } }] }] },
            },
          });
        const withPair: Catalogue = {
          ...catalogue,
          tenants: [tenant(thief, `${victim}--token`), tenant(victim, `${victim}--token`)],
          credentials: [],
          sources: { ...catalogue.sources, tenants: { [thief]: `teams/${thief}.yaml`, [victim]: `teams/${victim}.yaml` } },
        };
        const issues = validateCatalogue(withPair);
        expect(issues.map((i) => `${i.file} ${i.path}`)).toEqual([
          `teams/${thief}.yaml clusters.${cluster}.namespaces[0].secrets[0].keyVault.k`,
        ]);
      }),
      RUNS,
    );
  });

  test.each([
    ['Key Vault', false],
    ['Key Vault and HashiCorp Vault', true],
  ])('the inventory of generated objects is exactly what synth writes plus what ESO writes from it (%s)', (_backends, withVault) => {
    fc.assert(
      fc.property(catalogueArb({ withVault }), (catalogue) => {
        const inventory = plannedObjects(catalogue);
        for (const cluster of catalogue.clusters) {
          const mine = inventory.filter((o) => o.cluster === cluster.name);
          const { synthesized, writtenByEso } = objectsOnCluster(catalogue, cluster.name);
          const names = (list: { kind: string; namespace?: string; name: string }[]) => [...new Set(list.map(key))].sort();
          expect(names(mine.filter((o) => !o.writtenByEso))).toEqual(
            names(synthesized.map((o) => ({ kind: o.kind, namespace: o.metadata.namespace, name: o.metadata.name }))),
          );
          expect(names(mine.filter((o) => o.writtenByEso))).toEqual(names(writtenByEso));
        }
      }),
      RUNS,
    );
  });

  test('a catalogue that validates synthesizes, and nothing synth or ESO writes is written twice', () => {
    let validated = 0;
    let refused = 0;
    fc.assert(
      fc.property(hostileCatalogueArb(), (catalogue) => {
        const issues = validateCatalogue(catalogue);
        if (issues.length > 0) {
          refused++;
          return;
        }
        validated++;
        for (const cluster of catalogue.clusters) {
          const { synthesized, writtenByEso } = objectsOnCluster(catalogue, cluster.name);
          const all = [
            ...synthesized.map((o) => key({ kind: o.kind, namespace: o.metadata.namespace, name: o.metadata.name })),
            ...writtenByEso.map(key),
          ];
          expect(all.filter((k, i) => all.indexOf(k) !== i)).toEqual([]);
        }
      }),
      { numRuns: 200 },
    );
    // Both outcomes occur, so the property says something about each.
    expect(validated).toBeGreaterThan(0);
    expect(refused).toBeGreaterThan(0);
  });

  test('every collision and reserved key is reported at a field of the catalogue, with the file', () => {
    fc.assert(
      fc.property(hostileCatalogueArb(), (catalogue) => {
        for (const issue of validateCatalogue(catalogue)) {
          expect(issue.file).toMatch(/^(clusters|credentials)\.yaml$|^teams\/[a-z]+\.yaml$/);
          expect(issue.path).not.toBe('');
        }
      }),
      RUNS,
    );
  });
});
