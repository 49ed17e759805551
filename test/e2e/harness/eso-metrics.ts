/**
 * ESO's metrics endpoint, which listens inside the pods' network namespace, and the sums the suites and the
 * benchmark take of it.
 */
import type { NodeCluster } from './node-cluster';
import { residentMemory } from './processes';

const ESO_METRICS_URL = 'http://127.0.0.1:8080/metrics';

/** ESO's metrics now, in Prometheus's text format. */
export function esoMetrics(cluster: NodeCluster): string {
  return cluster.fetchInPods(ESO_METRICS_URL);
}

/** The sum of a metric's samples whose label set includes each of `labels`. */
export function metricSum(metrics: string, name: string, labels: Readonly<Record<string, string>> = {}): number {
  const sample = new RegExp(`^${name}\\{([^}]*)\\} (\\S+)$`);
  let sum = 0;
  for (const line of metrics.split('\n')) {
    const m = sample.exec(line);
    if (m && Object.entries(labels).every(([label, value]) => m[1].includes(`${label}="${value}"`))) sum += Number(m[2]);
  }
  return sum;
}

/** ESO's count of failed syncs of one ExternalSecret (`externalsecret_sync_calls_error`). */
export function syncErrors(cluster: NodeCluster, namespace: string, name: string): number {
  return metricSum(esoMetrics(cluster), 'externalsecret_sync_calls_error', { name, namespace });
}

/** The ESO controller's resident memory in MiB, NaN when it is not running. */
export function esoResidentMiB(cluster: NodeCluster): number {
  // The kernel keeps 15 characters of a process name: `external-secret`.
  const eso = cluster
    .livePids()
    .map(residentMemory)
    .find((m) => m?.name === 'external-secrets'.slice(0, 15));
  return eso?.mib ?? Number.NaN;
}
