/**
 * `central-secret-store release-finalizers`: removes the namespace finalizers ESO leaves behind when a
 * namespace stops requesting a credential (ESO issue #6677), so that deleting the namespace does not hang.
 * Run it after a deploy that removed requests, until ESO ships the fix (PR #6693).
 */
import { CoreV1Api, CustomObjectsApi, type KubeConfig, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { Command, Option } from 'commander';
import { loadKubeConfig } from '../operations/kube';
import { contextOption, jsonOption, kubeconfigOption } from '../support/options';
import { type StaleFinalizers, staleCesFinalizers } from '../operations/stale-finalizers';

interface ClusterExternalSecretList {
  readonly items: readonly { readonly metadata: { readonly name: string }; readonly status?: { readonly provisionedNamespaces?: string[] } }[];
}

/** Finds and removes stale ESO finalizers; returns what it removed (or would remove). */
export async function releaseStaleFinalizers(config: KubeConfig, options: { dryRun: boolean; log?: (line: string) => void }): Promise<StaleFinalizers[]> {
  const core = config.makeApiClient(CoreV1Api);
  const custom = config.makeApiClient(CustomObjectsApi);
  const namespaces = (await core.listNamespace()).items;
  const distributions = (await custom.listClusterCustomObject({ group: 'external-secrets.io', version: 'v1', plural: 'clusterexternalsecrets' })) as ClusterExternalSecretList;
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

export function releaseFinalizersCommand(): Command {
  return new Command('release-finalizers')
    .description('Remove the namespace finalizers ESO left behind after a namespace stopped requesting a credential (ESO #6677)')
    .addOption(kubeconfigOption())
    .addOption(contextOption())
    .addOption(new Option('--dry-run', 'only list what would be removed').default(false))
    .addOption(jsonOption())
    .action(async (options: { kubeconfig?: string; context?: string; dryRun: boolean; json: boolean }) => {
      const stale = await releaseStaleFinalizers(loadKubeConfig(options), { dryRun: options.dryRun, log: options.json ? undefined : (l) => console.log(l) });
      if (options.json) console.log(JSON.stringify({ dryRun: options.dryRun, released: stale }, null, 2));
      else console.log(`${stale.length} namespace${stale.length === 1 ? '' : 's'} with stale ESO finalizers${options.dryRun ? ' (dry run)' : ' released'}`);
    });
}
