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
