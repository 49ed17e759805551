import { TENANT_LABEL, TenantNamespace, TenantOwnerRole, TenantSecret } from '../../constructs';
import { findObject, synthConstructs } from '../support/synth';

describe('TenantNamespace', () => {
  const objects = synthConstructs((s) => {
    new TenantOwnerRole(s, 'role');
    new TenantNamespace(s, 'ns', { name: 'pay', tenant: 'payments', requests: ['ghcr', 'acr'], labels: { team: 'x' }, owners: [{ kind: 'Group', name: 'payments-admins' }] });
  });

  test('labels the namespace with its tenant and one request label per credential', () => {
    expect(findObject(objects, 'Namespace', 'pay').metadata.labels).toEqual({
      team: 'x',
      'app.kubernetes.io/managed-by': 'central-secret-store',
      'app.kubernetes.io/part-of': 'central-secret-store',
      'kubernetes.io/metadata.name': 'pay',
      [TENANT_LABEL]: 'payments',
      'secrets/acr': 'true',
      'secrets/ghcr': 'true',
    });
  });

  test('owners get the owner role inside their namespace only, and it reads no Secret', () => {
    const binding = findObject(objects, 'RoleBinding', 'tenant-owners');
    expect(binding.metadata.namespace).toBe('pay');
    expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'central-secret-store-tenant-owner' });
    expect(binding.subjects).toEqual([{ kind: 'Group', name: 'payments-admins', apiGroup: 'rbac.authorization.k8s.io' }]);
    expect(objects.filter((o) => o.kind === 'ClusterRoleBinding')).toEqual([]);
    // Owners see the ExternalSecrets and their status, never a Secret value.
    expect(findObject(objects, 'ClusterRole', 'central-secret-store-tenant-owner').rules).toEqual([
      { apiGroups: ['external-secrets.io'], resources: ['externalsecrets'], verbs: ['get', 'list', 'watch'] },
    ]);
  });

  test('labels the construct sets itself cannot be set by hand', () => {
    const withLabels = (labels: Record<string, string>) => () =>
      synthConstructs((s) => new TenantNamespace(s, 'ns', { name: 'x', tenant: 't', labels, owners: [{ kind: 'User', name: 'u' }] }));
    expect(withLabels({ 'secrets/ghcr': 'true' })).toThrow(/TenantNamespace x: label "secrets\/ghcr" is a credential request; list the credential under requests instead/);
    expect(withLabels({ 'central-secret-store.io/tenant': 'other' })).toThrow(/label "central-secret-store.io\/tenant" belongs to Central Secret Store/);
    expect(withLabels({ 'app.kubernetes.io/managed-by': 'me' })).toThrow(/label "app.kubernetes.io\/managed-by" marks the objects Central Secret Store manages/);
    expect(withLabels({ team: 'x' })).not.toThrow();
  });
});

describe('TenantSecret', () => {
  test('a workload secret is readable only by its ServiceAccount, by name, and records its SPIFFE ID and validity', () => {
    const objects = synthConstructs(
      (s) =>
        new TenantSecret(s, 'w', {
          tenant: 'payments',
          namespace: 'pay',
          storeName: 'tenant-payments',
          secret: {
            type: 'workload',
            name: 'signing',
            serviceAccount: 'signer',
            spiffeId: 'spiffe://td/ns/pay/sa/signer',
            keyVault: { key: 'payments-signing' },
            notBefore: '2026-01-01T00:00:00Z',
            expires: '2027-01-01T00:00:00Z',
          },
        }),
    );
    const es = findObject(objects, 'ExternalSecret', 'signing');
    expect(es.spec.secretStoreRef).toEqual({ kind: 'ClusterSecretStore', name: 'tenant-payments' });
    expect(es.spec.target.template.metadata.annotations).toEqual({
      'central-secret-store.io/not-before': '2026-01-01T00:00:00Z',
      'central-secret-store.io/expires': '2027-01-01T00:00:00Z',
      'central-secret-store.io/spiffe-id': 'spiffe://td/ns/pay/sa/signer',
    });
    expect(findObject(objects, 'Role', 'read-signing').rules).toEqual([{ apiGroups: [''], resources: ['secrets'], resourceNames: ['signing'], verbs: ['get', 'watch'] }]);
    expect(findObject(objects, 'RoleBinding', 'read-signing').subjects).toEqual([{ kind: 'ServiceAccount', name: 'signer', namespace: 'pay', apiGroup: '' }]);
  });
});
