/**
 * The real single-node cluster the suite is moving to (harness/node-cluster.ts): a kubelet running pods with
 * containerd, ESO installed by its Helm chart under the chart's own RBAC, and a private registry. Each test
 * checks what the cluster reports or serves; the last one stops the cluster and checks that the host is as
 * it was before.
 */
import { join } from 'node:path';
import type { KubeClient, KubeObject } from '../support/kube-client';
import { ESO_CONTROLLER_USERNAME, ESO_NAMESPACE, ESO_SERVICE_ACCOUNT } from '../../constructs/src';
import { esoChartValues } from '../../stacks/eso-release';
import { USERS, type UserName } from './harness/control-plane';
import { esoChartDefaults, undeclaredValues } from './harness/eso-chart';
import { installEso } from './harness/eso-install';
import { hostSnapshot, type HostSnapshot } from './harness/host';
import { NODE_NAME, NodeCluster } from './harness/node-cluster';
import { createPod, getPod, podSummary, waitForReadyPod, waitingReasons, type Pod } from './harness/pods';
import { freePort, residentMemory } from './harness/processes';
import { LoopbackRegistry } from './harness/registry';
import { buildSeconds, buildTargets, type Target } from './harness/toolchain';
import { waitUntil } from './harness/wait';

const TARGETS: Target[] = ['kube', 'eso', 'helm', 'node', 'images'];
const ESO_GROUPS = ['system:serviceaccounts', `system:serviceaccounts:${ESO_NAMESPACE}`, 'system:authenticated'];

let tools: Record<Target, string>;
let cluster: NodeCluster;
let admin: KubeClient;
let before: HostSnapshot;
const figures: string[] = [];
const seconds = (since: number) => ((Date.now() - since) / 1000).toFixed(1);

let esoPod: Promise<Pod> | undefined;
/** ESO is installed once, by the first test that needs it. */
function eso(): Promise<Pod> {
  if (!esoPod) {
    const t = Date.now();
    esoPod = installEso(cluster, join(tools.helm, 'helm')).then((pod) => {
      figures.push(`ESO installed by helm and its controller pod Ready: ${seconds(t)} s`);
      return pod;
    });
  }
  return esoPod;
}

/** A hostNetwork pod of the test app serving on `port`, Ready when it answers inside the pods' namespace. */
function testAppPod(name: string, image: string, port: number, pull: { policy: 'Never' | 'Always'; secret?: string }) {
  return {
    metadata: { name, namespace: 'default' },
    spec: {
      hostNetwork: true,
      terminationGracePeriodSeconds: 5,
      ...(pull.secret ? { imagePullSecrets: [{ name: pull.secret }] } : {}),
      containers: [
        {
          name: 'app',
          image,
          imagePullPolicy: pull.policy,
          args: ['serve', `127.0.0.1:${port}`],
          env: [
            { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
            { name: 'IMAGE', value: image },
          ],
          readinessProbe: { exec: { command: ['/bin/testapp', 'probe', `http://127.0.0.1:${port}/`] }, periodSeconds: 1 },
        },
      ],
    },
  };
}

/** What a URL answers inside the pods' network namespace (the test app's probe, run there). */
const fetchInPodNetwork = (url: string) => cluster.fetchInPods(url);

beforeAll(
  async () => {
    before = hostSnapshot();
    const build: string[] = [];
    for (const target of TARGETS) {
      const t = Date.now();
      tools = { ...tools, ...buildTargets(target) };
      build.push(`${target} ${buildSeconds(tools[target])} s (this run ${seconds(t)} s)`);
    }
    figures.push(`builds, as the cache's build took them: ${build.join(', ')}`);
    // Helm ignores values a chart does not declare: these settings of the stack have no effect on v0.20.4.
    figures.push(
      `stack values the v0.20.4 chart does not declare: ${undeclaredValues(esoChartValues(), esoChartDefaults()).join(', ') || 'none'}`,
    );
    cluster = new NodeCluster(tools);
    await cluster.start();
    admin = cluster.client('admin');
    figures.push(
      `cluster up: ${Object.entries(cluster.startup)
        .map(([k, v]) => `${k} ${v.toFixed(1)} s`)
        .join(', ')}`,
    );
  },
  60 * 60 * 1000,
);

afterAll(async () => {
  await cluster?.stop();
  console.log(`node figures:\n  ${figures.join('\n  ')}`);
});

describe('a real single-node cluster', () => {
  test('the node is Ready, with the kubelet and containerd it was built with', async () => {
    const node = await admin.request('GET', `/api/v1/nodes/${NODE_NAME}`);
    expect(node.status).toBe(200);
    expect(node.body.status.conditions.find((c: any) => c.type === 'Ready')).toMatchObject({ status: 'True' });
    expect(node.body.status.nodeInfo).toMatchObject({
      kubeletVersion: 'v1.34.4',
      containerRuntimeVersion: expect.stringMatching(/^containerd:\/\/1\./),
    });
    expect(node.body.spec.taints ?? []).toEqual([]);
  });

  test("the suite's token users are who the API server says they are", async () => {
    for (const [user, identity] of Object.entries(USERS)) {
      const review = await cluster.client(user as UserName).request('POST', '/apis/authentication.k8s.io/v1/selfsubjectreviews', {
        apiVersion: 'authentication.k8s.io/v1',
        kind: 'SelfSubjectReview',
      });
      expect(review.body.status.userInfo).toMatchObject({
        username: identity.name,
        groups: expect.arrayContaining([...identity.groups, 'system:authenticated']),
      });
    }
  });

  test("a pod from a locally imported image is Running and Ready, and serves only inside the pods' network namespace", async () => {
    const port = await freePort();
    const t = Date.now();
    const image = cluster.images.testapp.ref;
    await createPod(admin, testAppPod('testapp', image, port, { policy: 'Never' }));
    const pod = await waitForReadyPod(admin, 'default', 'testapp');
    figures.push(`first pod (local image) Running and Ready: ${seconds(t)} s after it was created`);
    expect(pod.status?.phase).toBe('Running');
    expect(JSON.parse(fetchInPodNetwork(`http://127.0.0.1:${port}/`))).toEqual({ pod: 'testapp', image });
    // The host's own loopback does not have it: the pod listens in the namespace only.
    await expect(fetch(`http://127.0.0.1:${port}/`)).rejects.toThrow();
  });

  test("ESO, installed by its Helm chart, runs as the chart's ServiceAccount", async () => {
    const pod = await eso();
    expect(pod.metadata.namespace).toBe(ESO_NAMESPACE);
    expect(pod.spec.serviceAccountName).toBe(ESO_SERVICE_ACCOUNT);
    expect(pod.spec.containers[0].image).toBe(cluster.images['external-secrets'].ref);
    const sa = await admin.get('v1', 'ServiceAccount', ESO_SERVICE_ACCOUNT, ESO_NAMESPACE);
    expect(sa?.metadata.labels).toMatchObject({ 'app.kubernetes.io/managed-by': 'Helm', 'app.kubernetes.io/instance': 'external-secrets' });
    // Its listeners (metrics on the chart's port 8080) are in the pods' namespace.
    expect(fetchInPodNetwork('http://127.0.0.1:8080/metrics')).toContain('controller_runtime_reconcile_total');
  });

  test("ESO's ServiceAccount has the chart's grants and is no cluster admin", async () => {
    await eso();
    const can = (verb: string, resource: string, group = '', namespace?: string) =>
      admin.canI(ESO_CONTROLLER_USERNAME, ESO_GROUPS, verb, resource, namespace, group);
    for (const verb of ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'])
      expect(await can(verb, 'secrets', '', 'default')).toBe(true);
    expect(await can('list', 'clustersecretstores', 'external-secrets.io')).toBe(true);
    expect(await can('create', 'events', '', 'default')).toBe(true);
    const review = await admin.request('POST', '/apis/authorization.k8s.io/v1/subjectaccessreviews', {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SubjectAccessReview',
      spec: {
        user: ESO_CONTROLLER_USERNAME,
        groups: ESO_GROUPS,
        resourceAttributes: { verb: 'create', resource: 'serviceaccounts', subresource: 'token', namespace: 'default' },
      },
    });
    expect(review.body.status.allowed).toBe(true);

    expect(await can('create', 'clusterrolebindings', 'rbac.authorization.k8s.io')).toBe(false);
    expect(await can('*', '*', '*')).toBe(false);
    expect(await can('create', 'pods', '', 'default')).toBe(false);
    expect(await can('delete', 'namespaces')).toBe(false);
    const bindings = (await admin.list('rbac.authorization.k8s.io/v1', 'ClusterRoleBinding')).filter((b) =>
      b.subjects?.some((s: any) => s.kind === 'ServiceAccount' && s.name === ESO_SERVICE_ACCOUNT && s.namespace === ESO_NAMESPACE),
    );
    expect(bindings.map((b) => b.roleRef.name)).toEqual(['external-secrets-controller']);
  });

  test('the in-cluster ESO syncs an ExternalSecret through a kubernetes-provider ClusterSecretStore', async () => {
    const controller = await eso();
    const source = 'node-smoke-source';
    const target = 'node-smoke-target';
    const value = `v-${Math.random().toString(36).slice(2)}`;
    const objects: KubeObject[] = [
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: source } },
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: target } },
      { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'credential', namespace: source }, stringData: { password: value } },
      { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'reader', namespace: source } },
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'Role',
        metadata: { name: 'reader', namespace: source },
        rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list', 'watch'] }],
      },
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: { name: 'reader', namespace: source },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'reader' },
        subjects: [{ kind: 'ServiceAccount', name: 'reader', namespace: source }],
      },
      {
        apiVersion: 'external-secrets.io/v1',
        kind: 'ClusterSecretStore',
        metadata: { name: 'node-smoke' },
        spec: {
          provider: {
            kubernetes: {
              remoteNamespace: source,
              // The API server's loopback URL, which the controller reaches through the pods' namespace.
              server: {
                url: cluster.server,
                caProvider: { type: 'ConfigMap', name: 'kube-root-ca.crt', key: 'ca.crt', namespace: source },
              },
              auth: { serviceAccount: { name: 'reader', namespace: source } },
            },
          },
        },
      },
      {
        apiVersion: 'external-secrets.io/v1',
        kind: 'ExternalSecret',
        metadata: { name: 'synced', namespace: target },
        spec: {
          refreshInterval: '1h',
          secretStoreRef: { kind: 'ClusterSecretStore', name: 'node-smoke' },
          target: { name: 'synced' },
          data: [{ secretKey: 'password', remoteRef: { key: 'credential', property: 'password' } }],
        },
      },
    ];
    for (const o of objects) await admin.apply(o);
    const secret = await waitUntil(
      'the synced Secret',
      () => admin.get('v1', 'Secret', 'synced', target),
      120,
      async () => JSON.stringify((await admin.get('external-secrets.io/v1', 'ExternalSecret', 'synced', target))?.status),
    );
    expect(Buffer.from(secret.data.password, 'base64').toString('utf8')).toBe(value);
    // Written with the controller pod's own ServiceAccount token, not the static `eso` user of the old suite.
    const writes = cluster.controlPlane
      .auditEvents()
      .filter(
        (e) =>
          e.verb === 'create' && e.objectRef?.resource === 'secrets' && e.objectRef?.namespace === target && e.objectRef?.name === 'synced',
      );
    expect(writes.map((e) => [e.user.username, e.user.extra?.['authentication.kubernetes.io/pod-name']])).toEqual([
      [ESO_CONTROLLER_USERNAME, [controller.metadata.name]],
    ]);
  });

  test('a private image is pulled from the password-protected registry with an imagePullSecret, and not without', async () => {
    const registry = new LoopbackRegistry(cluster, tools.node);
    await registry.start();
    const image = await registry.push(cluster.images.testapp, 'private/testapp:v1');

    const [without, withSecret] = await Promise.all([freePort(), freePort()]);
    await createPod(admin, testAppPod('no-credentials', image, without, { policy: 'Always' }));
    const refused = await waitUntil(
      'the pull without credentials to fail',
      async () => {
        const pod = await getPod(admin, 'default', 'no-credentials');
        return waitingReasons(pod).some((r) => r === 'ErrImagePull' || r === 'ImagePullBackOff') && pod;
      },
      120,
      async () => podSummary(await getPod(admin, 'default', 'no-credentials')),
    );
    expect(refused.status?.phase).toBe('Pending');
    // Refused for want of credentials, not for any other reason: the registry challenged the node.
    expect(registry.refusals().length).toBeGreaterThan(0);
    const events = (await admin.request('GET', '/api/v1/namespaces/default/events?fieldSelector=involvedObject.name%3Dno-credentials')).body
      .items;
    expect(events.filter((e: any) => e.reason === 'Failed').map((e: any) => e.message)).toContainEqual(
      expect.stringContaining('401 Unauthorized'),
    );

    await admin.apply(registry.pullSecret('registry-credentials', 'default'));
    const t = Date.now();
    await createPod(admin, testAppPod('with-credentials', image, withSecret, { policy: 'Always', secret: 'registry-credentials' }));
    await waitForReadyPod(admin, 'default', 'with-credentials');
    figures.push(`pod from the private registry Running and Ready: ${seconds(t)} s after it was created`);
    expect(JSON.parse(fetchInPodNetwork(`http://127.0.0.1:${withSecret}/`))).toEqual({ pod: 'with-credentials', image });
    // The credentials in the namespace are no one else's: the pod that does not name them still cannot pull.
    expect(waitingReasons(await getPod(admin, 'default', 'no-credentials'))).toEqual([
      expect.stringMatching(/^(ErrImagePull|ImagePullBackOff)$/),
    ]);
  });

  test('stopping the cluster leaves the host as it was', async () => {
    const pids = cluster.livePids();
    const memory = pids.map(residentMemory).filter((m) => m !== undefined);
    figures.push(
      `RSS of the ${memory.length} cluster processes: ${memory.reduce((sum, m) => sum + m.mib, 0).toFixed(0)} MiB (${memory.map((m) => `${m.name} ${m.mib.toFixed(0)}`).join(', ')})`,
    );
    figures.push(`before teardown: ${cluster.hostChanges()}`);
    const t = Date.now();
    expect(await cluster.stop()).toEqual([]);
    figures.push(`teardown: ${seconds(t)} s`);
    expect(pids.filter((pid) => residentMemory(pid) !== undefined)).toEqual([]);
    expect(hostSnapshot()).toEqual(before);
  });
});
