import { type ManifestSetState, manifestSetProvider, objectKey } from '../../stacks/manifest-set-provider';

const namespace = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'payments', labels: { a: '1', b: '2' } } };
const store = { apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret', metadata: { name: 'db', namespace: 'payments' }, spec: { refreshInterval: '1m0s' } };
const state = (objects: ManifestSetState['objects']): ManifestSetState => ({ kubeconfig: 'k', fieldManager: 'central-secret-store', set: 'payments', kindOrder: ['Namespace'], objects, shared: {} });
const byKey = (...objects: any[]) => Object.fromEntries(objects.map((o) => [objectKey(o), o]));

test('objects are keyed by kind, namespace and name, which preview --diff names', () => {
  expect(objectKey(namespace)).toBe('Namespace payments');
  expect(objectKey(store)).toBe('ExternalSecret payments/db');
});

test('diff: the same objects in another key order are no change; any changed field, added or removed object is', async () => {
  const diff = (olds: ManifestSetState, news: ManifestSetState) => manifestSetProvider.diff!('payments', olds, news);
  const reordered = { ...namespace, metadata: { labels: { b: '2', a: '1' }, name: 'payments' } };
  expect((await diff(state(byKey(namespace, store)), state(byKey(store, reordered)))).changes).toBe(false);
  expect((await diff(state(byKey(namespace, store)), state(byKey(namespace, { ...store, spec: { refreshInterval: '2m0s' } })))).changes).toBe(true);
  expect((await diff(state(byKey(namespace)), state(byKey(namespace, store)))).changes).toBe(true);
  expect((await diff(state(byKey(namespace, store)), state(byKey(namespace)))).changes).toBe(true);
  // Never a replacement: a set is updated in place, pruning what it no longer holds.
  expect((await diff(state(byKey(namespace)), state(byKey(store)))).replaces).toEqual([]);
});
