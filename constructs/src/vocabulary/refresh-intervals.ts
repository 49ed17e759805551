/**
 * How often ESO reads what the constructs deploy, unless told otherwise, defined once and in the canonical Go
 * form ESO writes back (see duration.ts): the constructs' defaults, the catalogue's cluster plan and its vault
 * read model all use these.
 */

/** Each tenant copy re-reads its master from the central namespace this often: Property 1's bound. */
export const COPY_REFRESH_INTERVAL = '1m0s';

/** MasterCredential: each cluster re-reads each master from the vault this often. */
export const MASTER_REFRESH_INTERVAL = '5m0s';

/** Own secrets, in one namespace or global: each copy re-reads the vault this often. */
export const OWN_SECRET_REFRESH_INTERVAL = '5m0s';

/**
 * ClusterExternalSecrets re-list namespaces this often. Label changes are seen at once through ESO's
 * namespace watch; this is the safety net.
 */
export const NAMESPACE_RESCAN_INTERVAL = '5m0s';

/** ESO re-validates each (Cluster)SecretStore this often. */
export const STORE_REFRESH_INTERVAL = '5m0s';

/** How soon after a deployment the canary's new value must reach its namespace: the canary check's deadline. */
export const CANARY_BOUND = '15m0s';
