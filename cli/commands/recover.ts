/**
 * `central-secret-store recover`: after a vault outage, make every ClusterSecretStore and ExternalSecret of the
 * product re-validate and re-sync now instead of waiting out ESO's back-off (seed 004): stores, then the
 * ExternalSecrets reading a vault, then the copies (recovery.ts).
 */
import { Command, Option } from 'commander';
import { KubeOperations } from '../kube-operations';
import { loadKubeConfig } from '../kube';
import { contextOption, jsonOption, kubeconfigOption } from '../options';
import { EXIT } from '../exit-codes';
import { progressReporter } from '../progress';
import { type RecoveryResult, recover } from '../recovery';
import { deadlineMs, laggingLines } from './rotate';

export function recoveryReport(result: RecoveryResult): string[] {
  return [
    `${result.stores.ready}/${result.stores.total} ClusterSecretStores ready, ${result.externalSecrets.resynced}/${result.externalSecrets.total} ExternalSecrets re-synced; ${(result.elapsedMs / 1000).toFixed(1)}s`,
    ...laggingLines(result.lagging),
  ];
}

export function recoverCommand(): Command {
  return new Command('recover')
    .description('After a vault outage: make every store of the product re-validate and every ExternalSecret re-sync now, and wait for them')
    .addOption(kubeconfigOption())
    .addOption(contextOption())
    .addOption(new Option('--deadline <duration>', 'give up, name what lags and exit 4 after this long').default('2m'))
    .addOption(jsonOption())
    .action(async (options: { kubeconfig?: string; context?: string; deadline: string; json: boolean }) => {
      const deadline = deadlineMs('--deadline', options.deadline);
      const cluster = new KubeOperations(loadKubeConfig(options));
      const progress = progressReporter();
      let result: RecoveryResult;
      try {
        result = await recover(cluster, { deadlineMs: deadline, onProgress: (done, total) => progress.update(done, total, 'recover') });
      } finally {
        progress.stop();
      }
      if (options.json) console.log(JSON.stringify(result, null, 2));
      else for (const line of recoveryReport(result)) console.log(line);
      if (!result.ok) process.exitCode = EXIT.lagging;
    });
}
