/**
 * `central-secret-store canary`: after a deployment wrote a new canary value into the vault, wait, forcing
 * nothing, until it reached the cluster's canary namespace along the path every credential takes, and name
 * what lags if it does not within the bound. Optionally push the canary's last refresh to a Pushgateway, for
 * the CentralSecretStoreCanary* alerts.
 */
import { Command, Option } from 'commander';
import { CANARY_REFRESH_METRIC } from '../../constructs/src/secret-plane-alerts';
import { CatalogueError, canaryOf, clusterNamed, loadCatalogue } from '../../tenants/lib';
import { type CanaryResult, checkCanary, pushCanaryMetric } from '../operations/canary-check';
import { EXIT } from '../support/exit-codes';
import { loadKubeConfig } from '../operations/kube';
import { auditRun, checkReportFile } from '../operations/audit';
import { ESO_API_VERSION, KubeOperations } from '../operations/kube-operations';
import { catalogueOption, jsonOption, kubeconfigOption, reportOption } from '../support/options';
import { progressReporter } from '../support/progress';
import { deadlineMs, laggingLines } from '../support/deadline';

/** The lines a person reads: arrived, or what lags. Never a value. */
export function canaryReport(cluster: string, result: CanaryResult): string[] {
  const where = `${result.copy.namespace}/${result.copy.name}`;
  if (result.ok) return [`canary of ${cluster}: the new value arrived in ${where} in ${(result.arrivedAfterMs! / 1000).toFixed(0)} s`];
  return [
    `canary of ${cluster}: the new value did not reach ${where} within ${(result.elapsedMs / 1000).toFixed(0)} s (master ${result.master.arrived ? 'has it' : 'does not have it'})`,
    ...laggingLines(result.lagging),
  ];
}

export function canaryCommand(): Command {
  return new Command('canary')
    .description(
      "Wait, forcing nothing, until a deployment's canary value reached the cluster's canary namespace; name what lags and exit 4 if it does not within the bound",
    )
    .requiredOption('--cluster <name>', 'the catalogue cluster (the stack name); also the kubeconfig context unless --context is given')
    .requiredOption('--expect <value>', 'the canary value the deployment wrote: pulumi stack output canary')
    .addOption(catalogueOption())
    .addOption(kubeconfigOption())
    .addOption(new Option('--context <name>', 'kubeconfig context (default: the --cluster name)'))
    .addOption(
      new Option(
        '--bound <duration>',
        "give up, name what lags and exit 4 after this long (default: the cluster's canary bound in the catalogue, 15m)",
      ),
    )
    .addOption(
      new Option(
        '--pushgateway <url>',
        `on arrival, PUT ${CANARY_REFRESH_METRIC} (the copy's status.refreshTime) to this Prometheus Pushgateway`,
      ),
    )
    .addOption(jsonOption())
    .addOption(reportOption())
    .action(
      async (options: {
        cluster: string;
        expect: string;
        catalogue: string;
        kubeconfig?: string;
        context?: string;
        bound?: string;
        pushgateway?: string;
        json: boolean;
        report?: string;
      }) => {
        checkReportFile(options.report);
        let canary;
        try {
          canary = canaryOf(clusterNamed(loadCatalogue(options.catalogue), options.cluster));
        } catch (error) {
          if (!(error instanceof CatalogueError)) throw error;
          console.error(error.message);
          process.exitCode = EXIT.invalidCatalogue;
          return;
        }
        if (!canary) throw new Error(`cluster ${options.cluster} has no canary in the catalogue (canary: { enabled: false })`);
        const config = loadKubeConfig({ kubeconfig: options.kubeconfig, context: options.context ?? options.cluster });
        const cluster = new KubeOperations(config);
        const startedAt = new Date();
        const progress = progressReporter();
        let result: CanaryResult;
        try {
          result = await checkCanary(cluster, {
            expect: options.expect,
            namespace: canary.namespace,
            boundMs: deadlineMs('--bound', options.bound ?? canary.bound),
            onProgress: (done, total, phase) => progress.update(done, total, phase),
          });
        } finally {
          progress.stop();
        }
        const lines = canaryReport(options.cluster, result);
        // canary forces nothing: its Event goes on the copy it watched, where the value arrived or did not.
        const actedOn = [{ apiVersion: ESO_API_VERSION, kind: 'ExternalSecret', namespace: result.copy.namespace, name: result.copy.name }];
        await auditRun(
          cluster,
          config,
          { operation: 'canary', startedAt, finishedAt: new Date(), ok: result.ok, summary: lines[0], actedOn, result },
          options.report,
        );
        if (options.json) console.log(JSON.stringify(result, null, 2));
        else for (const line of lines) console.log(line);
        if (options.pushgateway && result.ok && result.copy.refreshTime) {
          await pushCanaryMetric(options.pushgateway, CANARY_REFRESH_METRIC, options.cluster, result.copy.refreshTime);
          if (!options.json) console.log(`pushed ${CANARY_REFRESH_METRIC} to ${options.pushgateway}`);
        }
        if (!result.ok) process.exitCode = EXIT.lagging;
      },
    );
}
