/**
 * Least privilege, scanned over every RBAC object the product writes, for the example catalogue and for
 * random catalogues: no wildcards, Secrets readable only where the design says, nothing bound cluster-wide.
 */
import fc from 'fast-check';
import { type KubeObject, synthesizeCluster } from '../../plane';
import { type Catalogue, loadCatalogue } from '../../tenants/lib';
import { catalogueArb } from '../support/arbitraries';
import { FIXTURE_CATALOGUE_DIR } from '../support/fixture-catalogue';

const rbacProblems = (objects: readonly KubeObject[]): string[] => {
  const problems: string[] = [];
  for (const o of objects as any[]) {
    const where = `${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name}`;
    if (o.kind === 'ClusterRoleBinding') problems.push(`${where}: nothing is granted cluster-wide`);
    if (o.kind !== 'Role' && o.kind !== 'ClusterRole') continue;
    for (const rule of o.rules ?? []) {
      for (const field of ['verbs', 'resources', 'apiGroups'])
        if ((rule[field] ?? []).includes('*')) problems.push(`${where}: wildcard in ${field}`);
      if (!(rule.resources ?? []).includes('secrets')) continue;
      if (o.kind === 'ClusterRole') problems.push(`${where}: a ClusterRole grants Secrets`);
      const writes = rule.verbs.filter((v: string) => !['get', 'list', 'watch'].includes(v));
      if (writes.length > 0) problems.push(`${where}: grants ${writes.join(', ')} on Secrets`);
      const central = o.metadata.namespace === 'central-secret-store';
      if (!central && !(rule.resourceNames?.length > 0)) problems.push(`${where}: reads every Secret of a tenant namespace`);
      if (!central && rule.verbs.includes('list')) problems.push(`${where}: list returns every Secret, whatever resourceNames says`);
    }
  }
  return problems;
};

const allObjects = (catalogue: Catalogue) =>
  catalogue.clusters.flatMap((c) => {
    const m = synthesizeCluster(catalogue, c.name);
    return [...m.clusterScoped, ...m.namespaced];
  });

describe('least privilege', () => {
  test('the example catalogue', () => {
    const objects = allObjects(loadCatalogue(FIXTURE_CATALOGUE_DIR));
    expect(objects.filter((o) => o.kind === 'Role').length).toBeGreaterThan(0);
    expect(rbacProblems(objects)).toEqual([]);
  });

  test('random catalogues', () => {
    fc.assert(
      fc.property(catalogueArb(), (catalogue) => expect(rbacProblems(allObjects(catalogue))).toEqual([])),
      { numRuns: 100 },
    );
  });

  test('the scan finds what it looks for', () => {
    const role = (namespace: string, rules: object[]) =>
      ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'r', namespace }, rules }) as KubeObject;
    expect(rbacProblems([role('t', [{ apiGroups: [''], resources: ['*'], verbs: ['get'] }])])).toEqual(['Role t/r: wildcard in resources']);
    expect(rbacProblems([role('t', [{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list'] }])])).toEqual([
      'Role t/r: reads every Secret of a tenant namespace',
      'Role t/r: list returns every Secret, whatever resourceNames says',
    ]);
    expect(rbacProblems([role('central-secret-store', [{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'create'] }])])).toEqual([
      'Role central-secret-store/r: grants create on Secrets',
    ]);
  });
});
