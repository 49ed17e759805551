/**
 * The operational commands on a real single-node cluster (harness/node-cluster.ts), with ESO installed by its
 * chart: `rotate` makes every copy re-read a rotated master at once, where the copies' own refresh interval
 * is an hour, and rolls an opted-in Deployment (no Reloader runs here) whose new pod reads the new value from
 * an environment variable; `recover` bumps every store and ExternalSecret.
 */
import { join } from 'node:path';
import { App, Chart } from 'cdk8s';
import { TenantNamespace } from '../../constructs/src';
import { KubeOperations } from '../../cli/kube-operations';
import { loadKubeConfig } from '../../cli/kube';
import { recover } from '../../cli/recovery';
import { rotate } from '../../cli/rotation';
import { SECRET_VERSION_ANNOTATION } from '../../cli/workloads';
import { synthesizeCluster } from '../../plane';
import { loadCatalogue } from '../../tenants/lib';
import { withDeletionPropagation } from '../../stacks/deletion-propagation';
import type { ControlPlane } from './harness/control-plane';
import { installEso } from './harness/eso-install';
import { hostSnapshot, type HostSnapshot } from './harness/host';
import { KeyVaultStandIn } from './harness/key-vault-stand-in';
import { adaptForNode } from './harness/node-adaptations';
import { NodeCluster } from './harness/node-cluster';
import { listPods, isReady } from './harness/pods';
import { freePort } from './harness/processes';
import { buildTargets } from './harness/toolchain';
import { waitUntil } from './harness/wait';
import { KubeClient, type KubeObject } from '../support/kube-client';

const NAMESPACES = 100;
/** The copies' and the master's own refresh: an hour, so nothing but `rotate` can explain a fast rotation. */
const REFRESH = '1h0m0s';
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

let tools: Record<'kube' | 'eso' | 'helm' | 'node' | 'images', string>;
let cluster: NodeCluster;
let cp: ControlPlane;
let keyVault: KeyVaultStandIn;
let admin: KubeClient;
let before: HostSnapshot;
const figures: string[] = [];
const seconds = (since: number) => ((Date.now() - since) / 1000).toFixed(1);
const decode = (s: KubeObject | undefined, key: string) => (s?.data?.[key] === undefined ? undefined : Buffer.from(s.data[key], 'base64').toString('utf8'));
const copies = () => admin.list('v1', 'Secret', undefined, 'central-secret-store.io/credential=rotation,source=central-secret-store');

function namespaces(names: string[]): KubeObject[] {
  const chart = new Chart(new App(), 'ns', { disableResourceNameHashes: true });
  for (const name of names) new TenantNamespace(chart, name, { name, tenant: 'payments', requests: ['rotation'], owners: [{ kind: 'Group', name: 'payments-admins' }] });
  return chart.toJson() as KubeObject[];
}

beforeAll(async () => {
  before = hostSnapshot();
  tools = buildTargets('kube', 'eso', 'helm', 'node', 'images');
  cluster = new NodeCluster(tools);
  await cluster.start();
  cp = cluster.controlPlane;
  admin = new KubeClient(cp.server, cp.caPem, cp.tokens.admin);
  keyVault = new KeyVaultStandIn();
  await keyVault.start();
  keyVault.set(vault);
  await cluster.forward([keyVault.address]);
  await installEso(cluster, join(tools.helm, 'helm'));
  const manifests = synthesizeCluster(loadCatalogue(join(__dirname, 'catalogue')), 'e2e');
  const objects = adaptForNode([...manifests.clusterScoped, ...manifests.namespaced].map(withDeletionPropagation) as KubeObject[], { server: cp.server, vaultUrl: keyVault.webhookUrl, masterRefreshInterval: REFRESH });
  const slow = objects.map((o) => (o.kind === 'ClusterExternalSecret' ? { ...o, spec: { ...o.spec, externalSecretSpec: { ...o.spec.externalSecretSpec, refreshInterval: REFRESH } } } : o));
  const deployer = new KubeClient(cp.server, cp.caPem, cp.tokens.deployer);
  for (const o of slow) await deployer.apply(o);
  const existing = (await admin.list('v1', 'Namespace', undefined, 'secrets/rotation=true')).length;
  for (const o of namespaces(Array.from({ length: NAMESPACES - existing }, (_, i) => `ops-${i}`))) await deployer.apply(o);
  const t = Date.now();
  await waitUntil(`${NAMESPACES} copies`, async () => (await copies()).length === NAMESPACES, 10 * 60);
  figures.push(`${NAMESPACES} copies provisioned in ${seconds(t)} s`);
}, 60 * 60 * 1000);

afterAll(async () => {
  const problems = (await cluster?.stop()) ?? [];
  await keyVault?.stop();
  console.log(`operations figures:\n  ${figures.join('\n  ')}`);
  expect(problems).toEqual([]);
  if (before) expect(hostSnapshot()).toEqual(before);
});

describe('rotate and recover on a real node', () => {
  test(`rotate confirms every copy at ${NAMESPACES} namespaces far within the refresh interval, and rolls an opted-in Deployment whose new pod reads the new value`, async () => {
    const namespace = (await admin.list('v1', 'Namespace', undefined, 'secrets/rotation=true'))[0].metadata.name;
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
    const seen = () => JSON.parse(cluster.network.exec(join(tools.node, 'testapp'), ['probe', url])).image as string;
    await waitUntil('token-reader Ready', async () => (await listPods(admin, namespace, 'app=token-reader')).some(isReady), 180);
    expect(seen()).toBe('e2e-token-1');

    keyVault.set({ ...vault, 'rotation-token': 'e2e-token-2' });
    const t = Date.now();
    const result = await rotate(new KubeOperations(loadKubeConfig({ kubeconfig: cp.kubeconfig('admin') })), { credential: 'rotation', deadlineMs: 5 * 60 * 1000 });
    figures.push(
      `rotate at ${NAMESPACES} namespaces: master and ${result.copies.confirmed}/${result.copies.total} copies re-read, ${result.workloads.rolled}/${result.workloads.total} Deployment rolled, in ${seconds(t)} s (refresh interval ${REFRESH})`,
    );
    expect(result).toMatchObject({ ok: true, masterConfirmed: true, lagging: [], copies: { confirmed: NAMESPACES, total: NAMESPACES, changed: NAMESPACES }, workloads: { rolled: 1, total: 1, rolledBy: 'central-secret-store' } });
    expect((await copies()).every((s) => decode(s, 'token') === 'e2e-token-2')).toBe(true);
    const deployment = await admin.request('GET', `/apis/apps/v1/namespaces/${namespace}/deployments/token-reader`);
    expect(deployment.body.spec.template.metadata.annotations[SECRET_VERSION_ANNOTATION]).toMatch(/^rotation-opaque@\d+$/);
    await waitUntil('the new pod Ready', async () => (await listPods(admin, namespace, 'app=token-reader')).some(isReady), 180);
    expect(seen()).toBe('e2e-token-2');
    await admin.request('DELETE', `/apis/apps/v1/namespaces/${namespace}/deployments/token-reader`);
  });

  test('recover bumps every store and ExternalSecret of the product and sees them re-read', async () => {
    const t = Date.now();
    const result = await recover(new KubeOperations(loadKubeConfig({ kubeconfig: cp.kubeconfig('admin') })), { deadlineMs: 5 * 60 * 1000 });
    figures.push(`recover: ${result.stores.ready}/${result.stores.total} stores Ready, ${result.externalSecrets.resynced}/${result.externalSecrets.total} ExternalSecrets re-read in ${seconds(t)} s`);
    expect(result.lagging).toEqual([]);
    expect(result.externalSecrets.total).toBeGreaterThan(NAMESPACES);
  });
});

