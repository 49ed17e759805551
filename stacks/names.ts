import { createHash } from 'node:crypto';

/**
 * A name-based (version 5 style) UUID from stable strings. Azure role assignments must be named by a GUID;
 * deriving it from what the assignment means keeps it stable across runs, so `pulumi preview` stays quiet
 * and a second run never tries to create a duplicate.
 */
export function stableUuid(...parts: string[]): string {
  const hash = createHash('sha1').update(parts.join('\u0000')).digest();
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** Built-in role "Key Vault Secrets User": read secret contents, nothing else. */
export const KEY_VAULT_SECRETS_USER_ROLE = '4633458b-17de-408a-b874-0445c86b69e6';

/** Built-in role "Key Vault Crypto User": cryptographic operations with keys, for AKS KMS. */
export const KEY_VAULT_CRYPTO_USER_ROLE = '12338af0-0e69-4776-bea7-57ae8d297424';

/** Full resource id of a built-in role definition in a subscription. */
export function roleDefinitionId(subscriptionId: string, roleId: string): string {
  return `/subscriptions/${subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${roleId}`;
}

/** Audience Azure AD requires on federated identity credentials. */
export const AZURE_TOKEN_EXCHANGE_AUDIENCE = 'api://AzureADTokenExchange';
