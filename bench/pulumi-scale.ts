/**
 * npm run bench:pulumi: the real Pulumi engine deploying one cluster's secret plane, beside a plain
 * server-side apply of the same objects, in the same run, on a real API server with ESO's CRDs.
 *
 * For each size (objects in the cluster, from the catalogue generator): the plain apply, a plain re-apply
 * (nothing changes) and a plain deletion; then `pulumi up` (first), a second `up` (no change), `preview`, a
 * one-namespace change (one namespace requests one more credential), `refresh` and `destroy`, each with its
 * seconds, its ratio to the plain operation and the peak memory of the Pulumi CLI and of the provider process.
 * The engine uses a file backend with checkpoints on: what a team that runs its own backend gets.
 *
 *   npm run bench:pulumi -- --objects 500,1500,3000 --out bench-pulumi.json
 */
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parse, stringify } from 'yaml';
import { KIND_ORDER, type ClusterManifests, synthesizeCluster } from '../plane';
import { applyObjects, deleteObjects, type ManifestObject } from '../stacks/manifest-set-provider';
import { SecretPlane } from '../stacks/secret-plane';
import { loadCatalogue } from '../tenants/lib';
import { ControlPlane, USERS } from '../test/e2e/harness/control-plane';
import { esoControllerCrds } from '../test/e2e/harness/eso-crds';
import { PulumiEngine, StepLog } from '../test/e2e/harness/pulumi-engine';
import { buildTargets } from '../test/e2e/harness/toolchain';
import { waitUntil } from '../test/e2e/harness/wait';
import { descendantsOf } from '../test/support/process-tree';
import { writeCatalogue } from './generate-catalogue';

const { values: args } = parseArgs({
  options: { objects: { type: 'string', default: '500,1500,3000' }, out: { type: 'string', default: 'bench-pulumi.json' } },
});
const targets = args.objects!.split(',').map(Number);
if (targets.some((n) => !Number.isInteger(n) || n < 100))
  throw new Error(`--objects takes whole numbers of at least 100, separated by commas; got ${args.objects}`);

/** Objects the generator gives a cluster per namespace, and besides them (measured on the generator). */
const OBJECTS_PER_NAMESPACE = 3.1;
const FIXED_OBJECTS = 35;
const CLUSTER = 'cluster-0';

/** Peak resident memory, in MiB, of this process's descendants by role, sampled every 200 ms. */
class PeakMemory {
  readonly peaks: Record<string, number> = {};
  private timer?: NodeJS.Timeout;

  start(): void {
    for (const key of Object.keys(this.peaks)) delete this.peaks[key];
    this.timer = setInterval(() => this.sample(), 200);
  }

  stop(): Record<string, number> {
    clearInterval(this.timer);
    this.sample();
    return { ...this.peaks };
  }

  private sample(): void {
    for (const { pid, cmdline } of descendantsOf(process.pid)) {
      const role = cmdline.includes('dynamic-provider') ? 'provider' : /(^|\/)pulumi\0/.test(cmdline) ? 'cli' : undefined;
      if (!role) continue;
      try {
        const rss = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
        this.peaks[role] = Math.max(this.peaks[role] ?? 0, rss);
      } catch {
        // gone meanwhile
      }
    }
  }
}

interface Phase {
  readonly seconds: number;
  readonly changes?: number;
  readonly cliMiB?: number;
  readonly providerMiB?: number;
}

/** Runs one phase, says on stderr how long it took, and returns the seconds. */
async function timed(what: string, work: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await work();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  console.error(`[bench:pulumi]   ${what}: ${seconds.toFixed(1)} s`);
  return seconds;
}

const memory = new PeakMemory();
async function engine(what: string, work: (steps: StepLog) => Promise<unknown>): Promise<Phase> {
  const steps = new StepLog();
  memory.start();
  const seconds = await timed(what, () => work(steps));
  const peaks = memory.stop();
  return { seconds, changes: steps.changes().length, cliMiB: peaks.cli, providerMiB: peaks.provider };
}

/** Writes the catalogue of a size and, in a copy, the same with one namespace requesting one more credential. */
function catalogues(dir: string, namespaces: number): { base: string; changed: string; namespace: string } {
  const base = join(dir, 'base');
  writeCatalogue(base, { clusters: 1, tenants: Math.max(1, Math.round(namespaces / 10)), namespaces, credentials: 6 });
  // The product's admission policies exempt the cluster's deployers: here the control plane's deployer group.
  const clusters = parse(readFileSync(join(base, 'clusters.yaml'), 'utf8'));
  clusters.clusters[0].deployers = { groups: [USERS.deployer.groups[1]] };
  writeFileSync(join(base, 'clusters.yaml'), stringify(clusters));
  const changed = join(dir, 'changed');
  mkdirSync(join(changed, 'teams'), { recursive: true });
  for (const file of ['clusters.yaml', 'credentials.yaml', ...readdirSync(join(base, 'teams')).map((f) => join('teams', f))]) {
    writeFileSync(join(changed, file), readFileSync(join(base, file)));
  }
  const credentials = (parse(readFileSync(join(base, 'credentials.yaml'), 'utf8')).credentials as { name: string }[]).map((c) => c.name);
  const team = parse(readFileSync(join(base, 'teams', 'tenant-0.yaml'), 'utf8'));
  const target = team.clusters[CLUSTER].namespaces[0];
  target.requests.push(credentials.find((c) => !target.requests.includes(c)));
  writeFileSync(join(changed, 'teams', 'tenant-0.yaml'), stringify(team));
  return { base, changed, namespace: target.name };
}

const objectsOf = (m: ClusterManifests) => [...m.clusterScoped, ...m.namespaced] as ManifestObject[];

async function main(): Promise<void> {
  const tools = buildTargets('kube', 'pulumi', 'pulumi-kubernetes');
  const cp = new ControlPlane({ kube: tools.kube });
  const rows: Record<string, unknown>[] = [];
  const work = mkdtempSync(join(tmpdir(), 'css-bench-pulumi-'));
  try {
    await cp.start();
    // The platform's deployer: the product's admission policies exempt its group, as they exempt the stack's.
    const kubeconfig = readFileSync(cp.kubeconfig('deployer'), 'utf8');
    await applyObjects(kubeconfig, esoControllerCrds() as ManifestObject[], { fieldManager: 'bench', kindOrder: [] });
    await waitUntil(
      'ESO CRDs established',
      async () => (await cp.get('/apis/external-secrets.io/v1/externalsecrets', 'admin')).status === 200,
    );

    for (const target of targets) {
      const namespaces = Math.max(1, Math.round((target - FIXED_OBJECTS) / OBJECTS_PER_NAMESPACE));
      const dir = join(work, String(target));
      const files = catalogues(dir, namespaces);
      const base = synthesizeCluster(loadCatalogue(files.base), CLUSTER);
      const changed = synthesizeCluster(loadCatalogue(files.changed), CLUSTER);
      const objects = objectsOf(base);
      console.error(`[bench:pulumi] ${objects.length} objects (${namespaces} namespaces)`);

      const plain = { fieldManager: 'plain-apply', kindOrder: KIND_ORDER };
      const plainApply = await timed('plain server-side apply', () => applyObjects(kubeconfig, objects, plain));
      const plainReapply = await timed('plain re-apply', () => applyObjects(kubeconfig, objects, plain));
      const plainDelete = await timed('plain deletion', () => deleteObjects(kubeconfig, objects, KIND_ORDER));

      const pulumi = new PulumiEngine(join(dir, 'pulumi'), { pulumi: tools.pulumi, kubernetesProvider: tools['pulumi-kubernetes'] });
      let manifests = base;
      const stack = await pulumi.stack(`bench-${target}`, async () => {
        new SecretPlane('plane', { manifests, kubeconfig, dependsOn: [] });
      });
      const up = await engine('pulumi up', (s) => stack.up({ onEvent: s.record }));
      const noopUp = await engine('pulumi up, nothing changed', (s) => stack.up({ onEvent: s.record }));
      const preview = await engine('pulumi preview', (s) => stack.preview({ onEvent: s.record }));
      manifests = changed;
      const change = await engine('pulumi up of a one-namespace change', (s) => stack.up({ onEvent: s.record }));
      const refresh = await engine('pulumi refresh', (s) => stack.refresh({ onEvent: s.record }));
      const destroy = await engine('pulumi destroy', (s) => stack.destroy({ onEvent: s.record }));
      const stateBytes = readFileSync(join(pulumi.stateDir, '.pulumi', 'stacks', 'css-e2e', `bench-${target}.json`)).length;
      await stack.workspace.removeStack(`bench-${target}`);
      rows.push({
        objects: objects.length,
        namespaces,
        plainApply,
        plainReapply,
        plainDelete,
        up,
        noopUp,
        preview,
        change,
        changedNamespace: files.namespace,
        refresh,
        destroy,
        stateBytes,
      });
      rmSync(dir, { recursive: true, force: true });
    }
  } finally {
    await cp.stop();
    rmSync(work, { recursive: true, force: true });
  }

  const f = (n: number) => n.toFixed(1);
  const header = [
    'objects',
    'plain apply s',
    'up s',
    'ratio',
    'no-op up s',
    'preview s',
    'change s',
    'refresh s',
    'plain delete s',
    'destroy s',
    'ratio',
    'CLI MiB',
    'provider MiB',
  ];
  const table = [
    header,
    ...rows.map((r: any) => [
      r.objects,
      f(r.plainApply),
      f(r.up.seconds),
      `${f(r.up.seconds / r.plainApply)}x`,
      `${f(r.noopUp.seconds)} (${r.noopUp.changes})`,
      `${f(r.preview.seconds)} (${r.preview.changes})`,
      `${f(r.change.seconds)} (${r.change.changes})`,
      `${f(r.refresh.seconds)} (${r.refresh.changes})`,
      f(r.plainDelete),
      f(r.destroy.seconds),
      `${f(r.destroy.seconds / r.plainDelete)}x`,
      Math.max(...['up', 'noopUp', 'preview', 'change', 'refresh', 'destroy'].map((p) => r[p].cliMiB ?? 0)).toFixed(0),
      Math.max(...['up', 'noopUp', 'preview', 'change', 'refresh', 'destroy'].map((p) => r[p].providerMiB ?? 0)).toFixed(0),
    ]),
  ];
  const widths = header.map((_, c) => Math.max(...table.map((row) => String(row[c]).length)));
  console.log(table.map((row) => row.map((cell, c) => String(cell).padStart(widths[c])).join('  ')).join('\n'));
  console.log(
    '(n) after a phase: resource steps that changed something. Ratios: to the plain server-side apply and deletion of the same objects.',
  );
  writeFileSync(args.out!, `${JSON.stringify({ rows }, null, 2)}\n`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
