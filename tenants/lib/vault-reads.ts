/**
 * How many reads the catalogue makes of each vault (one per environment, Azure Key Vault or HashiCorp Vault),
 * against Key Vault's service limit, so that a change that would get a vault throttled shows up in review
 * rather than in production.
 *
 * The model, from what synth deploys: every ExternalSecret that reads a vault issues one GET per value it
 * names (a Key Vault secret, a field of a Vault path), once per refresh interval:
 *
 * - each cluster reads the master of every credential it offers (MASTER_REFRESH_INTERVAL), one GET per
 *   master key, and its canary's one value; tenant copies read the cluster's own API server, never the vault;
 * - each tenant namespace reads its own secrets, and every namespace of a tenant its tenant's global secrets
 *   on that cluster (OWN_SECRET_REFRESH_INTERVAL), one GET per key.
 *
 * The peak is every one of those ExternalSecrets refreshing in the same moment, as after ESO restarts or on a
 * cluster's first deploy: all of a round's GETs within one window of the limit.
 */
import { parseGoDuration } from '../../constructs/src/duration';
import { MASTER_REFRESH_INTERVAL, OWN_SECRET_REFRESH_INTERVAL } from '../../constructs/src/refresh-intervals';
import type { Catalogue } from './catalogue';
import { canaryOf, credentialsOfferedOn, namespacesOn } from './resolve';
import { type VaultOfEnvironment, masterLocations, ownSecretLocations, vaultOfEnvironment } from './vault-locations';

export { MASTER_REFRESH_INTERVAL, OWN_SECRET_REFRESH_INTERVAL } from '../../constructs/src/refresh-intervals';

/** Azure Key Vault's service limit for secret GETs, per vault and region. HashiCorp Vault has no fixed one. */
export const KEY_VAULT_GET_LIMIT = { requests: 4000, seconds: 10 } as const;

export interface VaultReads extends VaultOfEnvironment {
  readonly environment: string;
  /** The clusters of the environment, which all read this vault. */
  readonly clusters: readonly string[];
  /** GETs per hour in steady state. */
  readonly perHour: number;
  /** GETs when every ExternalSecret reading the vault refreshes at once; compare with KEY_VAULT_GET_LIMIT (Key Vault). */
  readonly peak: number;
}

/** Reads of every vault of the catalogue, in the catalogue's order of environments (by name). */
export function vaultReads(catalogue: Catalogue): VaultReads[] {
  const perHour = (gets: number, interval: string) => (gets * 3600 * 1e9) / Number(parseGoDuration(interval));
  return catalogue.environments.map((environment) => {
    const clusters = catalogue.clusters.filter((c) => c.environment === environment.name);
    let masterGets = 0;
    let ownGets = 0;
    for (const cluster of clusters) {
      for (const credential of credentialsOfferedOn(catalogue, cluster)) masterGets += Object.keys(masterLocations(environment, credential)).length;
      if (canaryOf(cluster)) masterGets += 1;
      for (const { tenant, namespace } of namespacesOn(catalogue, cluster)) {
        const secrets = [...(namespace.secrets ?? []), ...(tenant.clusters[cluster.name]?.globalSecrets ?? [])];
        for (const secret of secrets) ownGets += Object.keys(ownSecretLocations(environment, tenant.name, secret)).length;
      }
    }
    return {
      environment: environment.name,
      ...vaultOfEnvironment(environment),
      clusters: clusters.map((c) => c.name),
      perHour: perHour(masterGets, MASTER_REFRESH_INTERVAL) + perHour(ownGets, OWN_SECRET_REFRESH_INTERVAL),
      peak: masterGets + ownGets,
    };
  });
}
