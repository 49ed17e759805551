import type * as k8s from '@pulumi/kubernetes';

/** A Helm chart the product installs: its name, the one version it is built against, and its repository. */
export interface PinnedChart {
  readonly name: string;
  readonly version: string;
  readonly repo: string;
}

/**
 * How the product installs a companion chart: the release named after the chart, pinned to its version, in a
 * namespace of its own (created with it), atomic, so a failed install or upgrade rolls back instead of leaving
 * a half-installed controller, with explicit values.
 */
export function pinnedChartRelease(chart: PinnedChart, namespace: string, timeoutSeconds: number, values: Record<string, unknown>): k8s.helm.v3.ReleaseArgs {
  return {
    name: chart.name,
    chart: chart.name,
    version: chart.version,
    repositoryOpts: { repo: chart.repo },
    namespace,
    createNamespace: true,
    atomic: true,
    timeout: timeoutSeconds,
    values,
  };
}
