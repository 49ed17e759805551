/**
 * ESO issue #6677: when a namespace is relabelled out of a ClusterExternalSecret, ESO deletes the child
 * ExternalSecret but leaves the namespace finalizer `externalsecrets.external-secrets.io/ces-<name>`, so a
 * later deletion of the namespace hangs in Terminating. A finalizer is stale when its ClusterExternalSecret
 * no longer exists or no longer provisions the namespace; removing it is then safe, because ESO has nothing
 * left to clean up there.
 */

export const CES_FINALIZER_PREFIX = 'externalsecrets.external-secrets.io/ces-';

export interface NamespaceFinalizers {
  readonly name: string;
  readonly finalizers: readonly string[];
}

export interface CesProvisioning {
  readonly name: string;
  /** status.provisionedNamespaces of the ClusterExternalSecret. */
  readonly provisionedNamespaces: readonly string[];
}

export interface StaleFinalizers {
  readonly namespace: string;
  readonly stale: string[];
  /** The finalizers the namespace keeps. */
  readonly keep: string[];
}

export function staleCesFinalizers(namespaces: readonly NamespaceFinalizers[], clusterExternalSecrets: readonly CesProvisioning[]): StaleFinalizers[] {
  const provisioned = new Map(clusterExternalSecrets.map((c) => [c.name, new Set(c.provisionedNamespaces)]));
  return namespaces
    .map((ns) => {
      const stale = ns.finalizers.filter((f) => f.startsWith(CES_FINALIZER_PREFIX) && !provisioned.get(f.slice(CES_FINALIZER_PREFIX.length))?.has(ns.name));
      return { namespace: ns.name, stale, keep: ns.finalizers.filter((f) => !stale.includes(f)) };
    })
    .filter((r) => r.stale.length > 0);
}
