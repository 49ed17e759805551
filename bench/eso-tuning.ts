/**
 * `npm run bench:eso`: ESO's throughput settings side by side on a real single-node cluster (the e2e harness),
 * at each number of namespaces, in one run: ESO's own defaults (`concurrent` 1, client QPS 50, burst 100), the
 * settings the stack shipped before (4/50/100), and the stack's settings sized from the cluster's copies
 * (esoTuningFor). For each, ESO is installed again by its chart with the stack's values, and measured:
 *  - ESO's start: seconds from the install until its ExternalSecret queue is first empty ("never" when it is
 *    not within 3 minutes: the controller cannot keep up with the copies' refreshes);
 *  - a natural refresh (masters every 5 s, copies at the catalogue's default interval): the master's sync lag,
 *    how much later than its interval the master was re-read at worst, while the copies come due; ESO's and
 *    the API server's requests per second;
 *  - a rotation confirmed with `rotate`: seconds until every copy is confirmed, with the request rates;
 *  - ESO's resident memory at the end.
 * Prints a table and writes the figures as JSON.
 *
 *   npm run bench:eso -- [--namespaces 100,1000] [--settings chart,previous,tuned,8/200/400] [--window 90] [--out bench-eso.json]
 */
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { KubeOperations } from '../cli/operations/kube-operations';
import { loadKubeConfig } from '../cli/operations/kube';
import { rotate } from '../cli/operations/rotation';
import { type EsoTuning, esoTuningFor } from '../stacks/eso-tuning';
import { COPY_REFRESH_INTERVAL, copiesOn, loadCatalogue } from '../tenants/lib';
import { reinstallEso } from '../test/e2e/harness/eso-install';
import { esoMetrics, esoResidentMiB, metricSum } from '../test/e2e/harness/eso-metrics';
import { NodeSuite } from '../test/e2e/harness/node-suite';
import { sleep } from '../test/e2e/harness/processes';
import { applyAsPulumi } from '../test/e2e/harness/pulumi-apply';
import { tenantNamespaces } from '../test/e2e/harness/tenant-namespaces';
import { waitUntil } from '../test/e2e/harness/wait';
import {
  BENCH_CATALOGUE,
  type BenchNode,
  MASTER_REFRESH_SECONDS,
  benchLog,
  runBench,
  since,
  startBenchNode,
  table,
} from './support/node-bench';

const { values: args } = parseArgs({
  options: {
    namespaces: { type: 'string', default: '100,1000' },
    settings: { type: 'string', default: 'chart,previous,tuned' },
    window: { type: 'string', default: '90' },
    out: { type: 'string', default: 'bench-eso.json' },
  },
});
const sizes = args
  .namespaces!.split(',')
  .map(Number)
  .sort((a, b) => a - b);
if (sizes.some((n) => !Number.isInteger(n) || n < 1))
  throw new Error(`--namespaces takes whole numbers separated by commas, got ${args.namespaces}`);
const windowSeconds = Number(args.window);
if (!(windowSeconds >= 10)) throw new Error(`--window takes seconds, at least 10, got ${args.window}`);

const FIXED: Record<string, EsoTuning> = {
  chart: { concurrent: 1, clientQps: 50, clientBurst: 100 },
  previous: { concurrent: 4, clientQps: 50, clientBurst: 100 },
};
/** A setting by name, or `concurrent/qps/burst`; `tuned` is sized from the copies. */
function settingOf(name: string, copies: number): EsoTuning {
  if (name === 'tuned') return esoTuningFor(copies);
  if (FIXED[name]) return FIXED[name];
  const [concurrent, clientQps, clientBurst] = name.split('/').map(Number);
  if (![concurrent, clientQps, clientBurst].every((n) => Number.isInteger(n) && n > 0))
    throw new Error(`--settings: "${name}" is neither chart, previous, tuned nor concurrent/qps/burst`);
  return { concurrent, clientQps, clientBurst };
}
const settingNames = args.settings!.split(',');
settingNames.forEach((name) => settingOf(name, 1));

const CENTRAL = 'central-secret-store';
const START_LIMIT_SECONDS = 180;

interface Row {
  readonly namespaces: number;
  readonly copies: number;
  readonly setting: string;
  readonly tuning: EsoTuning;
  readonly startSeconds: number;
  readonly masterLagSeconds: number;
  readonly naturalEsoRequestsPerSecond: number;
  readonly naturalApiRequestsPerSecond: number;
  readonly rotateSeconds: number;
  readonly rotateEsoRequestsPerSecond: number;
  readonly rotateApiRequestsPerSecond: number;
  readonly esoMemoryMiB: number;
}

const suite = new NodeSuite('bench:eso');
let node: BenchNode | undefined;
const log = benchLog('bench:eso');

/** Requests ESO's client made so far, and requests the API server served so far. */
async function requestCounts(): Promise<{ eso: number; api: number }> {
  const api = await suite.admin.request('GET', '/metrics');
  return {
    eso: metricSum(esoMetrics(suite.cluster), 'rest_client_requests_total'),
    api: metricSum(String(api.body), 'apiserver_request_total'),
  };
}
async function rates<T>(work: () => Promise<T>): Promise<{ result: T; seconds: number; eso: number; api: number }> {
  const before = await requestCounts();
  const t = Date.now();
  const result = await work();
  const seconds = since(t);
  const after = await requestCounts();
  return { result, seconds, eso: (after.eso - before.eso) / seconds, api: (after.api - before.api) / seconds };
}

const benchCopies = async () =>
  (await suite.admin.list('external-secrets.io/v1', 'ExternalSecret')).filter((e) => e.metadata.namespace!.startsWith('bench-'));

/**
 * Seconds from `since` until ESO's ExternalSecret queue is first empty, or NaN when it is not within
 * START_LIMIT_SECONDS: a controller slower than its copies' refreshes never empties it.
 */
async function queueFirstEmpty(since: number): Promise<number> {
  while (Date.now() - since < START_LIMIT_SECONDS * 1000) {
    if (metricSum(esoMetrics(suite.cluster), 'workqueue_depth', { name: 'externalsecret' }) === 0) return (Date.now() - since) / 1000;
    await sleep(1000);
  }
  return Number.NaN;
}

/** The master's worst lateness over `seconds`: the longest gap between its syncs beyond its interval. */
async function masterLag(seconds: number): Promise<number> {
  const times = new Set<string>();
  const end = Date.now() + seconds * 1000;
  while (Date.now() < end) {
    const master = await suite.admin.get('external-secrets.io/v1', 'ExternalSecret', 'rotation', CENTRAL);
    if (master?.status?.refreshTime) times.add(master.status.refreshTime);
    await sleep(250);
  }
  const sorted = [...times].map(Date.parse).sort((a, b) => a - b);
  const gaps = sorted.slice(1).map((t, i) => (t - sorted[i]) / 1000);
  // No second sync in the window: the master waited the whole window.
  return Math.max(0, (gaps.length > 0 ? Math.max(...gaps) : seconds) - MASTER_REFRESH_SECONDS);
}

async function main(): Promise<void> {
  const loaded = loadCatalogue(BENCH_CATALOGUE);
  // The copies refresh at the product's default interval, as a cluster that sets none.
  const catalogue = { ...loaded, clusters: loaded.clusters.map((c) => ({ ...c, refreshInterval: COPY_REFRESH_INTERVAL })) };
  node = await startBenchNode(suite, log, catalogue);
  const operations = new KubeOperations(loadKubeConfig({ kubeconfig: suite.cp.kubeconfig('admin') }));
  const helm = join(suite.tools.helm, 'helm');
  const rows: Row[] = [];
  let namespaces: string[] = [];
  let rotation = 0;

  for (const size of sizes) {
    log(`${size} namespaces: provisioning`);
    const added = Array.from({ length: size - namespaces.length }, (_, i) => `bench-${namespaces.length + i}`);
    await applyAsPulumi(suite.deployer, tenantNamespaces(added, 'payments', ['rotation']));
    namespaces = [...namespaces, ...added];
    await waitUntil(`${size} copies`, async () => (await benchCopies()).length === size, 30 * 60);
    const copies = copiesOn(catalogue, 'e2e') + size;

    for (const setting of settingNames) {
      const tuning = settingOf(setting, copies);
      log(`${size} namespaces, ${setting} (${tuning.concurrent}/${tuning.clientQps}/${tuning.clientBurst}): installing ESO`);
      const t = Date.now();
      await reinstallEso(suite.cluster, helm, {
        copies,
        concurrency: tuning.concurrent,
        clientQps: tuning.clientQps,
        clientBurst: tuning.clientBurst,
      });
      const startSeconds = await queueFirstEmpty(t);

      log(`${size} namespaces, ${setting}: a natural refresh for ${windowSeconds} s`);
      const natural = await rates(() => masterLag(windowSeconds));

      log(`${size} namespaces, ${setting}: rotate`);
      node.setVault({ 'rotation-token': `rotate-${++rotation}` });
      const rotated = await rates(() => rotate(operations, { credential: 'rotation', deadlineMs: 30 * 60 * 1000 }));
      if (!rotated.result.ok)
        throw new Error(`rotate at ${size} namespaces with ${setting}: ${JSON.stringify(rotated.result.lagging.slice(0, 5))}`);
      rows.push({
        namespaces: size,
        copies,
        setting,
        tuning,
        startSeconds,
        masterLagSeconds: natural.result,
        naturalEsoRequestsPerSecond: natural.eso,
        naturalApiRequestsPerSecond: natural.api,
        rotateSeconds: rotated.seconds,
        rotateEsoRequestsPerSecond: rotated.eso,
        rotateApiRequestsPerSecond: rotated.api,
        esoMemoryMiB: esoResidentMiB(suite.cluster),
      });
      log(JSON.stringify(rows.at(-1)));
    }
  }

  const fixed = (v: number) => (Number.isNaN(v) ? 'never' : Number.isInteger(v) ? String(v) : v.toFixed(1));
  console.log(
    `copies refresh every ${COPY_REFRESH_INTERVAL}, masters every ${MASTER_REFRESH_SECONDS}s; natural refresh window ${windowSeconds} s; the first request rates are the window's, the second the rotation's`,
  );
  console.log(
    table([
      [
        'namespaces',
        'copies',
        'setting',
        'concurrent/qps/burst',
        'start s',
        'master lag s',
        'ESO req/s',
        'API req/s',
        'rotate s',
        'ESO req/s',
        'API req/s',
        'ESO RSS MiB',
      ],
      ...rows.map((r) => [
        String(r.namespaces),
        String(r.copies),
        r.setting,
        `${r.tuning.concurrent}/${r.tuning.clientQps}/${r.tuning.clientBurst}`,
        ...[
          r.startSeconds,
          r.masterLagSeconds,
          r.naturalEsoRequestsPerSecond,
          r.naturalApiRequestsPerSecond,
          r.rotateSeconds,
          r.rotateEsoRequestsPerSecond,
          r.rotateApiRequestsPerSecond,
          r.esoMemoryMiB,
        ].map(fixed),
      ]),
    ]),
  );
  writeFileSync(args.out!, `${JSON.stringify({ machine: { cores: cpus().length }, windowSeconds, rows }, null, 2)}\n`);
  log(`figures written to ${args.out}`);
}

runBench(suite, main, () => [node?.keyVault]);
