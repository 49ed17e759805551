import { type ManifestSetState, manifestSetProvider, objectKey } from '../../stacks/manifest-set-provider';
import { TENANT_SETS, tenantSet } from '../../stacks/secret-plane';

const namespace = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'payments', labels: { a: '1', b: '2' } } };
const store = {
  apiVersion: 'external-secrets.io/v1',
  kind: 'ExternalSecret',
  metadata: { name: 'db', namespace: 'payments' },
  spec: { refreshInterval: '1m0s' },
};
const state = (objects: ManifestSetState['objects']): ManifestSetState => ({
  kubeconfig: 'k',
  fieldManager: 'central-secret-store',
  set: 'payments',
  kindOrder: ['Namespace'],
  objects,
  shared: {},
});
const byKey = (...objects: any[]) => Object.fromEntries(objects.map((o) => [objectKey(o), o]));

test('objects are keyed by kind, namespace and name, which preview --diff names', () => {
  expect(objectKey(namespace)).toBe('Namespace payments');
  expect(objectKey(store)).toBe('ExternalSecret payments/db');
});

test('diff: the same objects in another key order are no change; any changed field, added or removed object is', async () => {
  const diff = (olds: ManifestSetState, news: ManifestSetState) => manifestSetProvider.diff!('payments', olds, news);
  const reordered = { ...namespace, metadata: { labels: { b: '2', a: '1' }, name: 'payments' } };
  expect((await diff(state(byKey(namespace, store)), state(byKey(store, reordered)))).changes).toBe(false);
  expect(
    (await diff(state(byKey(namespace, store)), state(byKey(namespace, { ...store, spec: { refreshInterval: '2m0s' } })))).changes,
  ).toBe(true);
  expect((await diff(state(byKey(namespace)), state(byKey(namespace, store)))).changes).toBe(true);
  expect((await diff(state(byKey(namespace, store)), state(byKey(namespace)))).changes).toBe(true);
  // Never a replacement: a set is updated in place, pruning what it no longer holds.
  expect((await diff(state(byKey(namespace)), state(byKey(store)))).replaces).toEqual([]);
});

test("a tenant's set depends on its name alone: stable as tenants come and go, and spread over at most TENANT_SETS sets", () => {
  const tenants = Array.from({ length: 400 }, (_, i) => `tenant-${i}`);
  const sets = new Set(tenants.map(tenantSet));
  expect(sets.size).toBe(TENANT_SETS);
  for (const set of sets) expect(set).toMatch(/^tenants-(0\d|1[0-5])$/);
  expect(tenants.map(tenantSet)).toEqual([...tenants].reverse().map(tenantSet).reverse());
  expect(tenantSet('payments')).toBe(tenantSet('payments'));
});
