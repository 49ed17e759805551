/**
 * `npm run bench:e2e`: the product at scale on a real single-node cluster of its own (the e2e harness), with ESO
 * installed by its chart with the stack's values and the Key Vault stand-in as the vault. CI's e2e suite keeps
 * every correctness check at 100 namespaces or fewer; the sizes here are measurements, not tests:
 *  - a rotation left to ESO's refresh intervals (masters every 5 s, copies every 10 s), at each size: seconds
 *    until every copy holds the new value, vault reads of the credential, ESO's reconciles per second, ESO's
 *    resident memory;
 *  - the same rotation confirmed with `rotate`, which asks ESO to re-read at once;
 *  - a vault outage long enough for ESO's backoff to pass a minute, left to ESO: seconds from the repair until
 *    every store is Ready and the master holds the value written meanwhile (CI's e2e checks `recover` instead);
 *  - the naive design at the largest size (one ExternalSecret per namespace reading the vault): its vault
 *    reads for one rotation beside the product's, in the same run;
 *  - a foreground destroy of the product's objects with every namespace's copies.
 * Prints a table and writes the figures as JSON.
 *
 *   npm run bench:e2e -- [--namespaces 100,500,1000] [--out bench-e2e.json]
 */
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { KubeOperations } from '../cli/operations/kube-operations';
import { loadKubeConfig } from '../cli/operations/kube';
import { recover } from '../cli/operations/recovery';
import { rotate } from '../cli/operations/rotation';
import { secretText } from '../test/support/kube-client';
import { esoMetrics, esoResidentMiB, metricSum, syncErrors } from '../test/e2e/harness/eso-metrics';
import { keyVaultStandInProvider } from '../test/e2e/harness/node-adaptations';
import { NodeSuite } from '../test/e2e/harness/node-suite';
import { sleep } from '../test/e2e/harness/processes';
import { applyAsPulumi, destroyAsPulumi } from '../test/e2e/harness/pulumi-apply';
import { tenantNamespaces } from '../test/e2e/harness/tenant-namespaces';
import { OUTAGE_SECONDS, type OutageScene, outageLagging, vaultOutage } from '../test/e2e/harness/vault-outage';
import { waitUntil } from '../test/e2e/harness/wait';
import { type BenchNode, benchLog, runBench, since, startBenchNode, table } from './support/node-bench';

const { values: args } = parseArgs({
  options: { namespaces: { type: 'string', default: '100,500,1000' }, out: { type: 'string', default: 'bench-e2e.json' } },
});
const sizes = args
  .namespaces!.split(',')
  .map(Number)
  .sort((a, b) => a - b);
if (sizes.some((n) => !Number.isInteger(n) || n < 1))
  throw new Error(`--namespaces takes whole numbers separated by commas, got ${args.namespaces}`);

interface Row {
  readonly namespaces: number;
  readonly provisionSeconds: number;
  readonly refreshRotationSeconds: number;
  readonly vaultReads: number;
  readonly esoReconcilesPerSecond: number;
  readonly esoMemoryMiB: number;
  readonly rotateSeconds: number;
}

const suite = new NodeSuite('bench:e2e');
let node: BenchNode | undefined;
const log = benchLog('bench:e2e');

const copies = () => suite.admin.list('v1', 'Secret', undefined, 'central-secret-store.io/credential=rotation,source=central-secret-store');

async function main(): Promise<void> {
  node = await startBenchNode(suite, log);
  const { keyVault, relay, objects } = node;
  const operations = new KubeOperations(loadKubeConfig({ kubeconfig: suite.cp.kubeconfig('admin') }));
  const rows: Row[] = [];
  let namespaces: string[] = [];

  for (const size of sizes) {
    log(`${size} namespaces: provisioning`);
    let t = Date.now();
    const added = Array.from({ length: size - namespaces.length }, (_, i) => `bench-${namespaces.length + i}`);
    await applyAsPulumi(suite.deployer, tenantNamespaces(added, 'payments', ['rotation']));
    namespaces = [...namespaces, ...added];
    await waitUntil(`${size} copies`, async () => (await copies()).length === size, 30 * 60);
    const provisionSeconds = since(t);

    log(`${size} namespaces: rotation left to the refresh intervals`);
    const natural = `natural-${size}`;
    const [reads, reconciled] = [
      keyVault.readCounts()['rotation-token'] ?? 0,
      metricSum(esoMetrics(suite.cluster), 'controller_runtime_reconcile_total'),
    ];
    t = Date.now();
    node.setVault({ 'rotation-token': natural });
    await waitUntil(`${size} copies rotated`, async () => (await copies()).every((s) => secretText(s, 'token') === natural), 30 * 60);
    const refreshRotationSeconds = since(t);
    const row = {
      namespaces: size,
      provisionSeconds,
      refreshRotationSeconds,
      vaultReads: (keyVault.readCounts()['rotation-token'] ?? 0) - reads,
      esoReconcilesPerSecond:
        (metricSum(esoMetrics(suite.cluster), 'controller_runtime_reconcile_total') - reconciled) / refreshRotationSeconds,
      esoMemoryMiB: esoResidentMiB(suite.cluster),
    };

    log(`${size} namespaces: rotate`);
    node.setVault({ 'rotation-token': `rotate-${size}` });
    t = Date.now();
    const result = await rotate(operations, { credential: 'rotation', deadlineMs: 30 * 60 * 1000 });
    if (!result.ok) throw new Error(`rotate at ${size} namespaces: ${JSON.stringify(result.lagging.slice(0, 5))}`);
    rows.push({ ...row, rotateSeconds: since(t) });
    log(`${size} namespaces: ${JSON.stringify(rows.at(-1))}`);
  }

  log(`a vault outage of ${OUTAGE_SECONDS} s, left to ESO`);
  const outage = await outageLeftToEso(
    {
      admin: suite.admin,
      relay,
      setValue: (value) => node!.setVault({ 'rotation-token': value }),
      syncErrors: () => syncErrors(suite.cluster, 'central-secret-store', 'rotation'),
      master: { namespace: 'central-secret-store', name: 'rotation', key: 'token' },
    },
    operations,
  );

  log(`naive design at ${namespaces.length} namespaces`);
  const naive = await naiveComparison(node, namespaces);
  log('destroy');
  const t = Date.now();
  await destroyAsPulumi(suite.deployer, suite.admin, [...objects, ...tenantNamespaces(namespaces, 'payments', ['rotation'])], 30 * 60);
  const destroySeconds = since(t);

  const fixed = (v: number) => (Number.isInteger(v) ? String(v) : v.toFixed(1));
  console.log(
    table([
      ['namespaces', 'provisioned s', 'rotation by refresh s', 'vault reads', 'ESO reconciles/s', 'ESO RSS MiB', 'rotate s'],
      ...rows.map((r) =>
        [
          r.namespaces,
          r.provisionSeconds,
          r.refreshRotationSeconds,
          r.vaultReads,
          r.esoReconcilesPerSecond,
          r.esoMemoryMiB,
          r.rotateSeconds,
        ].map(fixed),
      ),
    ]),
  );
  console.log(
    `\none rotation at ${namespaces.length} namespaces: product ${naive.product} vault reads, naive design ${naive.direct} (${(naive.direct / Math.max(naive.product, 1)).toFixed(0)}x)`,
  );
  console.log(
    `${outage.summary}; left to ESO, every store Ready and the master holding the new value ${outage.recoveredSeconds === null ? `not within 10 min (then recover)` : `${outage.recoveredSeconds.toFixed(1)} s after the repair`}`,
  );
  console.log(
    `foreground destroy of ${objects.length} objects and ${namespaces.length} namespaces' copies: ${destroySeconds.toFixed(1)} s`,
  );
  writeFileSync(args.out!, `${JSON.stringify({ machine: { cores: cpus().length }, rows, outage, naive, destroySeconds }, null, 2)}\n`);
  log(`figures written to ${args.out}`);
}

/** An outage, then recovery left to ESO for up to 10 minutes (recover afterwards, so that the run goes on). */
async function outageLeftToEso(scene: OutageScene, operations: KubeOperations) {
  const outage = await vaultOutage(scene, 'left to ESO');
  const bound = outage.repaired + 10 * 60 * 1000;
  let lagging = await outageLagging(scene, outage);
  while (lagging.length > 0 && Date.now() < bound) {
    await sleep(1000);
    lagging = await outageLagging(scene, outage);
  }
  const recoveredSeconds = lagging.length === 0 ? since(outage.repaired) : null;
  if (lagging.length > 0 && !(await recover(operations, { deadlineMs: 5 * 60 * 1000 })).ok)
    throw new Error(`not recovered after the outage: ${lagging.join('; ')}`);
  return { summary: outage.summary, longestBackoffSeconds: outage.longestBackoff, recoveredSeconds, laggingAfter10Minutes: lagging };
}

/** One rotation against both designs at once: the product's master, and one ExternalSecret per namespace reading the vault. */
async function naiveComparison(
  { keyVault, setVault }: BenchNode,
  namespaces: readonly string[],
): Promise<{ product: number; direct: number }> {
  const naive = 'naive-vault';
  setVault({ 'naive-token': 'n1' });
  await suite.admin.apply({
    apiVersion: 'external-secrets.io/v1',
    kind: 'ClusterSecretStore',
    metadata: { name: naive },
    spec: { provider: keyVaultStandInProvider(keyVault.webhookUrl) },
  });
  for (const namespace of namespaces) {
    await suite.admin.apply({
      apiVersion: 'external-secrets.io/v1',
      kind: 'ExternalSecret',
      metadata: { name: naive, namespace },
      spec: {
        refreshInterval: '10s',
        secretStoreRef: { kind: 'ClusterSecretStore', name: naive },
        target: { name: naive },
        data: [{ secretKey: 'token', remoteRef: { key: 'naive-token' } }],
      },
    });
  }
  const naiveValues = async () =>
    (await Promise.all(namespaces.map((n) => suite.admin.get('v1', 'Secret', naive, n)))).map((s) => secretText(s, 'token'));
  await waitUntil('naive copies written', async () => (await naiveValues()).every((v) => v === 'n1'), 30 * 60);
  const [productReads, naiveReads] = [keyVault.readCounts()['rotation-token'] ?? 0, keyVault.readCounts()['naive-token'] ?? 0];
  setVault({ 'rotation-token': 'compared', 'naive-token': 'n2' });
  await Promise.all([
    waitUntil('naive copies rotated', async () => (await naiveValues()).every((v) => v === 'n2'), 30 * 60),
    waitUntil('product copies rotated', async () => (await copies()).every((s) => secretText(s, 'token') === 'compared'), 30 * 60),
  ]);
  const result = {
    product: (keyVault.readCounts()['rotation-token'] ?? 0) - productReads,
    direct: (keyVault.readCounts()['naive-token'] ?? 0) - naiveReads,
  };
  for (const namespace of namespaces) await suite.admin.delete('external-secrets.io/v1', 'ExternalSecret', naive, namespace);
  await suite.admin.delete('external-secrets.io/v1', 'ClusterSecretStore', naive);
  return result;
}

runBench(suite, main, () => [node?.keyVault]);
