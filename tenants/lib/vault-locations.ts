/**
 * How the access model names an environment's vault and the values in it, whatever the backend: one string
 * per value, which a reviewer can read and two catalogues can compare. A Key Vault value is its secret name;
 * a HashiCorp Vault value is `<namespace>/<mount>/<path>#<field>` in the space the store reads, so the same
 * path in another tenant's space, or a field moved within a path, is another value.
 */
import { CANARY_KEY, canaryKeyVaultSecretName, canaryVaultPath } from '@central-secret-store/constructs/vocabulary';
import type { Credential, Environment, OwnSecret } from './schema';
import { type VaultSpace, parseVaultReference, sharedSpaceOf, tenantSpaceOf } from './vault-layout';

/** The backend of an environment, by the catalogue's own key for it. */
export type Backend = 'keyVault' | 'vault';

export interface VaultOfEnvironment {
  readonly backend: Backend;
  /** The Key Vault's name, or the Vault server's address. */
  readonly vault: string;
}

export function vaultOfEnvironment(environment: Environment): VaultOfEnvironment {
  return environment.vault
    ? { backend: 'vault', vault: environment.vault.address }
    : { backend: 'keyVault', vault: environment.keyVault!.name };
}

/** Where each master key of a credential lives in the environment's vault (none where it names no vault of the backend, which validation reports). */
export function masterLocations(environment: Environment, credential: Credential): Record<string, string> {
  return environment.vault ? inSpace(sharedSpaceOf(environment.vault), credential.vault ?? {}) : { ...credential.keyVault };
}

/** Where a cluster's canary value lives in the environment's vault: one per cluster, in the masters' space. */
export function canaryLocation(environment: Environment, cluster: string): string {
  return environment.vault
    ? inSpace(sharedSpaceOf(environment.vault), { [CANARY_KEY]: canaryVaultPath(cluster) })[CANARY_KEY]
    : canaryKeyVaultSecretName(cluster);
}

/** Where each key of a tenant's own secret lives in the environment's vault. */
export function ownSecretLocations(environment: Environment, tenant: string, secret: OwnSecret): Record<string, string> {
  return environment.vault ? inSpace(tenantSpaceOf(environment.vault, tenant), secret.vault ?? {}) : { ...secret.keyVault };
}

function inSpace(space: VaultSpace, references: Readonly<Record<string, string>>): Record<string, string> {
  const prefix = [space.namespace, space.mount].filter((part) => part !== undefined && part !== '').join('/');
  return Object.fromEntries(
    Object.entries(references).map(([key, reference]) => {
      const { path, field } = parseVaultReference(reference, key);
      return [key, `${prefix}/${path}#${field}`];
    }),
  );
}
