/**
 * Where the catalogue's secrets live in a HashiCorp Vault environment, who logs in where, and what each login
 * may read. The cluster plane writes the stores from it, the stacks configure Vault from it, and the tests
 * prove isolation on it.
 *
 * Isolation holds by construction, not by naming discipline: every tenant has a *space* of its own, a KV v2
 * mount `<tenantPrefix><tenant>` (or, with Vault Enterprise, a namespace of that name holding the mount
 * `secret`), and tenants write paths *relative to* their space. A tenant's store is fixed to its space and its
 * Vault role reads `<space>/data/*` and nothing else. The tenant name is a whole path segment (the prefix ends
 * in `-`, `_` or `/`, and tenant names hold no `/`), so `css-tenant-a/data/*` never matches `css-tenant-ab/...`:
 * unlike a Key Vault name prefix, no tenant name can prefix another's space.
 */
import type { VaultSettings } from './schema';

/** The KV v2 mount inside a tenant's own Vault Enterprise namespace. */
export const TENANT_NAMESPACE_MOUNT = 'secret';

/** A KV v2 space: the mount and the Vault Enterprise namespace holding it. */
export interface VaultSpace {
  /** Full namespace path from the root; absent for the root namespace. */
  readonly namespace?: string;
  /** Mount path inside that namespace. */
  readonly mount: string;
}

/** Where a store logs in with Kubernetes auth, and the role it assumes. */
export interface VaultLogin {
  /** Namespace of the auth mount; absent for the root namespace. */
  readonly namespace?: string;
  /** Path of the Kubernetes auth mount (without `auth/`). */
  readonly mount: string;
  /** The role, bound to ESO's ServiceAccount. */
  readonly role: string;
  /** The audience ESO requests its ServiceAccount token for, and the role requires. */
  readonly audience: string;
}

/** A Vault policy in its JSON form, which Vault accepts as it accepts HCL and which tools can check. */
export interface VaultPolicyDocument {
  readonly path: Readonly<Record<string, { readonly capabilities: readonly string[] }>>;
}

export interface VaultPolicy {
  /** Namespace the policy is written in; its paths are relative to it. Absent for the root namespace. */
  readonly namespace?: string;
  readonly name: string;
  readonly document: VaultPolicyDocument;
}

const join = (...parts: (string | undefined)[]) => parts.filter((p): p is string => p !== undefined && p !== '').join('/');

/** The space of the shared credentials' masters. */
export function sharedSpaceOf(vault: VaultSettings): VaultSpace {
  return { namespace: vault.namespace, mount: vault.sharedMount };
}

/** A tenant's own space. */
export function tenantSpaceOf(vault: VaultSettings, tenant: string): VaultSpace {
  const name = `${vault.tenantPrefix}${tenant}`;
  return vault.tenantSpaces === 'namespaces'
    ? { namespace: join(vault.namespace, name), mount: TENANT_NAMESPACE_MOUNT }
    : { namespace: vault.namespace, mount: name };
}

/** The Kubernetes auth mount of one cluster (in each namespace that holds one). */
export function kubernetesAuthMountOf(cluster: string): string {
  return `css-kubernetes-${cluster}`;
}

/** Role and policy of the masters' store of a cluster. */
export const MASTERS_ROLE = 'css-masters';
export function mastersPolicyName(cluster: string): string {
  return `css-masters-${cluster}`;
}

/** Role and policy of a tenant's store. */
export function tenantRoleName(tenant: string): string {
  return `css-tenant-${tenant}`;
}
export const tenantPolicyName = tenantRoleName;

/** The audience of a role's tokens: a token ESO got for one store is no good for another store's role. */
function audienceOf(role: string): string {
  return `vault:${role}`;
}

/** The login of a cluster's masters' store: the environment's namespace, the cluster's auth mount. */
export function mastersLoginOf(vault: VaultSettings, cluster: string): VaultLogin {
  return { namespace: vault.namespace, mount: kubernetesAuthMountOf(cluster), role: MASTERS_ROLE, audience: audienceOf(MASTERS_ROLE) };
}

/**
 * The login of a tenant's store. With namespaces, the login lives in the tenant's namespace, so its token
 * cannot address a sibling namespace whatever its policy says.
 */
export function tenantLoginOf(vault: VaultSettings, cluster: string, tenant: string): VaultLogin {
  const role = tenantRoleName(tenant);
  return { namespace: tenantSpaceOf(vault, tenant).namespace, mount: kubernetesAuthMountOf(cluster), role, audience: audienceOf(role) };
}

/** A reference of the catalogue, `<path>` or `<path>#<field>`, as ESO reads it: the field defaults to the key. */
export function parseVaultReference(reference: string, secretKey: string): { readonly path: string; readonly field: string } {
  const hash = reference.indexOf('#');
  return hash < 0 ? { path: reference, field: secretKey } : { path: reference.slice(0, hash), field: reference.slice(hash + 1) };
}

/** The API path ESO reads for a KV v2 path of a space, relative to the space's namespace. */
export function kvDataPath(space: VaultSpace, path: string): string {
  return `${space.mount}/data/${path}`;
}

/** A tenant reads everything in its own space and nothing else. */
export function tenantPolicyOf(vault: VaultSettings, tenant: string): VaultPolicy {
  const space = tenantSpaceOf(vault, tenant);
  return {
    namespace: space.namespace,
    name: tenantPolicyName(tenant),
    document: { path: { [`${space.mount}/data/*`]: { capabilities: ['read'] } } },
  };
}

/**
 * A cluster's masters' store reads exactly the masters of the credentials offered on the cluster: no
 * wildcard, so a path added to the shared mount is not readable until the catalogue names it.
 */
export function mastersPolicyOf(vault: VaultSettings, cluster: string, paths: readonly string[]): VaultPolicy {
  const space = sharedSpaceOf(vault);
  const exact = [...new Set(paths)].sort().map((path) => [kvDataPath(space, path), { capabilities: ['read'] }] as const);
  return { namespace: space.namespace, name: mastersPolicyName(cluster), document: { path: Object.fromEntries(exact) } };
}
