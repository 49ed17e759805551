/**
 * ESO issue #6677: when a namespace is relabelled out of a ClusterExternalSecret, ESO deletes the child
 * ExternalSecret but leaves the namespace finalizer `externalsecrets.external-secrets.io/ces-<name>`, so a
 * later deletion of the namespace hangs in Terminating. A finalizer is stale when its ClusterExternalSecret
 * no longer exists or no longer provisions the namespace; removing it is then safe, because ESO has nothing
 * left to clean up there.
 */
import { CoreV1Api, CustomObjectsApi, type KubeConfig, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';

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

export function staleCesFinalizers(
  namespaces: readonly NamespaceFinalizers[],
  clusterExternalSecrets: readonly CesProvisioning[],
): StaleFinalizers[] {
  const provisioned = new Map(clusterExternalSecrets.map((c) => [c.name, new Set(c.provisionedNamespaces)]));
  return namespaces
    .map((ns) => {
      const stale = ns.finalizers.filter(
        (f) => f.startsWith(CES_FINALIZER_PREFIX) && !provisioned.get(f.slice(CES_FINALIZER_PREFIX.length))?.has(ns.name),
      );
      return { namespace: ns.name, stale, keep: ns.finalizers.filter((f) => !stale.includes(f)) };
    })
    .filter((r) => r.stale.length > 0);
}

interface ClusterExternalSecretList {
  readonly items: readonly {
    readonly metadata: { readonly name: string };
    readonly status?: { readonly provisionedNamespaces?: string[] };
  }[];
}

/** Finds and removes stale ESO finalizers; returns what it removed (or would remove). */
export async function releaseStaleFinalizers(
  config: KubeConfig,
  options: { dryRun: boolean; log?: (line: string) => void },
): Promise<StaleFinalizers[]> {
  const core = config.makeApiClient(CoreV1Api);
  const custom = config.makeApiClient(CustomObjectsApi);
  const namespaces = (await core.listNamespace()).items;
  const distributions = (await custom.listClusterCustomObject({
    group: 'external-secrets.io',
    version: 'v1',
    plural: 'clusterexternalsecrets',
  })) as ClusterExternalSecretList;
  const stale = staleCesFinalizers(
    namespaces.map((n) => ({ name: n.metadata!.name!, finalizers: n.metadata?.finalizers ?? [] })),
    distributions.items.map((c) => ({ name: c.metadata.name, provisionedNamespaces: c.status?.provisionedNamespaces ?? [] })),
  );
  const versions = new Map(namespaces.map((n) => [n.metadata!.name!, n.metadata!.resourceVersion!]));
  for (const { namespace, stale: finalizers, keep } of stale) {
    options.log?.(`${options.dryRun ? 'would release' : 'releasing'} ${namespace}: ${finalizers.join(', ')}`);
    // A merge patch replaces the whole list, so only the finalizers to keep are sent; the resourceVersion
    // makes the API server refuse the patch if anyone (ESO) changed the namespace since it was read.
    if (!options.dryRun) {
      await core.patchNamespace(
        { name: namespace, body: { metadata: { finalizers: keep, resourceVersion: versions.get(namespace) } } },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      );
    }
  }
  return stale;
}
