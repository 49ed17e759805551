import { synthesizeCluster } from '../../plane';
import { loadCatalogue } from '../../tenants/lib';
import { schemaErrors } from '../support/schemas';
import { FIXTURE_CATALOGUE_DIR } from '../support/fixture-catalogue';

const catalogue = loadCatalogue(FIXTURE_CATALOGUE_DIR);

describe.each(catalogue.clusters.map((c) => c.name))('cluster %s', (cluster) => {
  const manifests = synthesizeCluster(catalogue, cluster);
  const all = [...manifests.clusterScoped, ...manifests.namespaced];

  test('every object validates against its real schema, unknown fields rejected', () => {
    expect(all.length).toBeGreaterThan(20);
    expect(all.flatMap(schemaErrors)).toEqual([]);
  });

  test('cluster-scoped objects carry no namespace and namespaced ones always do', () => {
    expect(manifests.clusterScoped.filter((o) => o.metadata.namespace !== undefined)).toEqual([]);
    expect(manifests.namespaced.filter((o) => o.metadata.namespace === undefined)).toEqual([]);
  });

  test('names are stable: no cdk8s hash suffixes', () => {
    for (const o of all) expect(o.metadata.name).not.toMatch(/-[0-9a-f]{8}$/);
  });
});

describe('the schema check can fail', () => {
  const [store] = synthesizeCluster(catalogue, catalogue.clusters[0].name).clusterScoped.filter((o) => o.kind === 'ClusterSecretStore');

  test('an unknown field is rejected', () => {
    const tampered = { ...store, spec: { ...(store.spec as object), bogus: true } };
    expect(schemaErrors(tampered).join('\n')).toMatch(/must NOT have additional properties \(bogus\)/);
  });

  test('a wrong enum value is rejected', () => {
    const spec = store.spec as any;
    const tampered = {
      ...store,
      spec: {
        ...spec,
        provider: {
          kubernetes: {
            ...spec.provider.kubernetes,
            server: {
              ...spec.provider.kubernetes.server,
              caProvider: { ...spec.provider.kubernetes.server.caProvider, type: 'Configmap' },
            },
          },
        },
      },
    };
    expect(schemaErrors(tampered).join('\n')).toMatch(/must be equal to one of the allowed values/);
  });

  test('a core object with an unknown field is rejected', () => {
    const ns = synthesizeCluster(catalogue, catalogue.clusters[0].name).clusterScoped.find((o) => o.kind === 'Namespace')!;
    expect(schemaErrors({ ...ns, metadata: { ...ns.metadata, lables: {} } }).join('\n')).toMatch(/additional properties \(lables\)/);
  });
});
