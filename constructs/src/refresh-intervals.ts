/**
 * How often the constructs read the vault unless told otherwise. A pure module (no cdk8s), so that the
 * catalogue's Key Vault read model counts with the intervals that are deployed.
 */

/** MasterCredential: each cluster re-reads each master from the vault this often. */
export const MASTER_REFRESH_INTERVAL = '5m0s';

/** Own secrets, in one namespace or global: each copy re-reads the vault this often. */
export const OWN_SECRET_REFRESH_INTERVAL = '5m0s';
