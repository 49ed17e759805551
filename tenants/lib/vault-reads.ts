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
import { GoDuration } from '@central-secret-store/constructs/vocabulary';
import type { Catalogue } from './catalogue';
import { clusterPlans } from './cluster-plan';
import { type VaultOfEnvironment, vaultOfEnvironment } from './vault-locations';

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

/** Reads of every vault of the catalogue, in the catalogue's order of environments (by name): the plans' reads, summed. */
export function vaultReads(catalogue: Catalogue): VaultReads[] {
  const plans = clusterPlans(catalogue);
  return catalogue.environments.map((environment) => {
    const reads = plans
      .filter((plan) => plan.cluster.environment === environment.name)
      .flatMap((plan) => plan.objects.flatMap((object) => (object.reads ? [object.reads] : [])));
    return {
      environment: environment.name,
      ...vaultOfEnvironment(environment),
      clusters: catalogue.clusters.filter((c) => c.environment === environment.name).map((c) => c.name),
      perHour: reads.reduce((sum, { gets, every }) => sum + (gets * 3600 * 1e9) / Number(GoDuration.parse(every).nanoseconds), 0),
      peak: reads.reduce((sum, { gets }) => sum + gets, 0),
    };
  });
}
