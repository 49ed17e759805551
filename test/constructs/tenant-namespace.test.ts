import {
  KeyVaultStore,
  OperatorSecret,
  TENANT_LABEL,
  TenantGlobalSecret,
  TenantNamespace,
  TenantOwnerRole,
  TenantSecret,
  WorkloadSecret,
} from '../../constructs/src';
import { findObject, synthConstructs } from '../support/synth';

describe('TenantNamespace', () => {
  const objects = synthConstructs((s) => {
    new TenantOwnerRole(s, 'role');
    new TenantNamespace(s, 'ns', {
      name: 'pay',
      tenant: 'payments',
      requests: ['ghcr', 'acr'],
      labels: { team: 'x' },
      owners: [{ kind: 'Group', name: 'payments-admins' }],
    });
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
    expect(binding.roleRef).toEqual({
      apiGroup: 'rbac.authorization.k8s.io',
      kind: 'ClusterRole',
      name: 'central-secret-store-tenant-owner',
    });
    expect(binding.subjects).toEqual([{ kind: 'Group', name: 'payments-admins', apiGroup: 'rbac.authorization.k8s.io' }]);
    expect(objects.filter((o) => o.kind === 'ClusterRoleBinding')).toEqual([]);
    // Owners see the ExternalSecrets and their status, never a Secret value.
    expect(findObject(objects, 'ClusterRole', 'central-secret-store-tenant-owner').rules).toEqual([
      { apiGroups: ['external-secrets.io'], resources: ['externalsecrets'], verbs: ['get', 'list', 'watch'] },
    ]);
  });

  test("the owner role a RoleBinding names is emitted: the app's TenantOwnerRole, added once when there is none", () => {
    const alone = synthConstructs((s) => {
      new TenantNamespace(s, 'web', { name: 'web', tenant: 'checkout', owners: [{ kind: 'Group', name: 'checkout-admins' }] });
      new TenantNamespace(s, 'api', { name: 'api', tenant: 'checkout', owners: [{ kind: 'Group', name: 'checkout-admins' }] });
    });
    expect(alone.filter((o) => o.kind === 'ClusterRole').map((o) => o.metadata.name)).toEqual(['central-secret-store-tenant-owner']);
    expect(alone.filter((o) => o.kind === 'RoleBinding').map((o: any) => o.roleRef.name)).toEqual([
      'central-secret-store-tenant-owner',
      'central-secret-store-tenant-owner',
    ]);

    const named = synthConstructs((s) => {
      new TenantOwnerRole(s, 'role', { name: 'checkout-owner' });
      new TenantNamespace(s, 'web', { name: 'web', tenant: 'checkout', owners: [{ kind: 'Group', name: 'checkout-admins' }] });
    });
    expect(named.filter((o) => o.kind === 'ClusterRole').map((o) => o.metadata.name)).toEqual(['checkout-owner']);
    expect(findObject(named, 'RoleBinding', 'tenant-owners').roleRef.name).toBe('checkout-owner');
  });

  test('an owner role defined elsewhere is named by reference, and then not emitted', () => {
    const objects = synthConstructs((s) => {
      const ownerRole = TenantOwnerRole.fromRoleName('platform-tenant-owner');
      new TenantNamespace(s, 'web', { name: 'web', tenant: 'checkout', owners: [{ kind: 'Group', name: 'checkout-admins' }], ownerRole });
    });
    expect(objects.filter((o) => o.kind === 'ClusterRole')).toEqual([]);
    expect(findObject(objects, 'RoleBinding', 'tenant-owners').roleRef.name).toBe('platform-tenant-owner');
    expect(() => TenantOwnerRole.fromRoleName('a/b')).toThrow(/TenantOwnerRole.fromRoleName: name "a\/b" must be an RBAC name/);
  });

  test('labels the construct sets itself cannot be set by hand', () => {
    const withLabels = (labels: Record<string, string>) => () =>
      synthConstructs((s) => new TenantNamespace(s, 'ns', { name: 'x', tenant: 't', labels, owners: [{ kind: 'User', name: 'u' }] }));
    expect(withLabels({ 'secrets/ghcr': 'true' })).toThrow(/TenantNamespace x: labels secrets\/ghcr are set by this construct/);
    expect(withLabels({ 'central-secret-store.io/tenant': 'other' })).toThrow(
      /labels central-secret-store.io\/tenant are set by this construct/,
    );
    expect(withLabels({ 'app.kubernetes.io/managed-by': 'me', 'kubernetes.io/metadata.name': 'y' })).toThrow(
      /labels app.kubernetes.io\/managed-by, kubernetes.io\/metadata.name are set by this construct/,
    );
    expect(withLabels({ team: 'x' })).not.toThrow();
  });

  test('owners that stand for everyone are refused, as the catalogue refuses them', () => {
    const withOwners = (owners: { kind: 'User' | 'Group'; name: string }[]) => () =>
      synthConstructs((s) => new TenantNamespace(s, 'ns', { name: 'x', tenant: 't', owners }));
    expect(withOwners([{ kind: 'Group', name: 'system:serviceaccounts:x' }])).toThrow(
      /TenantNamespace x: owners\[0\] "system:serviceaccounts:<namespace>" stands for every ServiceAccount of a namespace/,
    );
    expect(
      withOwners([
        { kind: 'Group', name: 'team' },
        { kind: 'Group', name: 'system:authenticated' },
      ]),
    ).toThrow(/owners\[1\] "system:authenticated" stands for every authenticated request/);
  });
});

describe('own secrets', () => {
  const store = KeyVaultStore.fromStoreName('tenant-payments');
  const base = { tenant: 'payments', store, notBefore: '2026-01-01T00:00:00Z', expires: '2027-01-01T00:00:00Z' };

  test('a workload secret is readable only by its ServiceAccount, by name, and records its SPIFFE ID and validity', () => {
    const objects = synthConstructs(
      (s) =>
        new WorkloadSecret(s, 'w', {
          ...base,
          namespace: 'pay',
          name: 'signing',
          serviceAccount: 'signer',
          spiffeId: 'spiffe://td/ns/pay/sa/signer',
          vaultSecrets: { key: 'payments--signing' },
        }),
    );
    const es = findObject(objects, 'ExternalSecret', 'signing');
    expect(es.spec.secretStoreRef).toEqual({ kind: 'ClusterSecretStore', name: 'tenant-payments' });
    expect(es.spec.data).toEqual([{ secretKey: 'key', remoteRef: { key: 'payments--signing' } }]);
    expect(es.spec.target.template.metadata.annotations).toEqual({
      'central-secret-store.io/not-before': '2026-01-01T00:00:00Z',
      'central-secret-store.io/expires': '2027-01-01T00:00:00Z',
      'central-secret-store.io/spiffe-id': 'spiffe://td/ns/pay/sa/signer',
    });
    expect(es.spec.target.template.metadata.labels['secret-type']).toBe('workload');
    expect(findObject(objects, 'Role', 'read-signing').rules).toEqual([
      { apiGroups: [''], resources: ['secrets'], resourceNames: ['signing'], verbs: ['get', 'watch'] },
    ]);
    expect(findObject(objects, 'RoleBinding', 'read-signing').subjects).toEqual([
      { kind: 'ServiceAccount', name: 'signer', namespace: 'pay', apiGroup: '' },
    ]);
  });

  test('a workload secret whose SPIFFE ID names another workload is refused, saying what it must be', () => {
    expect(() =>
      synthConstructs(
        (s) =>
          new WorkloadSecret(s, 'w', {
            ...base,
            namespace: 'pay',
            name: 'signing',
            serviceAccount: 'signer',
            spiffeId: 'spiffe://td/ns/pay/sa/other',
            vaultSecrets: { key: 'k' },
          }),
      ),
    ).toThrow(
      /WorkloadSecret signing: spiffeId "spiffe:\/\/td\/ns\/pay\/sa\/other" must name this workload: spiffe:\/\/<trust domain>\/ns\/pay\/sa\/signer/,
    );
  });

  test('a plain secret takes its Secret type; an operator secret its operator label and JSON form', () => {
    const objects = synthConstructs((s) => {
      new TenantSecret(s, 't', {
        ...base,
        namespace: 'pay',
        name: 'db',
        secretType: 'kubernetes.io/basic-auth',
        vaultSecrets: { password: 'p--pw', username: 'p--user' },
      });
      new OperatorSecret(s, 'o', {
        ...base,
        namespace: 'pay',
        name: 'boot',
        operator: 'vsecm',
        jsonKey: 'VSECM_SECRET',
        vaultSecrets: { a: 'p--a', b: 'p--b' },
      });
    });
    expect(findObject(objects, 'ExternalSecret', 'db').spec.target.template.type).toBe('kubernetes.io/basic-auth');
    const boot = findObject(objects, 'ExternalSecret', 'boot').spec.target.template;
    expect(boot.metadata.labels['central-secret-store.io/operator']).toBe('vsecm');
    expect(Object.keys(boot.data)).toEqual(['VSECM_SECRET']);
  });

  test('labels and annotations the library sets itself cannot be given', () => {
    const secret =
      (labels: Record<string, string>, annotations: Record<string, string> = {}) =>
      () =>
        synthConstructs(
          (s) => new TenantSecret(s, 't', { ...base, namespace: 'pay', name: 'db', vaultSecrets: { k: 'p--k' }, labels, annotations }),
        );
    expect(secret({ 'managed-by': 'me' })).toThrow(/TenantSecret db: label "managed-by" is set by this library; remove it/);
    expect(secret({}, { 'central-secret-store.io/expires': 'never' })).toThrow(
      /annotation "central-secret-store.io\/expires" is set by this library/,
    );
    expect(secret({ app: 'ok' }, { note: 'ok' })).not.toThrow();
  });

  test('a global secret reaches every namespace of its tenant; secretType and operator exclude each other', () => {
    const objects = synthConstructs(
      (s) => new TenantGlobalSecret(s, 'g', { ...base, name: 'flags', vaultSecrets: { 'flags.json': 'p--flags' } }),
    );
    const ces = findObject(objects, 'ClusterExternalSecret', 'payments-flags');
    expect(ces.spec.namespaceSelectors).toEqual([{ matchLabels: { [TENANT_LABEL]: 'payments' } }]);
    expect(ces.spec.externalSecretName).toBe('flags');
    expect(() =>
      synthConstructs(
        (s) =>
          new TenantGlobalSecret(s, 'g', {
            ...base,
            name: 'x',
            vaultSecrets: { k: 'p--k' },
            secretType: 'Opaque',
            operator: { operator: 'vsecm' },
          }),
      ),
    ).toThrow(/secretType and operator exclude each other/);
  });
});
