/**
 * `central-secret-store release-finalizers`: removes the namespace finalizers ESO leaves behind when a
 * namespace stops requesting a credential (ESO issue #6677), so that deleting the namespace does not hang.
 * Run it after a deploy that removed requests, until ESO ships the fix (PR #6693).
 */
import { Command, Option } from 'commander';
import { loadKubeConfig } from '../operations/kube';
import { contextOption, jsonOption, kubeconfigOption } from '../support/options';
import { releaseStaleFinalizers } from '../operations/stale-finalizers';

export function releaseFinalizersCommand(): Command {
  return new Command('release-finalizers')
    .description('Remove the namespace finalizers ESO left behind after a namespace stopped requesting a credential (ESO #6677)')
    .addOption(kubeconfigOption())
    .addOption(contextOption())
    .addOption(new Option('--dry-run', 'only list what would be removed').default(false))
    .addOption(jsonOption())
    .action(async (options: { kubeconfig?: string; context?: string; dryRun: boolean; json: boolean }) => {
      const stale = await releaseStaleFinalizers(loadKubeConfig(options), {
        dryRun: options.dryRun,
        log: options.json ? undefined : (l) => console.log(l),
      });
      if (options.json) console.log(JSON.stringify({ dryRun: options.dryRun, released: stale }, null, 2));
      else
        console.log(
          `${stale.length} namespace${stale.length === 1 ? '' : 's'} with stale ESO finalizers${options.dryRun ? ' (dry run)' : ' released'}`,
        );
    });
}
