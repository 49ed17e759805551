import { CANARY_TENANT } from '../../constructs/src';
import { synthesizeCluster } from '../../plane';
import { refreshIntervalOf, tenantStoreName } from '../../tenants/lib';
import { storeAdmits } from '../support/selectors';
import { namespaceViews } from '../support/synth';
import { credentialsOfferedOn, environmentOf, formatsOf, loadCatalogue, namespacesOn } from '../../tenants/lib';
import { FIXTURE_CATALOGUE_DIR } from '../support/fixture-catalogue';

const catalogue = loadCatalogue(FIXTURE_CATALOGUE_DIR);

describe.each(catalogue.clusters.map((c) => c.name))('ClusterSecretPlane on %s', (name) => {
  const cluster = catalogue.clusters.find((c) => c.name === name)!;
  const { clusterScoped, namespaced } = synthesizeCluster(catalogue, name);
  const of = (kind: string) => [...clusterScoped, ...namespaced].filter((o) => o.kind === kind) as any[];

  test('one master per offered credential and one distribution per credential and format, and the canary', () => {
    const offered = credentialsOfferedOn(catalogue, cluster);
    expect(
      of('ExternalSecret')
        .filter((e) => e.metadata.namespace === 'central-secret-store')
        .map((e) => e.metadata.name)
        .sort(),
    ).toEqual([...offered.map((c) => c.name), 'canary'].sort());
    const expected = [...offered.flatMap((c) => formatsOf(c).map((f) => `${c.name}-${f.id}`)), 'canary-opaque'].sort();
    const distributions = of('ClusterExternalSecret').filter(
      (c) => c.metadata.labels['app.kubernetes.io/component'] === 'credential-distribution',
    );
    expect(distributions.map((c) => c.metadata.name).sort()).toEqual(expected);
  });

  test("every distributed copy carries Reloader's match annotation; own secrets and masters do not", () => {
    const distributions = of('ClusterExternalSecret').filter(
      (c) => c.metadata.labels['app.kubernetes.io/component'] === 'credential-distribution',
    );
    expect(distributions.length).toBeGreaterThan(0);
    for (const ces of distributions)
      expect(ces.spec.externalSecretSpec.target.template.metadata.annotations).toEqual({ 'reloader.stakater.com/match': 'true' });
    const others = [...of('ExternalSecret'), ...of('ClusterExternalSecret').filter((c) => !distributions.includes(c))].map(
      (e) => e.spec.externalSecretSpec ?? e.spec,
    );
    for (const spec of others) expect(spec.target?.template?.metadata?.annotations?.['reloader.stakater.com/match']).toBeUndefined();
  });

  test("the canary: its master reads the cluster's own vault secret through the masters' store, and its copy reaches its own namespace only, at the copies' interval", () => {
    const vault = environmentOf(catalogue, cluster).vault;
    const master = of('ExternalSecret').find((e) => e.metadata.namespace === 'central-secret-store' && e.metadata.name === 'canary');
    expect(master.spec.secretStoreRef.name).toBe(vault ? 'vault' : 'keyvault');
    expect(master.spec.data).toEqual([
      { secretKey: 'value', remoteRef: vault ? { key: `canary/${name}`, property: 'value' } : { key: `css-canary-${name}` } },
    ]);
    expect(master.spec.refreshInterval).toBe('5m0s');
    const copy = of('ClusterExternalSecret').find((c) => c.metadata.name === 'canary-opaque');
    expect(copy.spec.externalSecretSpec.refreshInterval).toBe(refreshIntervalOf(cluster));
    const store = of('ClusterSecretStore').find((s) => s.metadata.name === 'central-canary');
    const canaryNamespace = of('Namespace').find((n) => n.metadata.name === 'central-secret-store-canary');
    expect(canaryNamespace.metadata.labels).toEqual({
      'app.kubernetes.io/component': 'canary',
      'app.kubernetes.io/managed-by': 'central-secret-store',
      'app.kubernetes.io/part-of': 'central-secret-store',
      'central-secret-store.io/tenant': CANARY_TENANT,
      'kubernetes.io/metadata.name': 'central-secret-store-canary',
      'secrets/canary': 'true',
    });
    // No tenant namespace is admitted by the canary's store, and the canary namespace by no other store.
    for (const ns of namespaceViews([...clusterScoped])) expect(storeAdmits(store, ns)).toBe(ns.name === 'central-secret-store-canary');
    for (const other of of('ClusterSecretStore').filter((s) => s !== store))
      expect(storeAdmits(other, { name: 'central-secret-store-canary', labels: canaryNamespace.metadata.labels })).toBe(false);
  });

  test("the masters' store reads the environment's backend and is usable from the central namespace only", () => {
    const vault = environmentOf(catalogue, cluster).vault;
    const store = of('ClusterSecretStore').find((s) => s.metadata.name === (vault ? 'vault' : 'keyvault'));
    expect(store.spec.conditions).toEqual([{ namespaces: ['central-secret-store'] }]);
    if (vault) {
      expect(store.spec.provider.vault).toMatchObject({ server: vault.address, path: vault.sharedMount, version: 'v2' });
      expect(store.spec.provider.vault.auth.kubernetes).toEqual({
        mountPath: `css-kubernetes-${name}`,
        role: 'css-masters',
        serviceAccountRef: { name: 'external-secrets', namespace: 'external-secrets', audiences: ['vault:css-masters'] },
      });
      expect(
        of('ExternalSecret')
          .filter((e) => e.metadata.namespace === 'central-secret-store')
          .map((e) => e.spec.secretStoreRef.name),
      ).toEqual([...credentialsOfferedOn(catalogue, cluster), 'canary'].map(() => 'vault'));
    } else {
      expect(store.spec.provider.azurekv.authType).toBe(cluster.kind === 'aks' ? 'WorkloadIdentity' : 'ServicePrincipal');
    }
  });

  test("with HashiCorp Vault, each tenant's store reads the tenant's own mount with the tenant's own role", () => {
    const vault = environmentOf(catalogue, cluster).vault;
    for (const tenant of new Set(namespacesOn(catalogue, cluster).map((p) => p.tenant.name))) {
      const provider = of('ClusterSecretStore').find((s) => s.metadata.name === tenantStoreName(tenant)).spec.provider;
      if (!vault) {
        expect(provider.azurekv).toBeDefined();
        continue;
      }
      expect(provider.vault.path).toBe(`css-tenant-${tenant}`);
      expect(provider.vault.auth.kubernetes.role).toBe(`css-tenant-${tenant}`);
      expect(provider.vault.auth.kubernetes.serviceAccountRef.audiences).toEqual([`vault:css-tenant-${tenant}`]);
    }
  });

  test("each tenant's store admits exactly that tenant's namespaces on this cluster", () => {
    const placed = namespacesOn(catalogue, cluster);
    for (const tenant of new Set(placed.map((p) => p.tenant.name))) {
      const store = of('ClusterSecretStore').find((s) => s.metadata.name === tenantStoreName(tenant));
      const own = placed
        .filter((p) => p.tenant.name === tenant)
        .map((p) => p.namespace.name)
        .sort();
      expect(store.spec.conditions).toEqual([{ namespaces: own }]);
    }
  });

  test('every tenant ExternalSecret goes through its own tenant store', () => {
    const tenantOf = new Map(namespacesOn(catalogue, cluster).map((p) => [p.namespace.name, p.tenant.name]));
    for (const es of of('ExternalSecret').filter((e) => e.metadata.namespace !== 'central-secret-store')) {
      expect(es.spec.secretStoreRef.name).toBe(tenantStoreName(tenantOf.get(es.metadata.namespace)!));
    }
  });
});
