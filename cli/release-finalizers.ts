/**
 * npm run release-finalizers -- [--kubeconfig <file>] [--dry-run]
 *
 * Removes the namespace finalizers ESO leaves behind when a namespace stops requesting a credential (ESO
 * issue #6677), so that deleting the namespace does not hang. Run it after a deploy that removed requests,
 * until ESO ships the fix (PR #6693).
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { KubeClient } from './kube-client';
import { staleCesFinalizers } from './stale-finalizers';

/** Finds and removes stale ESO finalizers; returns what it removed (or would remove). */
export async function releaseStaleFinalizers(client: KubeClient, options: { dryRun: boolean; log?: (line: string) => void }): Promise<ReturnType<typeof staleCesFinalizers>> {
  const namespaces = await client.list('v1', 'Namespace');
  const distributions = await client.list('external-secrets.io/v1', 'ClusterExternalSecret');
  const stale = staleCesFinalizers(
    namespaces.map((n) => ({ name: n.metadata.name, finalizers: n.metadata.finalizers ?? [] })),
    distributions.map((c) => ({ name: c.metadata.name, provisionedNamespaces: c.status?.provisionedNamespaces ?? [] })),
  );
  const versions = new Map(namespaces.map((n) => [n.metadata.name, n.metadata.resourceVersion as string]));
  for (const { namespace, stale: finalizers, keep } of stale) {
    options.log?.(`${options.dryRun ? 'would release' : 'releasing'} ${namespace}: ${finalizers.join(', ')}`);
    // A merge patch replaces the whole list, so only the finalizers to keep are sent; the resourceVersion
    // makes the API server refuse the patch if anyone (ESO) changed the namespace since it was read.
    if (!options.dryRun) await client.patch('v1', 'Namespace', namespace, { metadata: { finalizers: keep, resourceVersion: versions.get(namespace) } });
  }
  return stale;
}

if (require.main === module) {
  const options = new Command()
    .name('release-finalizers')
    .description('Remove namespace finalizers ESO left behind after a namespace stopped requesting a credential (ESO #6677)')
    .option('--kubeconfig <file>', 'kubeconfig (token or client certificate)', process.env.KUBECONFIG ?? join(homedir(), '.kube', 'config'))
    .option('--dry-run', 'only list what would be removed', false)
    .parse()
    .opts<{ kubeconfig: string; dryRun: boolean }>();
  releaseStaleFinalizers(KubeClient.fromKubeconfig(options.kubeconfig), { dryRun: options.dryRun, log: (l) => console.log(l) })
    .then((stale) => console.log(`${stale.length} namespace${stale.length === 1 ? '' : 's'} with stale ESO finalizers${options.dryRun ? ' (dry run)' : ' released'}`))
    .catch((error) => {
      console.error(`release-finalizers: ${(error as Error).message}`);
      process.exitCode = 1;
    });
}
