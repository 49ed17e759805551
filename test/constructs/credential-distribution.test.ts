import { CredentialDistribution, MasterCredential, TENANT_LABEL } from '../../constructs';
import { type Credential, formatsOf } from '../../tenants/lib';
import { findObject, synthConstructs } from '../support/synth';

const credential: Credential = {
  name: 'ghcr',
  kind: 'docker-registry',
  registries: ['ghcr.io'],
  keyVault: { username: 'ghcr-user', password: 'ghcr-token' },
  allowedTenants: ['zeta', 'alpha'],
  formats: [{ type: 'dockerconfigjson' }, { type: 'kargo', credType: 'image' }],
};

describe('CredentialDistribution', () => {
  const [docker, kargo] = formatsOf(credential);
  const objects = synthConstructs((s) => {
    new CredentialDistribution(s, 'docker', { credential, format: docker });
    new CredentialDistribution(s, 'kargo', { credential, format: kargo, refreshInterval: '30s', creationPolicy: 'Orphan' });
  });

  test('one ClusterExternalSecret per credential and format, with stable explicit names', () => {
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['ClusterExternalSecret/ghcr-dockerconfigjson', 'ClusterExternalSecret/ghcr-kargo']);
    const ces = findObject(objects, 'ClusterExternalSecret', 'ghcr-dockerconfigjson');
    expect(ces.spec.externalSecretName).toBe('ghcr-dockerconfigjson');
    expect(ces.spec.externalSecretSpec.target.name).toBe('ghcr-dockerconfigjson');
  });

  test('selects namespaces that request the credential AND belong to an allowed tenant, with namespaceSelectors only', () => {
    const ces = findObject(objects, 'ClusterExternalSecret', 'ghcr-dockerconfigjson');
    expect(ces.spec.namespaceSelectors).toEqual([
      { matchLabels: { 'secrets/ghcr': 'true' }, matchExpressions: [{ key: TENANT_LABEL, operator: 'In', values: ['alpha', 'zeta'] }] },
    ]);
    expect(ces.spec.namespaceSelector).toBeUndefined();
    expect(ces.spec.namespaces).toBeUndefined();
  });

  test('writes every defaulted field explicitly', () => {
    const spec = findObject(objects, 'ClusterExternalSecret', 'ghcr-dockerconfigjson').spec;
    // Go's canonical duration strings, as ESO writes them back, so a second apply finds nothing to change.
    expect(spec.refreshTime).toBe('5m0s');
    expect(spec.externalSecretSpec).toMatchObject({
      secretStoreRef: { kind: 'ClusterSecretStore', name: 'central-ghcr' },
      refreshPolicy: 'Periodic',
      refreshInterval: '1m0s',
      target: { creationPolicy: 'Owner', deletionPolicy: 'Retain', template: { engineVersion: 'v2', mergePolicy: 'Replace', type: 'kubernetes.io/dockerconfigjson' } },
    });
    expect(spec.externalSecretSpec.data).toEqual([
      { secretKey: 'password', remoteRef: { key: 'ghcr', property: 'password' } },
      { secretKey: 'username', remoteRef: { key: 'ghcr', property: 'username' } },
    ]);
  });

  test('props override interval and creation policy; consumer labels are added to the common ones', () => {
    const spec = findObject(objects, 'ClusterExternalSecret', 'ghcr-kargo').spec.externalSecretSpec;
    expect(spec.refreshInterval).toBe('30s');
    expect(spec.target.creationPolicy).toBe('Orphan');
    expect(spec.target.template.metadata.labels).toEqual({
      'managed-by': 'external-secrets',
      source: 'central-secret-store',
      'secret-type': 'docker-registry',
      'central-secret-store.io/credential': 'ghcr',
      'kargo.akuity.io/cred-type': 'image',
    });
  });

  test('durations are written in the canonical form ESO stores, and a bad one names the prop', () => {
    const [docker] = formatsOf(credential);
    const ces = findObject(
      synthConstructs((s) => new CredentialDistribution(s, 'd', { credential, format: docker, refreshInterval: '90s', refreshTime: '1h' })),
      'ClusterExternalSecret',
      'ghcr-dockerconfigjson',
    );
    expect([ces.spec.externalSecretSpec.refreshInterval, ces.spec.refreshTime]).toEqual(['1m30s', '1h0m0s']);
    expect(() => synthConstructs((s) => new CredentialDistribution(s, 'd', { credential, format: docker, refreshInterval: '1 minute' }))).toThrow(
      /CredentialDistribution ghcr-dockerconfigjson: refreshInterval "1 minute" is not a Go duration/,
    );
  });
});

describe('MasterCredential', () => {
  test('pulls each master key from its Key Vault secret through the Key Vault store', () => {
    const es = findObject(
      synthConstructs((s) => new MasterCredential(s, 'm', { credential, namespace: 'central-secret-store', keyVaultStoreName: 'keyvault' })),
      'ExternalSecret',
      'ghcr',
    );
    expect(es.metadata.namespace).toBe('central-secret-store');
    expect(es.spec).toEqual({
      secretStoreRef: { kind: 'ClusterSecretStore', name: 'keyvault' },
      refreshPolicy: 'Periodic',
      refreshInterval: '5m0s',
      target: { name: 'ghcr', creationPolicy: 'Owner', deletionPolicy: 'Retain' },
      data: [
        { secretKey: 'password', remoteRef: { key: 'ghcr-token' } },
        { secretKey: 'username', remoteRef: { key: 'ghcr-user' } },
      ],
    });
  });
});
