/**
 * `central-secret-store rotate`: after a credential's value changed in the vault, make ESO re-read its master
 * and every copy now rather than at the next refresh, and wait until every requesting namespace has the new
 * value and every workload that opted in (`reloader.stakater.com/search: "true"`) and reads it has rolled.
 */
import { Command, Option } from 'commander';
import { ESO_API_VERSION, KubeOperations } from '../operations/kube-operations';
import { loadKubeConfig } from '../operations/kube';
import { auditRun, checkReportFile } from '../operations/audit';
import { contextOption, countOfAtLeastOne, jsonOption, kubeconfigOption, reportOption } from '../support/options';
import { EXIT } from '../support/exit-codes';
import { progressReporter } from '../support/progress';
import { DEFAULT_MAX_CONCURRENT_ROLLOUTS, type RotationResult, rotate } from '../operations/rotation';
import { deadlineMs, laggingLines } from '../support/deadline';

/** The lines a person reads: what was confirmed, and what lags by namespace. */
export function rotationReport(result: RotationResult): string[] {
  const seconds = (result.elapsedMs / 1000).toFixed(1);
  return [
    `${result.credential}: master ${result.masterConfirmed ? 're-read' : 'NOT re-read'}; ${result.copies.confirmed}/${result.copies.total} copies re-read from it in ${result.copies.namespaces.length} namespaces (${result.copies.changed} changed); ${result.workloads.rolled}/${result.workloads.total} opted-in workloads rolled (by ${result.workloads.rolledBy}${result.workloads.waves > 0 ? `, in ${result.workloads.waves} wave${result.workloads.waves === 1 ? '' : 's'}` : ''}); ${seconds}s`,
    ...(result.workloads.failed
      ? [
          `rollout FAILED: ${result.workloads.failed.kind} ${result.workloads.failed.namespace}/${result.workloads.failed.name}: ${result.workloads.failed.reason}`,
        ]
      : []),
    ...laggingLines(result.lagging),
  ];
}

export function rotateCommand(): Command {
  return (
    new Command('rotate')
      .description(
        "Make ESO re-read a credential's master and every copy now, and wait until every copy and opted-in workload has the new value",
      )
      .requiredOption('--credential <name>', 'the shared credential whose value changed in the vault')
      .addOption(kubeconfigOption())
      .addOption(contextOption())
      // Once the kubeconfig context; --cluster names a catalogue cluster everywhere else (canary), so it is
      // refused with the spelling to use rather than read as either.
      .addOption(new Option('--cluster <context>').hideHelp())
      .addOption(new Option('--deadline <duration>', 'give up, name what lags and exit 4 after this long').default('5m'))
      .addOption(
        new Option(
          '--max-concurrent-rollouts <n>',
          'where no Reloader runs, roll at most this many workloads at once: a wave; the next begins when all of it has rolled, and a failed rollout stops the waves',
        )
          .default(DEFAULT_MAX_CONCURRENT_ROLLOUTS)
          .argParser(countOfAtLeastOne),
      )
      .addOption(
        new Option('--max-rollouts-per-namespace <n>', 'at most this many workloads of one namespace in a wave')
          .argParser(countOfAtLeastOne)
          .default(undefined, 'no limit but the wave'),
      )
      .addOption(jsonOption())
      .addOption(reportOption())
      .addHelpText('after', `\nExits ${EXIT.lagging} if something lags at the deadline, ${EXIT.rolloutFailed} if a rollout failed.`)
      .action(
        async (options: {
          credential: string;
          kubeconfig?: string;
          cluster?: string;
          context?: string;
          deadline: string;
          maxConcurrentRollouts: number;
          maxRolloutsPerNamespace?: number;
          json: boolean;
          report?: string;
        }) => {
          if (options.cluster !== undefined) {
            throw new Error(
              `rotate --cluster is gone: it named a kubeconfig context, while --cluster names a catalogue cluster elsewhere (canary). Give the context as --context ${options.cluster}`,
            );
          }
          const deadline = deadlineMs('--deadline', options.deadline);
          checkReportFile(options.report);
          const config = loadKubeConfig({ kubeconfig: options.kubeconfig, context: options.context });
          const cluster = new KubeOperations(config);
          const startedAt = new Date();
          const progress = progressReporter();
          let result: RotationResult;
          try {
            result = await rotate(cluster, {
              credential: options.credential,
              deadlineMs: deadline,
              maxConcurrentRollouts: options.maxConcurrentRollouts,
              maxRolloutsPerNamespace: options.maxRolloutsPerNamespace,
              onProgress: (p) => progress.update(p.done, p.total, p.wave ? `${p.phase}, wave ${p.wave}` : p.phase),
              log: (line) => progress.line(line),
            });
          } finally {
            progress.stop();
          }
          const lines = rotationReport(result);
          await auditRun(
            cluster,
            config,
            {
              operation: 'rotate',
              startedAt,
              finishedAt: new Date(),
              ok: result.ok,
              credential: result.credential,
              summary: lines[0],
              actedOn: [
                { apiVersion: ESO_API_VERSION, kind: 'ExternalSecret', namespace: cluster.centralNamespace, name: result.credential },
                ...result.copies.asked.map((copy) => ({ apiVersion: ESO_API_VERSION, kind: 'ExternalSecret', ...copy })),
                // Workloads Reloader rolled were acted on by Reloader, which records its own Events.
                ...(result.workloads.rolledBy === 'central-secret-store'
                  ? result.workloads.each.map((w) => ({ apiVersion: 'apps/v1', kind: w.kind, namespace: w.namespace, name: w.name }))
                  : []),
              ],
              result,
            },
            options.report,
          );
          if (options.json) console.log(JSON.stringify(result, null, 2));
          else for (const line of lines) console.log(line);
          if (!result.ok) process.exitCode = result.workloads.failed ? EXIT.rolloutFailed : EXIT.lagging;
        },
      )
  );
}
