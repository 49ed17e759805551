/**
 * How the product names the objects it generates, defined once: the constructs' defaults, the catalogue's
 * cluster plan (and so validation's collision check, the access model and the report) all name objects here.
 */

/** Namespace of the master Secrets. */
export const CENTRAL_NAMESPACE = 'central-secret-store';

/** ServiceAccount (and its Role and RoleBinding) that reads the central namespace for ESO. */
export const CENTRAL_READER = 'central-secret-store-reader';

/** The ClusterSecretStore that reads the environment's vault for the central namespace: an Azure Key Vault... */
export const KEY_VAULT_STORE = 'keyvault';
/** ...or the shared mount of a HashiCorp Vault. */
export const VAULT_STORE = 'vault';

/** ClusterRole granted to tenant owners in each of their namespaces, and the RoleBinding that grants it. */
export const TENANT_OWNER_ROLE = 'central-secret-store-tenant-owner';
export const TENANT_OWNER_BINDING = 'tenant-owners';

/** The admission policies (each with a binding of the same name). */
export const NAMESPACE_LABEL_POLICY = 'central-secret-store-namespace-labels';
export const STORE_REFERENCE_POLICY = 'central-secret-store-store-references';

/** The store that serves one credential's master from the central namespace. */
export function centralStoreName(credential: string): string {
  return `central-${credential}`;
}

/** A tenant's own store. */
export function tenantStoreName(tenant: string): string {
  return `tenant-${tenant}`;
}

/** The ClusterExternalSecret of one credential and format, and the ExternalSecret it writes into each namespace. */
export function distributionName(credential: string, formatId: string): string {
  return `${credential}-${formatId}`;
}

/** The Secret a format of a credential writes into each namespace, unless the format names another. */
export function defaultSecretName(credential: string, formatId: string): string {
  return `${credential}-${formatId}`;
}

/** The ClusterExternalSecret that delivers a tenant's global secret to each of its namespaces. */
export function globalSecretDistributionName(tenant: string, secret: string): string {
  return `${tenant}-${secret}`;
}

/** The Role and RoleBinding that let a workload secret's ServiceAccount read it. */
export function workloadReaderName(secret: string): string {
  return `read-${secret}`;
}

/** The canary's credential: its master in the central namespace, its store and its distribution are named after it. */
export const CANARY_CREDENTIAL = 'canary';

/** The namespace each cluster's canary is distributed to, unless the cluster names another. */
export const CANARY_NAMESPACE = 'central-secret-store-canary';

/** The one key of the canary's master and copy. */
export const CANARY_KEY = 'value';

/** The Key Vault secret a cluster's canary reads, in its environment's vault: one per cluster. */
export function canaryKeyVaultSecretName(cluster: string): string {
  return `css-canary-${cluster}`;
}

/** The KV path, in the shared mount, a cluster's canary reads (HashiCorp Vault environments). */
export function canaryVaultPath(cluster: string): string {
  return `canary/${cluster}`;
}
