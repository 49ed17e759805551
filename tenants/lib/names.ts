/**
 * Kubernetes and Azure naming rules the catalogue is checked against, so that a bad name is reported by
 * file and field before anything is synthesized instead of by the API server at apply time.
 */

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const KEY_VAULT_SECRET_NAME = /^[0-9A-Za-z-]{1,127}$/;
const KEY_VAULT_NAME = /^[A-Za-z][0-9A-Za-z-]{1,22}[0-9A-Za-z]$/;
const SECRET_DATA_KEY = /^[-._a-zA-Z0-9]{1,253}$/;

export function isDns1123Label(value: string): boolean {
  return value.length <= 63 && DNS1123_LABEL.test(value);
}

export function isDns1123Subdomain(value: string): boolean {
  return value.length <= 253 && DNS1123_SUBDOMAIN.test(value);
}

/** A label (or annotation) key: an optional DNS subdomain prefix and "/", then a name of at most 63 characters. */
export function isLabelKey(value: string): boolean {
  const slash = value.lastIndexOf('/');
  const prefix = slash >= 0 ? value.slice(0, slash) : undefined;
  const name = slash >= 0 ? value.slice(slash + 1) : value;
  if (prefix !== undefined && !isDns1123Subdomain(prefix)) return false;
  return name.length <= 63 && LABEL_NAME.test(name);
}

export function isLabelValue(value: string): boolean {
  return value === '' || (value.length <= 63 && LABEL_NAME.test(value));
}

export function isKeyVaultSecretName(value: string): boolean {
  return KEY_VAULT_SECRET_NAME.test(value);
}

export function isKeyVaultName(value: string): boolean {
  return KEY_VAULT_NAME.test(value) && !value.includes('--');
}

export function isSecretDataKey(value: string): boolean {
  return SECRET_DATA_KEY.test(value) && value !== '.' && value !== '..';
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

export const NAME_RULES = {
  dns1123Label: 'must be a DNS-1123 label: at most 63 lowercase letters, digits and "-", starting and ending with a letter or digit',
  dns1123Subdomain: 'must be a DNS-1123 subdomain: at most 253 lowercase letters, digits, "-" and ".", each part starting and ending with a letter or digit',
  labelKey: 'must be a Kubernetes label key: an optional DNS subdomain prefix and "/", then at most 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit',
  labelValue: 'must be a Kubernetes label value: empty, or at most 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit',
  keyVaultSecretName: 'must be a Key Vault secret name: 1 to 127 letters, digits and "-"',
  keyVaultName: 'must be a Key Vault name: 3 to 24 letters, digits and "-", starting with a letter, ending with a letter or digit, no "--"',
  secretDataKey: 'must be a Secret data key: at most 253 letters, digits, "-", "_" and "."',
  tenantName: 'must be a DNS-1123 label without "--": "<tenant>--" starts the names of the tenant\'s own vault secrets',
  sharedVaultSecretName: 'may not contain "--", which marks tenants\' own vault secrets ("<tenant>--<name>")',
} as const;
