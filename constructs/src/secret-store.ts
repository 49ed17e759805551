import { durationProp } from './vocabulary/duration';
import { STORE_REFRESH_INTERVAL } from './vocabulary/refresh-intervals';

/** A store an ExternalSecret reads through: a construct of this library, or one that exists already. */
export interface ISecretStore {
  /** Name of the store. */
  readonly storeName: string;
  /** `ClusterSecretStore` for every store of this library. */
  readonly storeKind: 'ClusterSecretStore' | 'SecretStore';
}

/** A ClusterSecretStore that exists already, by name. */
export function clusterSecretStoreNamed(storeName: string): ISecretStore {
  return { storeName, storeKind: 'ClusterSecretStore' };
}

/**
 * Where a value lives behind a store: a name (a Key Vault secret), or a key and one property of it (a path
 * and a field of a Vault KV secret), as ESO's `remoteRef` takes them.
 */
export type RemoteSecretReference = string | { readonly key: string; readonly property?: string };

/** The `remoteRef` of an ExternalSecret for a reference. */
export function remoteRefOf(reference: RemoteSecretReference): { key: string; property?: string } {
  return typeof reference === 'string'
    ? { key: reference }
    : { key: reference.key, ...(reference.property === undefined ? {} : { property: reference.property }) };
}

/**
 * A store's `refreshInterval`, which ESO takes as a whole number of seconds (not a Go duration, unlike every
 * other interval): how often ESO re-validates the store.
 */
export function storeRefreshSeconds(owner: string, interval: string = STORE_REFRESH_INTERVAL): number {
  const duration = durationProp(owner, 'storeRefreshInterval', interval);
  if (!duration.wholeSeconds || duration.seconds < 1)
    throw new Error(`${owner}: storeRefreshInterval "${interval}" must be a whole number of seconds, at least 1s`);
  return duration.seconds;
}
