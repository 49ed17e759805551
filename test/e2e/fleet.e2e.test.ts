/**
 * `central-secret-store fleet` with the real Pulumi engine on three real API servers (etcd, kube-apiserver and
 * ESO's CRDs each; no node, so each stack deploys its cluster's secret plane alone: harness/secret-plane-program.ts),
 * run as an operator runs it: the command line, a project folder of stacks, a file backend.
 *
 * `preview` of every stack changes nothing; `up` deploys the three clusters in parallel while a fourth stack,
 * whose cluster cannot be reached, fails alone and is named in the summary; a second `up` changes nothing.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse, stringify } from 'yaml';
import { writeCatalogue } from '../../bench/generate-catalogue';
import type { StackResult } from '../../cli/deploy/fleet';
import { synthesizeCluster } from '../../plane';
import { applyObjects, type ManifestObject } from '../../stacks/manifest-set-provider';
import { loadCatalogue } from '../../tenants/lib';
import { KubeClient } from '../support/kube-client';
import { tempDir } from '../support/temp-dir';
import { ControlPlane, USERS } from './harness/control-plane';
import { esoControllerCrds } from './harness/eso-crds';
import { freePort } from './harness/processes';
import { PulumiEngine } from './harness/pulumi-engine';
import { buildTargets } from './harness/toolchain';
import { waitUntil } from './harness/wait';

const CLUSTERS = ['cluster-0', 'cluster-1', 'cluster-2'];
/** A stack whose cluster's API server is a closed port. */
const UNREACHABLE = 'cluster-unreachable';
const REPO = join(__dirname, '..', '..');
const PROGRAM = join(__dirname, 'harness', 'secret-plane-program.ts');
const MANAGED = 'app.kubernetes.io/managed-by=central-secret-store';

const figures: string[] = [];
const planes = CLUSTERS.map(() => undefined as ControlPlane | undefined);
let engine: PulumiEngine;
let catalogue: string;

interface FleetRun {
  readonly status: number | null;
  readonly stderr: string;
  readonly results: StackResult[];
  readonly seconds: number;
}

/** Runs the command line as an operator does, in the project folder, with the run's engine on PATH. */
function fleet(operation: 'preview' | 'up', ...args: string[]): FleetRun {
  const started = Date.now();
  const run = spawnSync(
    process.execPath,
    [
      '--import',
      pathToFileURL(require.resolve('tsx')).href,
      join(REPO, 'cli', 'main.ts'),
      'fleet',
      operation,
      '--program',
      PROGRAM,
      '--json',
      ...args,
    ],
    { cwd: engine.projectDir, env: { ...process.env, ...engine.env }, encoding: 'utf8', timeout: 10 * 60 * 1000 },
  );
  const seconds = (Date.now() - started) / 1000;
  if (!run.stdout.trim().startsWith('{')) throw new Error(`fleet ${operation} printed no JSON (exit ${run.status}):\n${run.stderr}`);
  return { status: run.status, stderr: run.stderr, results: JSON.parse(run.stdout).results, seconds };
}

const byStack = (run: FleetRun) => Object.fromEntries(run.results.map((r) => [r.stack, r]));
const managedNamespaces = async (plane: ControlPlane) =>
  (await new KubeClient(plane.server, plane.caPem, plane.tokens.admin).list('v1', 'Namespace', undefined, MANAGED))
    .map((n) => n.metadata.name)
    .sort();
const expectedNamespaces = (cluster: string) =>
  synthesizeCluster(loadCatalogue(catalogue), cluster)
    .clusterScoped.filter((o) => o.kind === 'Namespace')
    .map((o) => o.metadata.name as string)
    .sort();

beforeAll(
  async () => {
    const tools = buildTargets('kube', 'pulumi', 'pulumi-kubernetes');
    const t = Date.now();
    await Promise.all(
      CLUSTERS.map(async (_, i) => {
        const plane = new ControlPlane({ kube: tools.kube });
        planes[i] = plane;
        await plane.start();
        await applyObjects(readFileSync(plane.kubeconfig('deployer'), 'utf8'), esoControllerCrds() as ManifestObject[], {
          fieldManager: 'fleet-e2e',
          kindOrder: [],
        });
        await waitUntil(
          'ESO CRDs established',
          async () => (await plane.get('/apis/external-secrets.io/v1/externalsecrets', 'admin')).status === 200,
        );
      }),
    );
    figures.push(`three API servers with ESO's CRDs up: ${((Date.now() - t) / 1000).toFixed(1)} s`);

    const dir = tempDir('css-fleet-');
    catalogue = join(dir, 'catalogue');
    writeCatalogue(catalogue, { clusters: CLUSTERS.length, tenants: 6, namespaces: 60, credentials: 6 });
    // The product's admission policies exempt the cluster's deployers: here the control planes' deployer group.
    const clusters = parse(readFileSync(join(catalogue, 'clusters.yaml'), 'utf8'));
    for (const cluster of clusters.clusters) cluster.deployers = { groups: [USERS.deployer.groups[1]] };
    writeFileSync(join(catalogue, 'clusters.yaml'), stringify(clusters));

    engine = new PulumiEngine(join(dir, 'pulumi'), { pulumi: tools.pulumi, kubernetesProvider: tools['pulumi-kubernetes'] });
    const closed = `https://127.0.0.1:${await freePort()}`;
    for (const [i, stackName] of [...CLUSTERS, UNREACHABLE].entries()) {
      const stack = await engine.stack(stackName, async () => undefined);
      const plane = planes[i] ?? planes[0]!;
      const kubeconfig = readFileSync(plane.kubeconfig('deployer'), 'utf8');
      await stack.setAllConfig({
        catalogue: { value: catalogue },
        cluster: { value: CLUSTERS[i] ?? CLUSTERS[0] },
        kubeconfig: { value: stackName === UNREACHABLE ? kubeconfig.replace(plane.server, closed) : kubeconfig, secret: true },
      });
    }
  },
  60 * 60 * 1000,
);

afterAll(async () => {
  for (const stackName of CLUSTERS) await (await engine?.stack(stackName, async () => undefined))?.destroy().catch(() => undefined);
  await Promise.all(planes.map(async (plane) => plane?.stop()));
  console.log(`fleet figures:\n  ${figures.join('\n  ')}`);
});

test('preview of every stack in the project folder succeeds and changes nothing on the clusters', async () => {
  const run = fleet('preview', '--stack', ...CLUSTERS);
  figures.push(`fleet preview of ${CLUSTERS.length} stacks: ${run.seconds.toFixed(1)} s`);
  expect({ status: run.status, failed: run.results.filter((r) => !r.succeeded).map((r) => `${r.stack}: ${r.error}`) }).toEqual({
    status: 0,
    failed: [],
  });
  for (const result of run.results) expect(result.changes.create).toBeGreaterThan(0);
  for (const plane of planes) expect(await managedNamespaces(plane!)).toEqual([]);
});

test('up deploys the clusters in parallel; the unreachable one fails alone and is named', async () => {
  const run = fleet('up', '--parallel', '4');
  const results = byStack(run);
  const stackSeconds = run.results.map((r) => r.seconds);
  figures.push(
    `fleet up of ${run.results.length} stacks, 4 at a time: ${run.seconds.toFixed(1)} s in all; each stack ${stackSeconds.map((s) => s.toFixed(1)).join(', ')} s (one after another: ${stackSeconds.reduce((a, b) => a + b, 0).toFixed(1)} s)`,
  );
  expect(run.status).toBe(1);
  expect(run.results.map((r) => r.stack)).toEqual([...CLUSTERS, UNREACHABLE].sort());
  expect(CLUSTERS.map((c) => [c, results[c].succeeded, results[c].error])).toEqual(CLUSTERS.map((c) => [c, true, undefined]));
  expect(results[UNREACHABLE].succeeded).toBe(false);
  expect(results[UNREACHABLE].error).toMatch(/ECONNREFUSED|connect/);
  expect(run.stderr).toContain(`${UNREACHABLE}: failed`);
  for (const [i, cluster] of CLUSTERS.entries()) expect(await managedNamespaces(planes[i]!)).toEqual(expectedNamespaces(cluster));
});

test('a second up changes nothing', async () => {
  const run = fleet('up', '--stack', ...CLUSTERS);
  figures.push(`fleet up again, nothing to change: ${run.seconds.toFixed(1)} s`);
  expect(run.status).toBe(0);
  expect(run.results.map((r) => [r.stack, r.changes.create ?? 0, r.changes.update ?? 0, r.changes.delete ?? 0])).toEqual(
    CLUSTERS.map((c) => [c, 0, 0, 0]),
  );
});
