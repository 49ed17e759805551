/**
 * Kubernetes and Azure naming rules the catalogue is checked against, so that a bad name is reported by
 * file and field before anything is synthesized instead of by the API server at apply time. The Kubernetes
 * rules are the constructs' own (pure modules of theirs).
 */
import { KUBERNETES_NAME_RULES } from '../../constructs/src/kubernetes-names';
import { SECRET_DATA_KEY_RULE } from '../../constructs/src/secret-data-key';

const KEY_VAULT_SECRET_NAME = /^[0-9A-Za-z-]{1,127}$/;
const KEY_VAULT_NAME = /^[A-Za-z][0-9A-Za-z-]{1,22}[0-9A-Za-z]$/;

export { isDns1123Label, isDns1123Subdomain, isLabelKey, isLabelValue } from '../../constructs/src/kubernetes-names';
export { isSecretDataKey } from '../../constructs/src/secret-data-key';

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

export const NAME_RULES = {
  ...KUBERNETES_NAME_RULES,
  keyVaultSecretName: 'must be a Key Vault secret name: 1 to 127 letters, digits and "-"',
  keyVaultName: 'must be a Key Vault name: 3 to 24 letters, digits and "-", starting with a letter, ending with a letter or digit, no "--"',
  secretDataKey: SECRET_DATA_KEY_RULE,
  tenantName: 'must be a DNS-1123 label without "--": "<tenant>--" starts the names of the tenant\'s own vault secrets',
  sharedVaultSecretName: 'may not contain "--", which marks tenants\' own vault secrets ("<tenant>--<name>")',
} as const;
