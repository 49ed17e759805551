import { KeyVaultStore, keyVaultUrl } from '../../constructs/src';
import { findObject, synthConstructs } from '../support/synth';

const base = {
  name: 'keyvault',
  vaultUrl: keyVaultUrl('kv-test'),
  tenantId: '6f1c2a4e-8b3d-4c5e-9f70-1a2b3c4d5e6f',
  conditions: [{ namespaces: ['central-secret-store'] }],
};

describe('KeyVaultStore', () => {
  test('workload identity by default, usable only from the listed namespaces', () => {
    const store = findObject(
      synthConstructs((s) => new KeyVaultStore(s, 'kv', base)),
      'ClusterSecretStore',
      'keyvault',
    );
    expect(store.spec.conditions).toEqual([{ namespaces: ['central-secret-store'] }]);
    expect(store.spec.provider).toEqual({
      azurekv: {
        vaultUrl: 'https://kv-test.vault.azure.net/',
        tenantId: base.tenantId,
        environmentType: 'PublicCloud',
        useAzureSDK: false,
        authType: 'WorkloadIdentity',
        serviceAccountRef: { name: 'external-secrets', namespace: 'external-secrets' },
        authSecretRef: { clientId: { name: 'azure-keyvault-identity', namespace: 'external-secrets', key: 'client-id' } },
      },
    });
  });

  test('a service principal for clusters outside Azure', () => {
    const store = findObject(
      synthConstructs((s) => new KeyVaultStore(s, 'kv', { ...base, auth: { kind: 'service-principal' } })),
      'ClusterSecretStore',
      'keyvault',
    );
    expect(store.spec.provider.azurekv.authType).toBe('ServicePrincipal');
    expect(store.spec.provider.azurekv.serviceAccountRef).toBeUndefined();
    expect(store.spec.provider.azurekv.authSecretRef).toEqual({
      clientId: { name: 'azure-keyvault-identity', namespace: 'external-secrets', key: 'client-id' },
      clientSecret: { name: 'azure-keyvault-identity', namespace: 'external-secrets', key: 'client-secret' },
    });
  });

  test('bad props are refused with what to do', () => {
    expect(() => synthConstructs((s) => new KeyVaultStore(s, 'kv', { ...base, conditions: [] }))).toThrow(
      /conditions must name the namespaces/,
    );
    expect(() => synthConstructs((s) => new KeyVaultStore(s, 'kv', { ...base, vaultUrl: 'kv-test' }))).toThrow(
      /vaultUrl must look like https:\/\/<vault>\.vault\.azure\.net\//,
    );
  });
});
