import type { Construct } from 'constructs';
import { type ISecretStore, KeyVaultStore, type RemoteSecretReference, VaultStore, keyVaultUrl } from '../constructs/src';
import {
  type Catalogue,
  type Cluster,
  type Credential,
  KEY_VAULT_STORE,
  type OwnSecret,
  VAULT_STORE,
  type VaultLogin,
  type VaultSpace,
  CANARY_KEY,
  canaryKeyVaultSecretName,
  canaryVaultPath,
  environmentOf,
  mastersLoginOf,
  parseVaultReference,
  sharedSpaceOf,
  tenantLoginOf,
  tenantSpaceOf,
  tenantStoreName,
} from '../tenants/lib';

/**
 * The vault of a cluster's environment in the constructs' terms: the store the masters are read through, a
 * store per tenant, and the remote reference of each value the catalogue names. Everything downstream of the
 * stores (central namespace, per-credential stores, distributions, formats) is the same for every backend.
 */
export interface SecretBackend {
  /** The masters' store, usable from the central namespace only. */
  readonly masters: ISecretStore;
  /** A tenant's own store, usable from the tenant's namespaces on this cluster only, reading its space only. */
  tenantStore(tenant: string, namespaces: readonly string[]): ISecretStore;
  /** Where the backend holds each master key of a credential. */
  masterSecrets(credential: Credential): Record<string, RemoteSecretReference>;
  /** Where the backend holds each key of a tenant's own secret. */
  ownSecrets(secret: OwnSecret): Record<string, RemoteSecretReference>;
  /** Where the backend holds the cluster's canary value. */
  readonly canarySecret: RemoteSecretReference;
}

export function secretBackendOf(scope: Construct, catalogue: Catalogue, cluster: Cluster, centralNamespace: string): SecretBackend {
  const environment = environmentOf(catalogue, cluster);
  const named = <T>(references: T | undefined, what: string): T => {
    if (references === undefined)
      throw new Error(`${what} names nothing in environment ${environment.name}'s backend; validation should have refused it`);
    return references;
  };
  // By name, not by label: a namespace name cannot be relabelled into another tenant's store.
  const onlyFrom = (namespaces: readonly string[]) => [{ namespaces: [...namespaces].sort() }];

  if (environment.vault) {
    const vault = environment.vault;
    const store = (id: string, name: string, space: VaultSpace, login: VaultLogin, namespaces: readonly string[]) =>
      new VaultStore(scope, id, {
        name,
        server: vault.address,
        caBundle: vault.caBundle,
        mountPath: space.mount,
        namespace: space.namespace,
        conditions: onlyFrom(namespaces),
        auth: {
          mountPath: login.mount,
          role: login.role,
          audiences: [login.audience],
          ...(login.namespace === space.namespace ? {} : { namespace: login.namespace }),
        },
      });
    // Paths are relative to the store's mount, so a reference can only ever reach the store's own space.
    const references = (given: Readonly<Record<string, string>>) =>
      Object.fromEntries(
        Object.entries(given).map(([key, reference]) => {
          const { path, field } = parseVaultReference(reference, key);
          return [key, { key: path, property: field }];
        }),
      );
    return {
      masters: store('vault', VAULT_STORE, sharedSpaceOf(vault), mastersLoginOf(vault, cluster.name), [centralNamespace]),
      tenantStore: (tenant, namespaces) =>
        store(
          `store-${tenant}`,
          tenantStoreName(tenant),
          tenantSpaceOf(vault, tenant),
          tenantLoginOf(vault, cluster.name, tenant),
          namespaces,
        ),
      masterSecrets: (credential) => references(named(credential.vault, `credential ${credential.name}`)),
      ownSecrets: (secret) => references(named(secret.vault, `secret ${secret.name}`)),
      canarySecret: { key: canaryVaultPath(cluster.name), property: CANARY_KEY },
    };
  }

  const keyVault = named(environment.keyVault, `environment ${environment.name}`);
  const auth = cluster.kind === 'aks' ? ({ kind: 'workload-identity' } as const) : ({ kind: 'service-principal' } as const);
  const common = { vaultUrl: keyVaultUrl(keyVault.name), tenantId: keyVault.tenantId, auth };
  return {
    masters: new KeyVaultStore(scope, 'keyvault', { ...common, name: KEY_VAULT_STORE, conditions: [{ namespaces: [centralNamespace] }] }),
    tenantStore: (tenant, namespaces) =>
      new KeyVaultStore(scope, `store-${tenant}`, { ...common, name: tenantStoreName(tenant), conditions: onlyFrom(namespaces) }),
    masterSecrets: (credential) => named(credential.keyVault, `credential ${credential.name}`),
    ownSecrets: (secret) => named(secret.keyVault, `secret ${secret.name}`),
    canarySecret: canaryKeyVaultSecretName(cluster.name),
  };
}
