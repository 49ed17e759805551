import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { RELOADER_NAMESPACE } from '../constructs/src';
import { type ChartSource, pinnedChartRelease } from './pinned-chart';

/**
 * The stakater Reloader chart this product is built against, from stakater's Helm repository. Reloader rolls a
 * tenant's workload annotated `reloader.stakater.com/search: "true"` when a distributed copy it uses changes
 * (the copies carry `reloader.stakater.com/match: "true"`, see RELOADER_MATCH_ANNOTATION).
 */
export const RELOADER_CHART = { name: 'reloader', version: '2.2.11', repo: 'https://stakater.github.io/stakater-charts' } as const;

const hardened = {
  allowPrivilegeEscalation: false,
  capabilities: { drop: ['ALL'] },
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
  runAsUser: 65534,
  seccompProfile: { type: 'RuntimeDefault' },
};

/**
 * Helm values for Reloader, every one that matters written out rather than left to the chart. Only workloads
 * that opt in are touched (no auto-reload-all), and it rolls them by a pod-template annotation rather than an
 * injected environment variable, so a GitOps tool or Pulumi that owns the container spec sees no drift in it.
 */
export function reloaderChartValues(): Record<string, unknown> {
  return {
    reloader: {
      autoReloadAll: false,
      reloadStrategy: 'annotations',
      reloadOnCreate: false,
      reloadOnDelete: false,
      watchGlobally: true,
      ignoreSecrets: false,
      ignoreConfigMaps: false,
      ignoreJobs: true,
      ignoreCronJobs: true,
      isArgoRollouts: false,
      isOpenshift: false,
      enableHA: false,
      readOnlyRootFileSystem: true,
      logFormat: 'json',
      rbac: { enabled: true },
      serviceAccount: { create: true, name: 'reloader' },
      deployment: {
        replicas: 1,
        resources: { requests: { cpu: '10m', memory: '64Mi' }, limits: { memory: '256Mi' } },
        securityContext: { runAsNonRoot: true, runAsUser: 65534, seccompProfile: { type: 'RuntimeDefault' } },
        containerSecurityContext: hardened,
      },
    },
  };
}

export interface ReloaderReleaseArgs {
  /** Provider of the target cluster. */
  readonly provider: k8s.Provider;
  /**
   * Where the chart comes from instead of stakater's public repository (see ChartSource).
   * @default - RELOADER_CHART's repository
   */
  readonly chart?: ChartSource;
}

/** Reloader installed from its Helm chart, pinned, next to ESO; the release waits until it runs. */
export class ReloaderRelease extends pulumi.ComponentResource {
  readonly release: k8s.helm.v3.Release;

  constructor(name: string, args: ReloaderReleaseArgs, opts?: pulumi.ComponentResourceOptions) {
    super('central-secret-store:kubernetes:ReloaderRelease', name, {}, opts);
    this.release = new k8s.helm.v3.Release(
      name,
      pinnedChartRelease(RELOADER_CHART, args.chart, RELOADER_NAMESPACE, 300, reloaderChartValues()),
      { parent: this, provider: args.provider },
    );
    this.registerOutputs({});
  }
}
