import type * as k8s from '@pulumi/kubernetes';
import { z } from 'zod';

/** A Helm chart the product installs: its name, the one version it is built against, and its public repository. */
export interface PinnedChart {
  readonly name: string;
  readonly version: string;
  readonly repo: string;
}

/**
 * Where a chart comes from when the cluster's deployment cannot reach its public repository (offline edge
 * clusters): a chart folder on the machine that runs Pulumi, or an OCI registry that mirrors the chart.
 */
export type ChartSource = { readonly path: string; readonly repo?: undefined } | { readonly repo: string; readonly path?: undefined };

/** A ChartSource as a stack setting or a component's argument gives it: exactly one of `path` and `repo`. */
export const chartSourceSchema = z
  .strictObject({
    path: z.string().min(1).optional().describe('A chart folder, absolute or relative to where Pulumi runs the program'),
    repo: z
      .string()
      .regex(/^oci:\/\/[^/]+/, 'must be an OCI registry address such as oci://registry.example/charts')
      .optional()
      .describe('An OCI registry holding the chart under its own name, such as oci://registry.example/charts'),
  })
  .transform((source, ctx): ChartSource => {
    if (source.path !== undefined && source.repo === undefined) return { path: source.path };
    if (source.repo !== undefined && source.path === undefined) return { repo: source.repo };
    ctx.issues.push({
      code: 'custom',
      input: source,
      message: `give either path (a local chart folder) or repo (an OCI mirror, oci://...), ${source.path === undefined ? 'got neither' : 'not both'}`,
    });
    return z.NEVER;
  });

/**
 * How the product installs a companion chart: the release named after the chart, pinned to its version, in a
 * namespace of its own (created with it), atomic, so a failed install or upgrade rolls back instead of leaving
 * a half-installed controller, with explicit values. From its public repository unless `source` says
 * otherwise; an OCI mirror serves the pinned version, while a local folder's chart is installed as it is
 * (Helm takes a folder's version from its Chart.yaml), so whoever fills the folder answers for its version.
 */
export function pinnedChartRelease(
  chart: PinnedChart,
  source: ChartSource | undefined,
  namespace: string,
  timeoutSeconds: number,
  values: Record<string, unknown>,
): k8s.helm.v3.ReleaseArgs {
  return {
    name: chart.name,
    ...chartLocation(chart, source),
    namespace,
    createNamespace: true,
    atomic: true,
    timeout: timeoutSeconds,
    values,
  };
}

function chartLocation(
  chart: PinnedChart,
  source: ChartSource | undefined,
): Pick<k8s.helm.v3.ReleaseArgs, 'chart' | 'version' | 'repositoryOpts'> {
  if (source?.path !== undefined) return { chart: source.path };
  if (source?.repo !== undefined) return { chart: `${source.repo.replace(/\/+$/, '')}/${chart.name}`, version: chart.version };
  return { chart: chart.name, version: chart.version, repositoryOpts: { repo: chart.repo } };
}
