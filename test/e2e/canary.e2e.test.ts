/**
 * The canary on a real single-node cluster (harness/node-cluster.ts) with ESO installed by its chart: the e2e
 * catalogue with its cluster's canary turned on, applied as the stack applies it, the masters re-reading the
 * Key Vault stand-in every 5 s and the copies the master every 10 s (the cluster's refreshInterval). A new value
 * in the stand-in, as a deployment writes it, is seen to arrive without anything being forced; a master that
 * cannot read its value and a distribution whose selector no longer matches the canary namespace are seen to
 * be late, each named, and the command exits 4. The in-cluster check (CanaryCheck's CronJob, in busybox with
 * kubectl) pushes to a real Pushgateway only while the copy holds the deployed value.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type CanaryResult, checkCanary, sha256 } from '../../cli/operations/canary-check';
import { CANARY_CHECK_NAME, CANARY_PUSH_JOB, CANARY_REFRESH_METRIC } from '../../constructs/src';
import { canaryCheckObjects } from '../../stacks/canary';
import { KubeOperations } from '../../cli/operations/kube-operations';
import { loadKubeConfig } from '../../cli/operations/kube';
import { EXIT } from '../../cli/support/exit-codes';
import { synthesizeCluster } from '../../plane';
import { withDeletionPropagation } from '../../stacks/deletion-propagation';
import { type Catalogue, canaryKeyVaultSecretName, loadCatalogue } from '../../tenants/lib';
import type { ControlPlane } from './harness/control-plane';
import { KeyVaultStandIn } from './harness/key-vault-stand-in';
import { adaptForNode } from './harness/node-adaptations';
import { NodeSuite, SUITE_SETUP_MS } from './harness/node-suite';
import { Pushgateway } from './harness/pushgateway';
import { imageDigest } from './harness/toolchain';
import { waitUntil } from './harness/wait';
import type { KubeClient, KubeObject } from '../support/kube-client';
import { tempDir } from '../support/temp-dir';

const CLUSTER = 'e2e';
const NAMESPACE = 'central-secret-store-canary';
const CANARY = canaryKeyVaultSecretName(CLUSTER);
/** The masters' refresh on the node: short, so that a new value is due within seconds. */
const MASTER_REFRESH = '5s';
/** Long enough for one master refresh and one copy refresh after it, with slack for a busy machine. */
const BOUND_MS = 60_000;
/** Short: the late cases wait out the whole bound. */
const LATE_BOUND_MS = 25_000;

const suite = new NodeSuite('canary');
let cp: ControlPlane;
let keyVault: KeyVaultStandIn;
let deployer: KubeClient;
let operations: KubeOperations;
let pushgateway: Pushgateway | undefined;
const figures = suite.figures;

/** The e2e catalogue with the canary on; the other suites leave it off. */
function catalogueWithCanary(): Catalogue {
  const catalogue = loadCatalogue(join(__dirname, 'catalogue'));
  return {
    ...catalogue,
    clusters: catalogue.clusters.map((c) => ({ ...c, canary: { enabled: true, namespace: NAMESPACE, bound: '1m0s' } })),
  };
}

const check = (expect: string, boundMs: number) => checkCanary(operations, { expect, namespace: NAMESPACE, boundMs, pollMs: 500 });
const laggingText = (result: CanaryResult) => result.lagging.map((l) => `${l.namespace}: ${l.object}: ${l.reason}`).join('\n    ');

beforeAll(async () => {
  await suite.start();
  cp = suite.cp;
  keyVault = new KeyVaultStandIn();
  await keyVault.start();
  keyVault.set({ [CANARY]: 'deploy-1' });
  await suite.cluster.forward([keyVault.address]);
  const manifests = synthesizeCluster(catalogueWithCanary(), CLUSTER);
  const objects = adaptForNode([...manifests.clusterScoped, ...manifests.namespaced].map(withDeletionPropagation) as KubeObject[], {
    server: cp.server,
    vaultUrl: keyVault.webhookUrl,
    masterRefreshInterval: MASTER_REFRESH,
  });
  deployer = suite.deployer;
  for (const o of objects) await deployer.apply(o);
  operations = new KubeOperations(loadKubeConfig({ kubeconfig: cp.kubeconfig('admin') }));
  const t = Date.now();
  const first = await check('deploy-1', 5 * 60 * 1000);
  expect(first.lagging).toEqual([]);
  figures.push(`first canary value distributed ${((Date.now() - t) / 1000).toFixed(1)} s after the apply`);
}, SUITE_SETUP_MS);

afterAll(() => suite.end(keyVault, pushgateway));

describe('the canary on a real node', () => {
  test('a new value in the vault is seen to arrive in the canary namespace, within the bound, with nothing forced', async () => {
    const reads = keyVault.readCounts()[CANARY] ?? 0;
    keyVault.set({ [CANARY]: 'deploy-2' });
    const result = await check('deploy-2', BOUND_MS);
    figures.push(`deploy-2 arrived in ${(result.arrivedAfterMs! / 1000).toFixed(1)} s (master every ${MASTER_REFRESH}, copy every 10s)`);
    expect(result).toMatchObject({ ok: true, master: { arrived: true }, copy: { arrived: true }, lagging: [] });
    // Nothing asked ESO for a sync: the canary's ExternalSecrets carry no force-sync annotation.
    for (const [namespace, name] of [
      ['central-secret-store', 'canary'],
      [NAMESPACE, 'canary-opaque'],
    ]) {
      const es = await deployer.get('external-secrets.io/v1', 'ExternalSecret', name, namespace);
      expect(es?.metadata.annotations?.['external-secrets.io/force-sync']).toBeUndefined();
    }
    expect(keyVault.readCounts()[CANARY]).toBeGreaterThan(reads);
  });

  test("a master that cannot read the vault is late, named with ESO's reason; the value arrives once it is back", async () => {
    keyVault.set({});
    const result = await check('deploy-3', LATE_BOUND_MS);
    figures.push(
      `value removed from the vault: late after ${(result.elapsedMs / 1000).toFixed(1)} s, lagging:\n    ${laggingText(result)}`,
    );
    expect(result.ok).toBe(false);
    expect(result.master.arrived).toBe(false);
    expect(result.lagging.map((l) => [l.namespace, l.object])).toEqual([
      ['central-secret-store', 'ExternalSecret canary'],
      [NAMESPACE, 'ExternalSecret canary-opaque'],
    ]);
    expect(result.lagging[0].reason).toMatch(/^master not refreshed with the new value from the vault: \S+/);
    // The copy kept its last value (deletionPolicy Retain) and keeps refreshing from the master.
    expect(result.lagging[1].reason).toMatch(/^copy waits for the master \(last refreshed /);

    keyVault.set({ [CANARY]: 'deploy-3' });
    const back = await check('deploy-3', BOUND_MS);
    figures.push(`value back in the vault: arrived in ${(back.arrivedAfterMs! / 1000).toFixed(1)} s`);
    expect(back.lagging).toEqual([]);
  });

  test('a distribution that no longer selects the canary namespace is late, and the command names it and exits 4', async () => {
    const ces = `/apis/external-secrets.io/v1/clusterexternalsecrets/canary-opaque`;
    const selectors = (await deployer.request('GET', ces)).body.spec.namespaceSelectors;
    const broken = [{ ...selectors[0], matchLabels: { ...selectors[0].matchLabels, 'secrets/canary': 'nobody' } }];
    expect((await deployer.request('PATCH', ces, { spec: { namespaceSelectors: broken } }, 'application/merge-patch+json')).status).toBe(
      200,
    );
    keyVault.set({ [CANARY]: 'deploy-4' });
    // The master gets the value as ever; only the copy can no longer follow.
    await waitUntil(
      'the master holding deploy-4',
      async () => (await operations.secretDigest('central-secret-store', 'canary', 'value')) === sha256('deploy-4'),
      120,
      async () => JSON.stringify((await operations.readExternalSecret('central-secret-store', 'canary'))?.conditions),
    );

    // The command itself, on a copy of the catalogue with the canary on and a short bound.
    const catalogue = join(tempDir('canary-catalogue-'), 'catalogue');
    cpSync(join(__dirname, 'catalogue'), catalogue, { recursive: true });
    const clusters = join(catalogue, 'clusters.yaml');
    writeFileSync(
      clusters,
      readFileSync(clusters, 'utf8').replace('canary: { enabled: false }', `canary: { bound: ${LATE_BOUND_MS / 1000}s }`),
    );
    const kubeconfig = cp.kubeconfig('admin');
    const context = loadKubeConfig({ kubeconfig }).getCurrentContext();
    const t = Date.now();
    const run = spawnSync(
      process.execPath,
      [
        join(__dirname, '..', '..', 'cli', 'bin.js'),
        'canary',
        '--cluster',
        CLUSTER,
        '--catalogue',
        catalogue,
        '--kubeconfig',
        kubeconfig,
        '--context',
        context,
        '--expect',
        'deploy-4',
        '--json',
      ],
      { encoding: 'utf8', timeout: 5 * 60 * 1000 },
    );
    const result = JSON.parse(run.stdout) as CanaryResult;
    figures.push(
      `canary ClusterExternalSecret selecting nothing: the command exited ${run.status} after ${((Date.now() - t) / 1000).toFixed(1)} s, lagging:\n    ${laggingText(result)}`,
    );
    expect(run.status).toBe(EXIT.lagging);
    expect(result.master.arrived).toBe(true);
    expect(result.lagging).toEqual([
      {
        namespace: NAMESPACE,
        object: 'ExternalSecret canary-opaque',
        reason:
          "ClusterExternalSecret canary-opaque does not provision the namespace (it provisions none): check its namespace selector and the namespace's labels",
      },
    ]);
    expect(run.stdout + run.stderr).not.toContain('deploy-4');

    // Repaired, as the next deployment would: the copy is written again and holds the value.
    expect((await deployer.request('PATCH', ces, { spec: { namespaceSelectors: selectors } }, 'application/merge-patch+json')).status).toBe(
      200,
    );
    const repaired = await check('deploy-4', BOUND_MS);
    figures.push(`selector repaired: arrived in ${(repaired.arrivedAfterMs! / 1000).toFixed(1)} s`);
    expect(repaired.lagging).toEqual([]);
  });

  test("the in-cluster check pushes the copy's last refresh to a real Pushgateway while the copy holds the deployed value, and nothing when it does not", async () => {
    pushgateway = new Pushgateway(join(suite.cluster.dir, 'pushgateway'), suite.cluster);
    await pushgateway.start();
    const image = suite.cluster.images['canary-check'];
    const props = {
      namespace: NAMESPACE,
      copyName: 'canary-opaque',
      expectedValueSha256: sha256('deploy-4'),
      image: `${image.ref.split(':')[0]}@${imageDigest(image)}`,
      pushgateway: pushgateway.url,
      cluster: CLUSTER,
    };
    const objects = canaryCheckObjects(props) as KubeObject[];
    for (const o of objects) await suite.admin.apply(o.kind === 'CronJob' ? onTheNode(o, image.ref) : o);
    const cronJob = (await suite.admin.get('batch/v1', 'CronJob', CANARY_CHECK_NAME, NAMESPACE))!;
    expect(cronJob.spec.schedule).toBe('*/5 * * * *');

    // One run of the CronJob's template expecting another value: it fails and pushes nothing.
    const wrong = await runOnce(cronJob, 'wrong-value', { EXPECTED_SHA256: sha256('deploy-0') });
    expect(wrong.status?.failed).toBe(1);
    expect(pushgateway.metrics()).not.toContain(CANARY_REFRESH_METRIC);

    // One run as the CronJob runs it: the copy holds deploy-4, so the copy's last refresh is pushed.
    const t = Date.now();
    const right = await runOnce(cronJob, 'deployed-value');
    figures.push(`in-cluster canary check: one run pushed in ${((Date.now() - t) / 1000).toFixed(1)} s`);
    expect(right.status?.succeeded).toBe(1);
    const copy = (await suite.admin.get('external-secrets.io/v1', 'ExternalSecret', 'canary-opaque', NAMESPACE))!;
    const pushed = pushgateway
      .metrics()!
      .split('\n')
      .find((line) => line.startsWith(`${CANARY_REFRESH_METRIC}{`));
    expect(pushed).toMatch(
      new RegExp(`^${CANARY_REFRESH_METRIC}\\{cluster="e2e",credential="canary",instance="",job="${CANARY_PUSH_JOB}"\\} \\S+$`),
    );
    // The copy refreshes every 10 s: the pushed time is a refresh of the last seconds, never a later one.
    const seconds = Number(pushed!.split(' ').pop());
    expect(seconds).toBeLessThanOrEqual(Date.parse(copy.status.refreshTime) / 1000);
    expect(seconds).toBeGreaterThan(Date.parse(copy.status.refreshTime) / 1000 - 60);
  });
});

/**
 * The CronJob as the node runs it, suspended (see inside): the image by the tag it was imported under, never pulled, and kubectl's
 * in-cluster configuration pointed at the API server through the pods' namespace (pod-network.ts), as the
 * suite does for ESO.
 */
function onTheNode(cronJob: KubeObject, imageTag: string): KubeObject {
  const node = structuredClone(cronJob);
  // Suspended: the suite runs the template itself, so that no scheduled run (every 5 minutes) pushes between its runs.
  node.spec.suspend = true;
  const pod = node.spec.jobTemplate.spec.template.spec;
  pod.hostNetwork = true;
  const [container] = pod.containers;
  container.image = imageTag;
  container.imagePullPolicy = 'Never';
  container.env.push(
    { name: 'KUBERNETES_SERVICE_HOST', value: '127.0.0.1' },
    { name: 'KUBERNETES_SERVICE_PORT', value: String(suite.cluster.apiPort) },
  );
  return node;
}

/** A Job from the CronJob's template (what `kubectl create job --from=cronjob/...` makes), with env overrides; waits until it ends. */
async function runOnce(cronJob: KubeObject, name: string, env: Record<string, string> = {}): Promise<KubeObject> {
  const spec = structuredClone(cronJob.spec.jobTemplate.spec);
  const [container] = spec.template.spec.containers;
  container.env = container.env.map((e: { name: string; value: string }) => (e.name in env ? { name: e.name, value: env[e.name] } : e));
  await suite.admin.apply({
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: `${CANARY_CHECK_NAME}-${name}`, namespace: NAMESPACE },
    spec,
  });
  return waitUntil(
    `Job ${name} ended`,
    async () => {
      const job = await suite.admin.get('batch/v1', 'Job', `${CANARY_CHECK_NAME}-${name}`, NAMESPACE);
      return job?.status?.succeeded || job?.status?.failed ? job : undefined;
    },
    120,
    async () =>
      JSON.stringify(
        (await suite.admin.list('v1', 'Pod', NAMESPACE)).map((p) => ({
          name: p.metadata.name,
          phase: p.status?.phase,
          containers: p.status?.containerStatuses,
        })),
      ),
  );
}
