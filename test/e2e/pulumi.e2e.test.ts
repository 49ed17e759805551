/**
 * `pulumi up` for real: the Pulumi CLI and its Kubernetes provider (built from the module proxy) deploy a
 * catalogue cluster's Kubernetes half (ClusterKubernetes: ESO from its chart, the secret plane) onto the real
 * node, through the Automation API, with a file backend and a passphrase secrets provider in the run's
 * folder. The vault is the Key Vault stand-in, configured as the Key Vault half of the stack would (that half
 * stays on mocks: there is no Azure here).
 *
 * Checked: ESO delivers every format; after ESO has reconciled, a second `up` and a `preview` change
 * nothing; one namespace requesting one more credential previews as exactly that change and applies;
 * `refresh` is quiet; the state holds no secret value; `destroy` completes and leaves no object of the
 * product and no finalizer behind.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { type ClusterManifests, isClusterScoped, synthesizeCluster } from '../../plane';
import { ClusterKubernetes } from '../../stacks/cluster-kubernetes';
import { objectKey } from '../../stacks/manifest-set-provider';
import { loadCatalogue } from '../../tenants/lib';
import { type KubeObject, secretText } from '../support/kube-client';
import { tempDir } from '../support/temp-dir';
import { BACKEND_CLUSTER } from './harness/backend-catalogue';
import type { OwnValues, SharedValues } from './harness/backend-under-test';
import { copyEsoChart } from './harness/eso-chart';
import { esoControllerCrds } from './harness/eso-crds';
import { loopbackNodeEsoValues } from './harness/eso-node-values';
import { KeyVaultBackend } from './harness/key-vault-backend';
import type { Relay } from './harness/node-cluster';
import { NodeSuite, SUITE_SETUP_MS } from './harness/node-suite';
import { PulumiEngine, StepLog } from './harness/pulumi-engine';
import { buildTargets } from './harness/toolchain';
import { waitForEsoWriteBack } from './harness/pulumi-apply';
import { waitUntil } from './harness/wait';

const ESO = 'external-secrets.io/v1';
const MASTER_REFRESH_SECONDS = 5;
const SHARED: SharedValues = {
  registry: { username: 'robot$pulumi-e2e', password: 'registry-password-of-the-pulumi-suite' },
  rotation: { token: 'rotation-token-of-the-pulumi-suite' },
};
const OWN: OwnValues = {
  data: { postgres: { username: 'app', password: 'postgres-password-of-the-pulumi-suite' } },
  'data-science': { 'feature-store': { token: 'feature-store-token-of-the-pulumi-suite' } },
};
/** The namespace that requests one more credential in the change, and that credential. */
const CHANGED = { team: 'data', namespace: 'data-api', credential: 'rotation' };
const seconds = (since: number) => ((Date.now() - since) / 1000).toFixed(1);

const suite = new NodeSuite('pulumi up on the node');
const backend = new KeyVaultBackend();
let relay: Relay | undefined;
let engine: PulumiEngine;
let catalogueDir: string;
let manifests: ClusterManifests;
let kubeconfig: string;
let chart: string;
let stack: Awaited<ReturnType<PulumiEngine['stack']>>;

/** The catalogue's requests of the changed namespace, with or without the extra credential. */
function setRequests(withExtra: boolean): void {
  const file = join(catalogueDir, 'teams', `${CHANGED.team}.yaml`);
  const team = parse(readFileSync(file, 'utf8'));
  const namespace = team.clusters[BACKEND_CLUSTER].namespaces.find((n: { name: string }) => n.name === CHANGED.namespace);
  namespace.requests = namespace.requests.filter((r: string) => r !== CHANGED.credential).concat(withExtra ? [CHANGED.credential] : []);
  writeFileSync(file, stringify(team));
  const synthesized = synthesizeCluster(loadCatalogue(catalogueDir), BACKEND_CLUSTER);
  const adapted = backend.adapt(
    [...synthesized.clusterScoped, ...synthesized.namespaced] as KubeObject[],
    suite,
    `${MASTER_REFRESH_SECONDS}s`,
  );
  manifests = {
    cluster: BACKEND_CLUSTER,
    clusterScoped: adapted.filter((o) => isClusterScoped(o.kind)),
    namespaced: adapted.filter((o) => !isClusterScoped(o.kind)),
  };
}

const allObjects = () => [...manifests.clusterScoped, ...manifests.namespaced];
const secretIn = (namespace: string, secret: string) => suite.admin.get('v1', 'Secret', secret, namespace);

/** Every file of the state folder (current state, backups, history), as text. */
function stateText(dir: string): string {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((f) => join(dir, f))
    .filter((f) => statSync(f).isFile())
    .map((f) => readFileSync(f, 'utf8'))
    .join('\n');
}

beforeAll(async () => {
  await suite.start({ eso: false });
  const dir = tempDir('css-e2e-pulumi-');
  await backend.start(dir);
  catalogueDir = join(dir, 'catalogue');
  relay = await suite.cluster.forward(backend.addresses);
  await backend.configure(suite, SHARED, OWN);
  // The stack installs ESO; the values of its chart are the node's (eso-node-values.ts), whose chart lacks CRDs.
  for (const crd of esoControllerCrds()) await suite.admin.apply(crd);
  await waitUntil(
    'ESO CRDs served',
    async () => (await suite.cp.get('/apis/external-secrets.io/v1/externalsecrets', 'admin')).status === 200,
  );
  chart = copyEsoChart(join(dir, 'eso-chart'));
  kubeconfig = readFileSync(suite.cp.kubeconfig('deployer'), 'utf8');
  setRequests(false);
  const tools = buildTargets('pulumi', 'pulumi-kubernetes');
  engine = new PulumiEngine(join(dir, 'pulumi'), { pulumi: tools.pulumi, kubernetesProvider: tools['pulumi-kubernetes'] });
  const imageTag = suite.cluster.images['external-secrets'].ref.split(':').pop()!;
  stack = await engine.stack(BACKEND_CLUSTER, async () => {
    new ClusterKubernetes(BACKEND_CLUSTER, {
      kubeconfig,
      manifests,
      esoChart: { path: chart },
      esoValues: loopbackNodeEsoValues({ apiPort: suite.cluster.apiPort, imageTag, vaultTokenCache: false }),
      // Neither Reloader's chart nor the Prometheus Operator's CRDs are available here.
      reloader: false,
      serviceMonitor: false,
    });
  });
}, SUITE_SETUP_MS);

afterAll(async () => {
  await relay?.cut();
  await backend.stop();
  await suite.end();
});

test('up installs ESO and the secret plane, and ESO delivers every format and each own secret', async () => {
  const t = Date.now();
  const steps = new StepLog();
  const result = await stack.up({ onEvent: steps.record });
  suite.figures.push(
    `pulumi up (ESO release and ${allObjects().length} objects in ${steps.steps.filter((s) => s.type.endsWith('ManifestSet')).length} sets): ${seconds(t)} s`,
  );
  expect(result.summary.result).toBe('succeeded');

  const docker = await waitUntil('dockerconfigjson in data-api', () => secretIn('data-api', 'registry-dockerconfigjson'), 180);
  const auth = JSON.parse(secretText(docker, '.dockerconfigjson')!).auths['ghcr.io'].auth;
  expect(Buffer.from(auth, 'base64').toString('utf8')).toBe(`${SHARED.registry.username}:${SHARED.registry.password}`);
  const postgres = await waitUntil('own secret postgres in data-api', () => secretIn('data-api', 'postgres'));
  expect(secretText(postgres, 'password')).toBe(OWN.data.postgres.password);
  const feature = await waitUntil('own secret feature-store in ds-train', () => secretIn('ds-train', 'feature-store'));
  expect(secretText(feature, 'token')).toBe(OWN['data-science']['feature-store'].token);
  // Every format of every copy: each ExternalSecret ESO made in a tenant namespace is Ready.
  const tenantSecrets = async () =>
    (await suite.admin.list(ESO, 'ExternalSecret')).filter((es) => ['data-api', 'ds-train'].includes(es.metadata.namespace!));
  await waitUntil(
    'every ExternalSecret in the tenant namespaces Ready',
    async () => {
      const all = await tenantSecrets();
      return all.length > 2 && all.every((es) => es.status?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True'));
    },
    180,
  );
  for (const es of await tenantSecrets())
    expect(await secretIn(es.metadata.namespace!, es.spec.target?.name ?? es.metadata.name)).toBeDefined();
});

test('after ESO has reconciled, a second up and a preview change nothing', async () => {
  await waitForEsoWriteBack(suite.admin, allObjects());
  const up = new StepLog();
  let t = Date.now();
  await stack.up({ onEvent: up.record });
  suite.figures.push(`second pulumi up: ${seconds(t)} s`);
  const preview = new StepLog();
  t = Date.now();
  const result = await stack.preview({ onEvent: preview.record });
  suite.figures.push(`pulumi preview: ${seconds(t)} s`);
  expect(up.changes()).toEqual([]);
  expect(preview.changes()).toEqual([]);
  expect(Object.keys(result.changeSummary)).toEqual(['same']);
});

test('one namespace requesting one more credential previews as exactly that change, and applies', async () => {
  const before = new Map(allObjects().map((o) => [objectKey(o), JSON.stringify(o)]));
  setRequests(true);
  const after = new Map(allObjects().map((o) => [objectKey(o), JSON.stringify(o)]));
  const expected = [...new Set([...before.keys(), ...after.keys()])].filter((key) => before.get(key) !== after.get(key)).sort();
  expect(expected).toContain(`Namespace ${CHANGED.namespace}`);

  const preview = new StepLog();
  await stack.preview({ onEvent: preview.record });
  const changedKeys = preview.changes().flatMap((step) => {
    expect(step.op).toBe('update');
    const olds = (step.oldInputs?.objects ?? {}) as Record<string, unknown>;
    const news = (step.newInputs?.objects ?? {}) as Record<string, unknown>;
    return [...new Set([...Object.keys(olds), ...Object.keys(news)])].filter(
      (key) => JSON.stringify(olds[key]) !== JSON.stringify(news[key]),
    );
  });
  expect(changedKeys.sort()).toEqual(expected);

  const t = Date.now();
  const up = new StepLog();
  await stack.up({ onEvent: up.record });
  suite.figures.push(
    `pulumi up of a one-namespace change (${expected.join(', ')}): ${seconds(t)} s, ${up.changes().length} resource updated`,
  );
  const copy = await waitUntil(
    `${CHANGED.credential} copy in ${CHANGED.namespace}`,
    () => secretIn(CHANGED.namespace, `${CHANGED.credential}-opaque`),
    120,
  );
  expect(secretText(copy, 'token')).toBe(SHARED.rotation.token);
});

test('refresh is quiet, and the state holds no secret value', async () => {
  const refresh = new StepLog();
  const result = await stack.refresh({ onEvent: refresh.record });
  expect(refresh.changes()).toEqual([]);
  expect(Object.keys(result.summary.resourceChanges ?? {})).toEqual(['same']);

  const state = stateText(engine.stateDir);
  expect(state).toContain('ManifestSet');
  // Failures name what leaked, never print the state or the value.
  const values = [...Object.entries(SHARED), ...Object.values(OWN).flatMap((own) => Object.entries(own))].flatMap(([name, fields]) =>
    Object.entries(fields).map(([field, value]) => [`${name}.${field}`, value] as const),
  );
  // Short values ('app') occur in any state by chance; the suite's secrets are long on purpose.
  const leaked = values
    .filter(([, value]) => value.length > 8)
    .filter(([, value]) => state.includes(value) || state.includes(Buffer.from(value).toString('base64')));
  expect(leaked.map(([name]) => name)).toEqual([]);
  // The kubeconfig is in the state only encrypted: its bearer token never appears.
  expect({ deployerTokenInState: state.includes(suite.cp.tokens.deployer) }).toEqual({ deployerTokenInState: false });
});

test('destroy completes and leaves no object of the product and no finalizer behind', async () => {
  const t = Date.now();
  const result = await stack.destroy();
  suite.figures.push(`pulumi destroy: ${seconds(t)} s`);
  expect(result.summary.result).toBe('succeeded');
  expect(await suite.admin.list(ESO, 'ClusterSecretStore')).toEqual([]);
  expect(await suite.admin.list(ESO, 'ClusterExternalSecret')).toEqual([]);
  expect(await suite.admin.list(ESO, 'ExternalSecret')).toEqual([]);
  expect(await suite.admin.list('v1', 'Namespace', undefined, 'app.kubernetes.io/managed-by=central-secret-store')).toEqual([]);
  expect(
    (await suite.admin.list('v1', 'Namespace')).filter(
      (n) => (n.metadata.finalizers ?? []).length > 0 || n.status?.phase === 'Terminating',
    ),
  ).toEqual([]);
  // ESO's release is gone with its Helm record.
  expect(await suite.admin.list('v1', 'Secret', 'external-secrets', 'owner=helm')).toEqual([]);
  const state = stateText(engine.stateDir);
  expect({ deployerTokenInState: state.includes(suite.cp.tokens.deployer) }).toEqual({ deployerTokenInState: false });
});

test("the real CLI loads the repository's Pulumi.yaml and takes a setting on a new stack, the project's own keys not required", () => {
  const dir = join(engine.dir, 'repository-project');
  mkdirSync(dir);
  copyFileSync(join(__dirname, '..', '..', 'Pulumi.yaml'), join(dir, 'Pulumi.yaml'));
  const pulumi = (...args: string[]) =>
    execFileSync('pulumi', [...args, '--cwd', dir, '--non-interactive'], { env: engine.env, encoding: 'utf8' });
  pulumi('stack', 'init', 'settings-check');
  pulumi('config', 'set', 'central-secret-store:esoClientQps', '250', '--stack', 'settings-check');
  const config = JSON.parse(pulumi('config', '--json', '--stack', 'settings-check'));
  expect(config['central-secret-store:esoClientQps']).toMatchObject({ value: '250', secret: false });
  // Only what the stack sets, and the project's tags: the template's settings describe, they do not default.
  expect(Object.keys(config).filter((k) => k.startsWith('central-secret-store:'))).toEqual(['central-secret-store:esoClientQps']);
});
