/**
 * `central-secret-store recover`: after a vault outage, make every ClusterSecretStore and ExternalSecret of the
 * product re-validate and re-sync now instead of waiting out ESO's back-off: stores, then the ExternalSecrets
 * reading a vault, then the copies (recovery.ts; docs/operations.md, "After a vault outage: `recover`").
 */
import { Command, Option } from 'commander';
import { auditRun, checkReportFile } from '../operations/audit';
import { ESO_API_VERSION, KubeOperations } from '../operations/kube-operations';
import { loadKubeConfig } from '../operations/kube';
import { contextOption, jsonOption, kubeconfigOption, reportOption } from '../support/options';
import { EXIT } from '../support/exit-codes';
import { progressReporter } from '../support/progress';
import { type RecoveryResult, recover } from '../operations/recovery';
import { deadlineMs, laggingLines } from '../support/deadline';

export function recoveryReport(result: RecoveryResult): string[] {
  return [
    `${result.stores.ready}/${result.stores.total} ClusterSecretStores ready, ${result.externalSecrets.resynced}/${result.externalSecrets.total} ExternalSecrets re-synced; ${(result.elapsedMs / 1000).toFixed(1)}s`,
    ...laggingLines(result.lagging),
  ];
}

export function recoverCommand(): Command {
  return new Command('recover')
    .description(
      'After a vault outage: make every store of the product re-validate and every ExternalSecret re-sync now, and wait for them',
    )
    .addOption(kubeconfigOption())
    .addOption(contextOption())
    .addOption(new Option('--deadline <duration>', 'give up, name what lags and exit 4 after this long').default('2m'))
    .addOption(jsonOption())
    .addOption(reportOption())
    .action(async (options: { kubeconfig?: string; context?: string; deadline: string; json: boolean; report?: string }) => {
      const deadline = deadlineMs('--deadline', options.deadline);
      checkReportFile(options.report);
      const config = loadKubeConfig(options);
      const cluster = new KubeOperations(config);
      const startedAt = new Date();
      const progress = progressReporter();
      let result: RecoveryResult;
      try {
        result = await recover(cluster, { deadlineMs: deadline, onProgress: (done, total) => progress.update(done, total, 'recover') });
      } finally {
        progress.stop();
      }
      const lines = recoveryReport(result);
      const actedOn = result.externalSecrets.asked.map((es) => ({ apiVersion: ESO_API_VERSION, kind: 'ExternalSecret', ...es }));
      await auditRun(
        cluster,
        config,
        { operation: 'recover', startedAt, finishedAt: new Date(), ok: result.ok, summary: lines[0], actedOn, result },
        options.report,
      );
      if (options.json) console.log(JSON.stringify(result, null, 2));
      else for (const line of lines) console.log(line);
      if (!result.ok) process.exitCode = EXIT.lagging;
    });
}
