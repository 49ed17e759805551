import { CentralCredentialStore, CentralSecretStore, TENANT_LABEL } from '../../constructs/src';
import { findObject, synthConstructs } from '../support/synth';

describe('CentralSecretStore', () => {
  // GIVEN the defaults
  const objects = synthConstructs((scope) => new CentralSecretStore(scope, 'central'));

  test('the reader can only get/list/watch Secrets, only in the central namespace', () => {
    const role = findObject(objects, 'Role', 'central-secret-store-reader');
    expect(role.metadata.namespace).toBe('central-secret-store');
    expect(role.rules).toEqual([{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list', 'watch'] }]);
    const binding = findObject(objects, 'RoleBinding', 'central-secret-store-reader');
    expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'central-secret-store-reader' });
    expect(binding.subjects).toEqual([
      { kind: 'ServiceAccount', name: 'central-secret-store-reader', namespace: 'central-secret-store', apiGroup: '' },
    ]);
    expect(findObject(objects, 'ServiceAccount', 'central-secret-store-reader').automountServiceAccountToken).toBe(false);
    expect(objects.filter((o) => o.kind === 'ClusterRole' || o.kind === 'ClusterRoleBinding')).toEqual([]);
  });

  test('props override the defaults', () => {
    const custom = synthConstructs(
      (scope) => new CentralSecretStore(scope, 'c', { namespaceName: 'hub', readerServiceAccountName: 'hub-reader' }),
    );
    expect(findObject(custom, 'Namespace', 'hub').metadata.labels['kubernetes.io/metadata.name']).toBe('hub');
    expect(findObject(custom, 'Role', 'hub-reader').metadata.namespace).toBe('hub');
  });
});

describe('CentralCredentialStore', () => {
  const objects = synthConstructs((scope) => {
    const central = new CentralSecretStore(scope, 'central');
    new CentralCredentialStore(scope, 'ghcr', { central, credential: 'ghcr', allowedTenants: ['zeta', 'alpha'] });
  });

  test('reads the central namespace as the reader, with the cluster CA, from allowed tenants only', () => {
    const store = findObject(objects, 'ClusterSecretStore', 'central-ghcr');
    expect(store.metadata.namespace).toBeUndefined();
    expect(store.spec.provider.kubernetes).toEqual({
      remoteNamespace: 'central-secret-store',
      server: {
        url: 'https://kubernetes.default.svc',
        caProvider: { type: 'ConfigMap', name: 'kube-root-ca.crt', key: 'ca.crt', namespace: 'central-secret-store' },
      },
      auth: { serviceAccount: { name: 'central-secret-store-reader', namespace: 'central-secret-store' } },
    });
    expect(store.spec.conditions).toEqual([
      { namespaceSelector: { matchExpressions: [{ key: TENANT_LABEL, operator: 'In', values: ['alpha', 'zeta'] }] } },
    ]);
    expect(store.spec.refreshInterval).toBe(300);
  });

  test('a store nobody may use is refused', () => {
    expect(() =>
      synthConstructs(
        (scope) =>
          new CentralCredentialStore(scope, 'x', { central: new CentralSecretStore(scope, 'c'), credential: 'x', allowedTenants: [] }),
      ),
    ).toThrow(/allowedTenants is empty/);
  });
});
