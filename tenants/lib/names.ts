/**
 * Kubernetes and Azure naming rules the catalogue is checked against, so that a bad name is reported by
 * file and field before anything is synthesized instead of by the API server at apply time. The Kubernetes
 * rules are the constructs' own (pure modules of theirs).
 */
import { KUBERNETES_NAME_RULES } from '@central-secret-store/constructs/vocabulary';
import { SECRET_DATA_KEY_RULE } from '@central-secret-store/constructs/vocabulary';

const KEY_VAULT_SECRET_NAME = /^[0-9A-Za-z-]{1,127}$/;
const KEY_VAULT_NAME = /^[A-Za-z][0-9A-Za-z-]{1,22}[0-9A-Za-z]$/;

export { isDns1123Label, isDns1123Subdomain, isLabelKey, isLabelValue } from '@central-secret-store/constructs/vocabulary';
export { isSecretDataKey } from '@central-secret-store/constructs/vocabulary';

export function isKeyVaultSecretName(value: string): boolean {
  return KEY_VAULT_SECRET_NAME.test(value);
}

export function isKeyVaultName(value: string): boolean {
  return KEY_VAULT_NAME.test(value) && !value.includes('--');
}

/**
 * A tenant's own vault secrets live in its vault space: names that start with `<tenant>--`. Tenant names may
 * not contain `--` and shared credentials' names may not either, so no tenant's space can hold another
 * tenant's secret or a shared master, whatever the names: if `a--` and `b--` both began one name, `b--` would
 * start with `a--`, so `b` would contain `--` or end in `-`, and no tenant name may do either.
 */
export const TENANT_SPACE_SEPARATOR = '--';

/** The prefix of every vault secret of a tenant. */
export function tenantVaultPrefix(tenant: string): string {
  return `${tenant}${TENANT_SPACE_SEPARATOR}`;
}

/** Whether a vault secret lies in a tenant's space. Key Vault names ignore case, so this does too. */
export function isInTenantSpace(tenant: string, vaultSecretName: string): boolean {
  return vaultSecretName.toLowerCase().startsWith(tenantVaultPrefix(tenant));
}

/** One segment of a KV path: letters, digits, `.`, `_` and `-`, but never `.` or `..`, which would climb out. */
const VAULT_PATH_SEGMENT = /^[A-Za-z0-9._-]{1,255}$/;
/** One segment of a mount path or a Vault Enterprise namespace. */
const VAULT_NAME_SEGMENT = /^[a-z0-9]([a-z0-9_-]*[a-z0-9])?$/;
const VAULT_FIELD = /^[-._a-zA-Z0-9]{1,253}$/;
/** Paths Vault itself routes (or names it forbids for namespaces); no mount or namespace of ours may take one. */
export const RESERVED_VAULT_PATHS = ['sys', 'auth', 'cubbyhole', 'identity', 'audit', 'root'];

const segmentsMatch = (text: string, segment: RegExp) => text.split('/').every((s) => segment.test(s) && s !== '.' && s !== '..');

/**
 * A reference to a value in a KV v2 space: `<path>` or `<path>#<field>`, the path relative to the space's
 * mount. Relative by construction: no leading `/`, no empty, `.` or `..` segment, no wildcard.
 */
export function isVaultReference(reference: string): boolean {
  const hash = reference.indexOf('#');
  const path = hash < 0 ? reference : reference.slice(0, hash);
  const field = hash < 0 ? undefined : reference.slice(hash + 1);
  return path.length <= 512 && segmentsMatch(path, VAULT_PATH_SEGMENT) && (field === undefined || VAULT_FIELD.test(field));
}

/** A KV mount path or Vault Enterprise namespace path: lower-case segments, none of them one Vault reserves. */
export function isVaultMountPath(path: string): boolean {
  return segmentsMatch(path, VAULT_NAME_SEGMENT) && !RESERVED_VAULT_PATHS.includes(path.split('/')[0]);
}

/**
 * The fixed start of every tenant's mount or namespace name. It ends in `-`, `_` or `/`, so the tenant name
 * that follows can never turn the first segment into one Vault reserves, and two tenants never share a segment.
 */
export function isVaultTenantPrefix(prefix: string): boolean {
  if (!/[-_/]$/.test(prefix)) return false;
  const stem = prefix.endsWith('/') ? prefix.slice(0, -1) : `${prefix}x`;
  return isVaultMountPath(stem);
}

export const NAME_RULES = {
  ...KUBERNETES_NAME_RULES,
  keyVaultSecretName: 'must be a Key Vault secret name: 1 to 127 letters, digits and "-"',
  keyVaultName: 'must be a Key Vault name: 3 to 24 letters, digits and "-", starting with a letter, ending with a letter or digit, no "--"',
  secretDataKey: SECRET_DATA_KEY_RULE,
  tenantName: 'must be a DNS-1123 label without "--": "<tenant>--" starts the names of the tenant\'s own vault secrets',
  sharedVaultSecretName: 'may not contain "--", which marks tenants\' own vault secrets ("<tenant>--<name>")',
  vaultReference:
    'must be a KV path relative to the mount, optionally with a field: "<path>" or "<path>#<field>" (segments of letters, digits, ".", "_" and "-"; no leading "/", no "." or ".." segment)',
  vaultMountPath: `must be a Vault path: "/"-separated lower-case segments of letters, digits, "_" and "-", not starting with ${RESERVED_VAULT_PATHS.join(', ')}`,
  vaultTenantPrefix:
    'must be a Vault path ending in "-", "_" or "/" (e.g. css-tenant- or css/tenants/), so that the tenant name forms the rest of its own segment',
} as const;
