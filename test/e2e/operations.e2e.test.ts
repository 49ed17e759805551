/**
 * The operational commands on a real single-node cluster (harness/node-cluster.ts), with ESO installed by its
 * chart, where the copies' and the masters' own refresh interval is an hour, so that nothing but the commands
 * can explain a fast rotation or recovery:
 *  - `rotate` at 10, 100 and 1,000 namespaces confirms every copy and rolls opted-in Deployments (no Reloader
 *    runs here) whose new pods read the new value from an environment variable; printed: the time from the
 *    vault change to rotate's confirmation and to every new pod Ready and serving the new value;
 *  - recovery with `recover` after a vault outage long enough for ESO's backoff to exceed a minute, measured
 *    from the repair to full recovery (the same outage left to ESO is measured by `npm run bench:e2e`);
 *    meanwhile a real Prometheus, scraping ESO as the product's ServiceMonitor does, shows the product's alerts
 *    pending, firing, and resolved after `recover`.
 */
import { Testing } from 'cdk8s';
import { GoDuration, SecretPlaneAlerts } from '../../constructs/src';
import { ESO_METRIC_RELABELINGS } from '../../stacks/eso-release';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AUDIT_RECORD_KIND } from '../../cli/operations/audit';
import { AUDIT_REPORTING_CONTROLLER, KubeOperations } from '../../cli/operations/kube-operations';
import { loadKubeConfig } from '../../cli/operations/kube';
import { recover } from '../../cli/operations/recovery';
import { rotate } from '../../cli/operations/rotation';
import { SECRET_VERSION_ANNOTATION } from '../../cli/operations/workloads';
import { synthesizeCluster } from '../../plane';
import { loadCatalogue } from '../../tenants/lib';
import { withDeletionPropagation } from '../../stacks/deletion-propagation';
import { type ControlPlane, USERS } from './harness/control-plane';
import { KeyVaultStandIn } from './harness/key-vault-stand-in';
import { adaptForNode } from './harness/node-adaptations';
import { NodeCluster, type Relay } from './harness/node-cluster';
import { NodeSuite, SUITE_SETUP_MS } from './harness/node-suite';
import { listPods, isReady, type Pod } from './harness/pods';
import { freePort } from './harness/processes';
import { tenantNamespaces } from './harness/tenant-namespaces';
import { OUTAGE_SECONDS, type OutageScene, outageLagging, vaultOutage } from './harness/vault-outage';
import { waitUntil } from './harness/wait';
import { syncErrors } from './harness/eso-metrics';
import { AlertTimeline } from './harness/alert-timeline';
import { PrometheusServer } from './harness/prometheus-server';
import { type KubeClient, type KubeObject, secretText } from '../support/kube-client';
import { tempDir } from '../support/temp-dir';

const CENTRAL = 'central-secret-store';
const CLI = join(__dirname, '..', '..', 'cli', 'bin.js');
/** The copies' and the masters' own refresh: an hour. */
const REFRESH = '1h0m0s';
/** Namespaces with an opted-in Deployment reading the credential, at every scale. */
const READERS = 10;
/** How long the product's alerts are pending before they fire here (10 minutes by default). */
const ALERTS_PENDING_FOR = GoDuration.parse('20s');
/** The alerts an outage raises that read objects' conditions, so that they resolve as soon as `recover` is done. */
const CONDITION_ALERTS = ['CentralSecretStoreExternalSecretsNotReady', 'CentralSecretStoreStoreNotReady'];
const vault: Record<string, string> = {
  'registry-username': 'u',
  'registry-password': 'p',
  'gitops-username': 'g',
  'gitops-token': 't',
  'deploy-key-private': 'k',
  'oauth-client-id': 'c',
  'oauth-client-secret': 's',
  'wildcard-crt': 'c',
  'wildcard-key': 'k',
  'wildcard-ca': 'a',
  'rotation-token': 'e2e-token-1',
  'payments--signing-key': 'sk',
};

const suite = new NodeSuite('operations');
let cluster: NodeCluster;
let cp: ControlPlane;
let keyVault: KeyVaultStandIn;
let vaultRelay: Relay;
let prometheus: PrometheusServer;
let admin: KubeClient;
let deployer: KubeClient;
const figures = suite.figures;
const seconds = (since: number, until = Date.now()) => ((until - since) / 1000).toFixed(1);
const copies = () => admin.list('v1', 'Secret', undefined, 'central-secret-store.io/credential=rotation,source=central-secret-store');
const operations = () => new KubeOperations(loadKubeConfig({ kubeconfig: cp.kubeconfig('admin') }));
/**
 * A Deployment whose pod logs the SHA-256 of the rotation credential as it read it at start (testapp's
 * fingerprint mode: never the value), listening on nothing.
 */
function fingerprintReader(namespace: string, name: string, options: { optedIn: boolean }) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name,
      namespace,
      labels: { app: name },
      ...(options.optedIn ? { annotations: { 'reloader.stakater.com/search': 'true' } } : {}),
    },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          // The node has no pod network: every pod is hostNetwork (pod-network.ts).
          hostNetwork: true,
          terminationGracePeriodSeconds: 5,
          containers: [
            {
              name: 'app',
              image: cluster.images.testapp.ref,
              args: ['fingerprint', 'IMAGE'],
              env: [{ name: 'IMAGE', valueFrom: { secretKeyRef: { name: 'rotation-opaque', key: 'token' } } }],
            },
          ],
        },
      },
    },
  };
}

/** What testapp's fingerprint mode logs for a value it started with: its SHA-256, never the value. */
const fingerprint = (value: string) => `sha256(IMAGE)=${createHash('sha256').update(value).digest('hex')}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs the command line. Never spawnSync: the Key Vault stand-in ESO reads from is a server of this process,
 * and a blocked event loop is a vault outage.
 */
function cli(...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args]);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** Adds namespaces requesting the credential until `count` have a copy; returns the seconds it took. */
async function provision(count: number): Promise<number> {
  const existing = (await admin.list('v1', 'Namespace', undefined, 'secrets/rotation=true')).length;
  const t = Date.now();
  for (const o of tenantNamespaces(
    Array.from({ length: count - existing }, (_, i) => `ops-${existing + i}`),
    'payments',
    ['rotation'],
  ))
    await deployer.apply(o);
  await waitUntil(`${count} copies`, async () => (await copies()).length === count, 15 * 60);
  return (Date.now() - t) / 1000;
}

beforeAll(async () => {
  await suite.start();
  [cluster, cp, admin, deployer] = [suite.cluster, suite.cp, suite.admin, suite.deployer];
  keyVault = new KeyVaultStandIn();
  await keyVault.start();
  keyVault.set(vault);
  vaultRelay = await cluster.forward([keyVault.address]);
  prometheus = new PrometheusServer(join(cluster.dir, 'prometheus'), cluster);
  await prometheus.start({
    rules: new SecretPlaneAlerts(Testing.chart(), 'alerts', { pendingFor: ALERTS_PENDING_FOR.toString() }).toRuleFile(),
    esoTarget: '127.0.0.1:8080',
    targetLabels: { namespace: 'external-secrets' },
    metricRelabelings: ESO_METRIC_RELABELINGS,
  });
  await waitUntil('Prometheus scraping ESO', async () => prometheus.targetUp(), 60);
  figures.push(`${PrometheusServer.version()} scraping ESO in the pods' network, alerts pending for ${ALERTS_PENDING_FOR.seconds} s`);
  const manifests = synthesizeCluster(loadCatalogue(join(__dirname, 'catalogue')), 'e2e');
  const objects = adaptForNode([...manifests.clusterScoped, ...manifests.namespaced].map(withDeletionPropagation) as KubeObject[], {
    server: cp.server,
    vaultUrl: keyVault.webhookUrl,
    masterRefreshInterval: REFRESH,
  });
  const slow = objects.map((o) =>
    o.kind === 'ClusterExternalSecret'
      ? { ...o, spec: { ...o.spec, externalSecretSpec: { ...o.spec.externalSecretSpec, refreshInterval: REFRESH } } }
      : o,
  );
  for (const o of slow) await deployer.apply(o);
  figures.push(`${READERS} copies provisioned in ${(await provision(READERS)).toFixed(1)} s`);
}, SUITE_SETUP_MS);

afterAll(() => suite.end(prometheus, keyVault));

describe('rotate: from the vault change to every copy and every opted-in workload', () => {
  /** An opted-in Deployment per namespace, serving on its own port what it read from the copy at start. */
  const readers: { namespace: string; url: string }[] = [];
  const served = (reader: { url: string }) => JSON.parse(cluster.fetchInPods(reader.url)).image as string;
  const readerPod = async (namespace: string) => (await listPods(admin, namespace, 'app=token-reader')).find(isReady);
  let token = vault['rotation-token'];

  async function deployReader(namespace: string): Promise<void> {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/`;
    // testapp answers GET / with its IMAGE environment variable: here the credential, read once at start.
    await admin.request('POST', `/apis/apps/v1/namespaces/${namespace}/deployments`, {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'token-reader', namespace, annotations: { 'reloader.stakater.com/search': 'true' } },
      spec: {
        replicas: 1,
        // hostNetwork on one node: the new pod can bind the port only once the old one is gone.
        strategy: { type: 'Recreate' },
        selector: { matchLabels: { app: 'token-reader' } },
        template: {
          metadata: { labels: { app: 'token-reader' } },
          spec: {
            hostNetwork: true,
            terminationGracePeriodSeconds: 5,
            containers: [
              {
                name: 'app',
                image: cluster.images.testapp.ref,
                args: ['serve', `127.0.0.1:${port}`],
                env: [{ name: 'IMAGE', valueFrom: { secretKeyRef: { name: 'rotation-opaque', key: 'token' } } }],
                readinessProbe: { exec: { command: ['/bin/testapp', 'probe', url] }, periodSeconds: 1 },
              },
            ],
          },
        },
      },
    });
    readers.push({ namespace, url });
  }

  /** Changes the credential in the vault, runs rotate, and waits until every reader serves the new value. */
  async function rotation(count: number): Promise<void> {
    token = `e2e-token-at-${count}`;
    keyVault.set({ ...vault, 'rotation-token': token });
    const changed = Date.now();
    const result = await rotate(operations(), { credential: 'rotation', deadlineMs: 15 * 60 * 1000 });
    const confirmed = Date.now();
    const pods = await waitUntil(
      `${readers.length} new pods serving the new value`,
      async () => {
        const ready = await Promise.all(readers.map(async (r) => ({ pod: await readerPod(r.namespace), serves: served(r) })));
        return ready.every((r) => r.pod && r.serves === token) && ready.map((r) => r.pod as Pod);
      },
      180,
    );
    const serving = Date.now();
    // The kubelet records when each pod became Ready, to the second.
    const readyAt = pods
      .map((p) => Date.parse((p.status?.conditions ?? []).find((c) => c.type === 'Ready')?.lastTransitionTime ?? '') - changed)
      .sort((a, b) => a - b);
    figures.push(
      `rotate at ${count} namespaces (refresh interval ${REFRESH}): master and ${result.copies.confirmed}/${result.copies.total} copies re-read and ${result.workloads.rolled}/${result.workloads.total} ` +
        `Deployments rolled, confirmed ${seconds(changed, confirmed)} s after the vault change; the ${readers.length} new pods Ready ${(readyAt[0] / 1000).toFixed(0)}-${(readyAt.at(-1)! / 1000).toFixed(0)} s ` +
        `after it (to the second), all serving the new value at ${seconds(changed, serving)} s`,
    );
    expect(result).toMatchObject({
      ok: true,
      masterConfirmed: true,
      lagging: [],
      copies: { confirmed: count, total: count, changed: count },
      workloads: { rolled: READERS, total: READERS, rolledBy: 'central-secret-store' },
    });
    expect((await copies()).filter((s) => secretText(s, 'token') === token)).toHaveLength(count);
    for (const { namespace } of readers) {
      const deployment = await admin.request('GET', `/apis/apps/v1/namespaces/${namespace}/deployments/token-reader`);
      expect(deployment.body.spec.template.metadata.annotations[SECRET_VERSION_ANNOTATION]).toMatch(/^rotation-opaque@\d+$/);
    }
  }

  test(`at ${READERS} namespaces, each with an opted-in Deployment: every copy confirmed and every new pod serving the new value`, async () => {
    const rotating = (await admin.list('v1', 'Namespace', undefined, 'secrets/rotation=true')).map((n) => n.metadata.name).sort();
    for (const namespace of rotating.slice(0, READERS)) await deployReader(namespace);
    await waitUntil(
      `${READERS} readers serving the first value`,
      async () => (await Promise.all(readers.map(async (r) => (await readerPod(r.namespace)) && served(r) === token))).every(Boolean),
      300,
    );
    await rotation(READERS);
  });

  test(`at 100 namespaces, the same ${READERS} Deployments`, async () => {
    figures.push(`100 copies provisioned in ${(await provision(100)).toFixed(1)} s`);
    await rotation(100);
  });

  test('rotate from the command line leaves an Event on the master and on every copy, naming the operator as the API server knows it, and writes its record', async () => {
    const report = join(tempDir('css-audit-'), 'rotation.json');
    const t = Date.now();
    const run = await cli('rotate', '--credential', 'rotation', '--kubeconfig', cp.kubeconfig('admin'), '--report', report, '--json');
    figures.push(`rotate from the command line at 100 namespaces, with its audit Events and record: ${seconds(t)} s`);
    const lagging = run.stdout.trim().startsWith('{') ? JSON.parse(run.stdout).lagging.slice(0, 5) : run.stdout.slice(0, 2000);
    expect({ status: run.status, lagging, stderr: run.stderr.split('\n').filter((l) => /warning|error/i.test(l)) }).toEqual({
      status: 0,
      lagging: [],
      stderr: [],
    });
    const record = JSON.parse(readFileSync(report, 'utf8'));
    expect(record).toMatchObject({
      kind: AUDIT_RECORD_KIND,
      operation: 'rotate',
      ok: true,
      credential: 'rotation',
      actor: USERS.admin.name,
      events: { written: 101, failed: [] },
    });
    expect(JSON.stringify(record)).not.toContain(token);

    const events = ((await admin.request('GET', '/apis/events.k8s.io/v1/events')).body.items as KubeObject[]).filter(
      (e) => e.reportingController === AUDIT_REPORTING_CONTROLLER,
    );
    const regarding = events.map((e) => `${e.regarding.namespace}/${e.regarding.kind} ${e.regarding.name}`).sort();
    expect(regarding).toEqual([...record.actedOn].sort());
    expect(regarding).toContain(`${CENTRAL}/ExternalSecret rotation`);
    expect(new Set(events.map((e) => e.regarding.namespace)).size).toBe(101);
    for (const event of events) {
      expect(event).toMatchObject({ reason: 'CredentialRotated', action: 'Rotate', type: 'Normal' });
      expect(event.note).toContain(`rotate credential rotation by ${USERS.admin.name}: rotation: master re-read; 100/100 copies`);
    }
  });

  test('waves of 10 at 100 namespaces, each with one more opted-in Deployment: never more than 10 rolling at once, as the API server shows them; every workload rolled and every new pod started with the new value', async () => {
    const rotating = (await admin.list('v1', 'Namespace', undefined, 'secrets/rotation=true')).map((n) => n.metadata.name as string).sort();
    expect(rotating).toHaveLength(100);
    let t = Date.now();
    for (let i = 0; i < rotating.length; i += 10)
      await Promise.all(
        rotating
          .slice(i, i + 10)
          .map((ns) =>
            admin.request('POST', `/apis/apps/v1/namespaces/${ns}/deployments`, fingerprintReader(ns, 'wave-reader', { optedIn: true })),
          ),
      );
    const deployments = async () =>
      ((await admin.request('GET', '/apis/apps/v1/deployments')).body.items as KubeObject[]).filter((d) =>
        ['wave-reader', 'token-reader'].includes(d.metadata.name),
      );
    // Rolling, as kubectl rollout status judges: the controller has not seen the template, or not every replica is updated and available.
    const rolling = (d: KubeObject) =>
      (d.status?.observedGeneration ?? 0) < Number(d.metadata.generation) ||
      (d.status?.updatedReplicas ?? 0) !== d.spec.replicas ||
      (d.status?.availableReplicas ?? 0) !== d.spec.replicas ||
      (d.status?.replicas ?? 0) !== d.spec.replicas;
    await waitUntil(
      '100 wave readers available',
      async () => (await deployments()).filter((d) => !rolling(d)).length === rotating.length + READERS,
      600,
    );
    figures.push(`100 more opted-in Deployments available in ${seconds(t)} s`);

    token = 'e2e-token-in-waves';
    keyVault.set({ ...vault, 'rotation-token': token });
    let observing = true;
    let mostRolling = 0;
    const samples: number[] = [];
    const observer = (async () => {
      while (observing) {
        const now = (await deployments()).filter(rolling).length;
        samples.push(now);
        mostRolling = Math.max(mostRolling, now);
        await sleep(250);
      }
    })();
    t = Date.now();
    const result = await rotate(operations(), { credential: 'rotation', deadlineMs: 15 * 60 * 1000, maxConcurrentRollouts: 10 }).finally(
      () => (observing = false),
    );
    await observer;
    figures.push(
      `rotate in waves of 10 at 100 namespaces: ${result.workloads.rolled}/${result.workloads.total} Deployments rolled in ${result.workloads.waves} waves, ${seconds(t)} s; ` +
        `at most ${mostRolling} rolling at once in ${samples.length} samples of the API (every 250 ms)`,
    );
    expect(result).toMatchObject({
      ok: true,
      lagging: [],
      copies: { confirmed: 100, changed: 100 },
      workloads: { rolled: 100 + READERS, total: 100 + READERS, rolledBy: 'central-secret-store' },
    });
    // A wave takes what the copies confirmed so far: the first ones may be smaller than 10.
    expect(result.workloads.waves).toBeGreaterThanOrEqual(11);
    expect(mostRolling).toBeGreaterThan(0);
    expect(mostRolling).toBeLessThanOrEqual(10);
    const pods = await waitUntil(
      'a ready wave reader in each namespace',
      async () => {
        const found = await Promise.all(rotating.map(async (ns) => (await listPods(admin, ns, 'app=wave-reader')).filter(isReady)));
        return found.every((p) => p.length === 1) && found.map((p) => p[0]);
      },
      120,
    );
    const started = await Promise.all(
      pods.map(async (pod) =>
        String((await admin.request('GET', `/api/v1/namespaces/${pod.metadata.namespace}/pods/${pod.metadata.name}/log`)).body),
      ),
    );
    expect(started.filter((log) => !log.includes(fingerprint(token)))).toEqual([]);
    for (const ns of rotating) await admin.request('DELETE', `/apis/apps/v1/namespaces/${ns}/deployments/wave-reader`);
  });

  describe('after a vault outage long enough for ESO to back off for over a minute', () => {
    const scene = (): OutageScene => ({
      admin,
      relay: vaultRelay,
      setValue: (value) => keyVault.set({ ...vault, 'rotation-token': value }),
      syncErrors: () => syncErrors(cluster, CENTRAL, 'rotation'),
      master: { namespace: CENTRAL, name: 'rotation', key: 'token' },
    });
    const copiesHolding = async (value: string) => (await copies()).filter((s) => secretText(s, 'token') === value).length;

    /**
     * Seed 003's reason for ESO on offline edge clusters: a Deployment that reads the credential, whose pod is
     * deleted and which is scaled up while the vault is unreachable. Returns the check to run during the outage.
     */
    async function offlineRestarts(namespace: string): Promise<() => Promise<void>> {
      const path = `/apis/apps/v1/namespaces/${namespace}/deployments`;
      const created = await admin.request('POST', path, fingerprintReader(namespace, 'offline-reader', { optedIn: false }));
      expect(created.status).toBe(201);
      const started = async (pod: Pod) =>
        String((await admin.request('GET', `/api/v1/namespaces/${namespace}/pods/${pod.metadata.name}/log`)).body);
      const readyPods = async (count: number, except: string[] = []) =>
        waitUntil(
          `${count} offline-reader pods Ready in ${namespace}`,
          async () => {
            const pods = (await listPods(admin, namespace, 'app=offline-reader')).filter(
              (p) => isReady(p) && !except.includes(p.metadata.name),
            );
            return pods.length === count && pods;
          },
          120,
        );
      const [first] = await readyPods(1);
      const delivered = token;
      expect(await started(first)).toContain(fingerprint(delivered));
      return async () => {
        const t = Date.now();
        await admin.request('DELETE', `/api/v1/namespaces/${namespace}/pods/${first.metadata.name}`);
        await admin.request('PATCH', `${path}/offline-reader`, { spec: { replicas: 3 } }, 'application/merge-patch+json');
        const pods = await readyPods(3, [first.metadata.name]);
        figures.push(
          `vault unreachable: a deleted pod replaced and the Deployment scaled to 3, all Ready in ${seconds(t)} s with the last delivered value`,
        );
        for (const pod of pods) expect(await started(pod)).toContain(fingerprint(delivered));
        expect(await copiesHolding(delivered)).toBe(100);
        await admin.request('DELETE', `${path}/offline-reader`);
      };
    }

    test(
      'while the vault is down, a deleted pod and a scale-up start with the last delivered value; with recover right after the repair: full recovery, every copy included, confirmed by the command; the alerts fired and resolve',
      async () => {
        // The outage's alerts on conditions start quiet: nothing before it left an object not Ready (Prometheus
        // needs a scrape and an evaluation, a few seconds, to see what ESO fixed last).
        await waitUntil(
          'the alerts on conditions to be quiet',
          async () => !prometheus.alerts().some((a) => CONDITION_ALERTS.includes(a.labels.alertname)),
          60,
        );
        const whileDown = await offlineRestarts(readers[0].namespace);
        const timeline = new AlertTimeline(prometheus).start();
        const broken = await vaultOutage({ ...scene(), whileDown }, 'with recover');
        figures.push(broken.summary);
        // The precondition of the measurement: ESO's backoff had passed a minute when the vault came back.
        expect(broken.longestBackoff).toBeGreaterThanOrEqual(60);
        const result = await recover(operations(), { deadlineMs: 5 * 60 * 1000 });
        const recovered = Date.now();
        try {
          await waitUntil(
            'the alerts on conditions to resolve',
            async () => CONDITION_ALERTS.every((alert) => timeline.of(alert).resolved !== undefined),
            120,
          );
        } finally {
          timeline.stop();
          figures.push(
            `Prometheus during the outage with recover (seconds from the outage's start; the vault returned at ${OUTAGE_SECONDS} s):`,
            ...timeline.summary().map((line) => `  ${line}`),
          );
        }
        for (const alert of [...CONDITION_ALERTS, 'CentralSecretStoreMasterSyncErrors'])
          expect(timeline.of(alert).firing).toBeLessThan(OUTAGE_SECONDS);
        for (const alert of CONDITION_ALERTS) expect(timeline.of(alert).resolved).toBeGreaterThan(OUTAGE_SECONDS);
        expect(result).toMatchObject({ ok: true, lagging: [] });
        expect(await outageLagging(scene(), broken)).toEqual([]);
        const holding = await copiesHolding(broken.value);
        figures.push(
          `with recover: ${result.stores.ready}/${result.stores.total} stores Ready and ${result.externalSecrets.resynced}/${result.externalSecrets.total} ExternalSecrets re-read, ` +
            `the master holding the post-outage value, ${seconds(broken.repaired, recovered)} s after the repair; copies holding it: ${holding}/100 ` +
            `(recover asks the copies only after their master re-read the vault)`,
        );
        expect(holding).toBe(100);
      },
      30 * 60 * 1000,
    );
  });
});
