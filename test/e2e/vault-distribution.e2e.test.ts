/**
 * The HashiCorp Vault backend end to end (issue 13): a real Vault (the dev server built from the Go module
 * proxy, serving https on 127.0.0.1) configured as the stack configures it (stacks/vault-access.ts: a KV v2
 * mount per tenant, policies from tenants/lib's vault layout, the cluster's Kubernetes auth mount reviewing
 * ESO's tokens with the stack's token reviewer, a role per store), and on the real node ESO installed by its
 * chart reading it with its `vault` provider through the synth output of test/e2e/vault-catalogue, applied as
 * Pulumi applies it. Vault's file audit log is the independent witness of who read what, and of what Vault
 * refused.
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { ESO_NAMESPACE } from '../../constructs/src';
import { synthesizeCluster } from '../../plane';
import { withDeletionPropagation } from '../../stacks/deletion-propagation';
import { vaultScopeOf } from '../../stacks/vault-access';
import { tokenReviewerObjects } from '../../stacks/vault-token-reviewer';
import {
  type Catalogue,
  type VaultEnvironment,
  type VaultPolicy,
  clusterNamed,
  environmentOf,
  kubernetesAuthMountOf,
  loadCatalogue,
  mastersLoginOf,
  mastersPolicyOf,
  sharedSpaceOf,
  tenantLoginOf,
  tenantPolicyOf,
  tenantSpaceOf,
} from '../../tenants/lib';
import { KubeClient, type KubeObject } from '../support/kube-client';
import { tempDir } from '../support/temp-dir';
import type { ControlPlane } from './harness/control-plane';
import { installEso } from './harness/eso-install';
import { hostSnapshot, type HostSnapshot } from './harness/host';
import { adaptForNode } from './harness/node-adaptations';
import { NodeCluster } from './harness/node-cluster';
import { endNodeSuite } from './harness/suite-end';
import { applyAsPulumi, destroyAsPulumi, dryRunChanges, waitForEsoWriteBack } from './harness/pulumi-apply';
import { buildSeconds, buildTargets, builtVersion } from './harness/toolchain';
import type { VaultClient } from './harness/vault-client';
import { VaultServer } from './harness/vault-server';
import { vaultFlavour } from './harness/vault-flavour';
import { tenantNamespaces } from './harness/tenant-namespaces';
import { waitUntil } from './harness/wait';

const CLUSTER = 'vault-e2e';
const CENTRAL = 'central-secret-store';
const MASTER_REFRESH_SECONDS = 5;
/** Namespaces of tenant `data` that request the rotated credential, besides data-api. */
const ROTATION_NAMESPACES = 30;
const seconds = (since: number) => ((Date.now() - since) / 1000).toFixed(1);
const decode = (s: KubeObject | undefined, key: string) => (s?.data?.[key] === undefined ? undefined : Buffer.from(s.data[key], 'base64').toString('utf8'));

/** What Vault holds, by mount-relative path: the shared masters and each tenant's own secrets. */
const shared = {
  'registries/pull': { username: 'robot$data "quoted"', password: 'tök:en\nwith newline' },
  'rotation/token': { token: 'v1' },
  // What the stack writes with each deployment (stacks/canary.ts): a marker, not a secret.
  [`canary/${CLUSTER}`]: { value: 'deployment-0123abcd' },
};
const own = {
  data: { postgres: { username: 'app', password: 'pg-secret-of-data' } },
  'data-science': { 'feature-store': { token: 'feature-store-token-of-data-science' } },
} as const;

let tools: Record<'kube' | 'eso' | 'helm' | 'node' | 'images', string>;
let cluster: NodeCluster;
let cp: ControlPlane;
let vault: VaultServer;
let root: VaultClient;
let auditLog: string;
let catalogue: Catalogue;
let environment: VaultEnvironment;
let admin: KubeClient;
let deployer: KubeClient;
let before: HostSnapshot;
const figures: string[] = [];

/** One entry of Vault's file audit log (responses only): who asked for which path, and Vault's answer. */
interface AuditResponse {
  readonly time: string;
  readonly path: string;
  readonly operation: string;
  readonly policies: readonly string[];
  readonly error?: string;
}

function auditResponses(): AuditResponse[] {
  return readFileSync(auditLog, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line))
    .filter((entry) => entry.type === 'response')
    .map((entry) => ({
      time: entry.time,
      path: entry.request.path,
      operation: entry.request.operation,
      // Vault's `default` policy (a token may look itself up) is on every token the stack's roles issue.
      policies: (entry.auth?.token_policies ?? entry.auth?.policies ?? []).filter((p: string) => p !== 'default'),
      error: entry.error,
    }));
}

/** The e2e Vault catalogue, pointed at this run's Vault and trusting its CA. */
function writeCatalogue(dir: string): Catalogue {
  cpSync(join(__dirname, 'vault-catalogue'), dir, { recursive: true });
  writeFileSync(
    join(dir, 'clusters.yaml'),
    stringify({
      environments: [{ name: 'e2e-vault', vault: { address: vault.url, caBundle: vault.caPem } }],
      clusters: [{ name: CLUSTER, environment: 'e2e-vault', kind: 'generic', region: 'local', refreshInterval: '10s', trustDomain: 'e2e.local', deployers: { groups: ['central-secret-store-deployers'] } }],
    }),
  );
  return loadCatalogue(dir);
}

/** The catalogue's manifests, adapted to the node, as the stack hands them to Pulumi. */
function catalogueObjects(): KubeObject[] {
  const manifests = synthesizeCluster(catalogue, CLUSTER);
  return adaptForNode([...manifests.clusterScoped, ...manifests.namespaced].map(withDeletionPropagation) as KubeObject[], {
    server: cp.server,
    masterRefreshInterval: `${MASTER_REFRESH_SECONDS}s`,
  });
}

/** A policy of the layout, in the JSON form the stack gives Vault. */
const writePolicy = (policy: VaultPolicy) => root.writePolicy(policy.name, JSON.stringify(policy.document, null, 2));

/**
 * Vault as VaultAccess configures it for this cluster, owning the spaces: the shared mount, a mount and a
 * policy per tenant, the masters' policy, the cluster's Kubernetes auth mount reviewing with the token
 * reviewer's token, and a role per store bound to ESO's ServiceAccount and the store's audience.
 */
async function configureVaultAsTheStack(reviewerJwt: string): Promise<void> {
  const settings = environment.vault;
  const scope = vaultScopeOf(catalogue, clusterNamed(catalogue, CLUSTER)!, environment);
  await root.enableKv2(sharedSpaceOf(settings).mount);
  for (const tenant of scope.spaceTenants) {
    await root.enableKv2(tenantSpaceOf(settings, tenant).mount);
    await writePolicy(tenantPolicyOf(settings, tenant));
  }
  const masters = mastersPolicyOf(settings, CLUSTER, scope.masterPaths);
  await writePolicy(masters);
  const mount = kubernetesAuthMountOf(CLUSTER);
  await root.enableKubernetesAuth(mount, { kubernetesHost: cp.server, kubernetesCaCert: cp.caPem, tokenReviewerJwt: reviewerJwt });
  const role = (login: { role: string; audience: string }, policy: string) =>
    root.writeKubernetesRole(mount, login.role, { serviceAccountNames: ['external-secrets'], serviceAccountNamespaces: [ESO_NAMESPACE], audience: login.audience, policies: [policy], noDefaultPolicy: false });
  await role(mastersLoginOf(settings, CLUSTER), masters.name);
  for (const tenant of scope.clusterTenants) await role(tenantLoginOf(settings, CLUSTER, tenant), tenantPolicyOf(settings, tenant).name);
}

async function storeReady(name: string): Promise<boolean> {
  const s = await admin.get('external-secrets.io/v1', 'ClusterSecretStore', name);
  return s?.status?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True');
}

const secretIn = (namespace: string, name: string) => admin.get('v1', 'Secret', name, namespace);

beforeAll(async () => {
  before = hostSnapshot();
  tools = buildTargets('kube', 'eso', 'helm', 'node', 'images');
  const flavour = vaultFlavour();
  const server = buildTargets(flavour.target)[flavour.target];
  figures.push(`${flavour.product} ${builtVersion(server)}: ${buildSeconds(server)} s to install or build, as the cache's build took it`);
  const dir = tempDir('css-e2e-vault-node-');
  auditLog = join(dir, 'vault-audit.log');
  vault = new VaultServer(join(dir, 'vault'), server, { tls: true, auditLog, flavour });
  let t = Date.now();
  await vault.start();
  figures.push(`${flavour.product} dev server (https) ready in ${seconds(t)} s`);
  root = vault.root;
  catalogue = writeCatalogue(join(dir, 'catalogue'));
  environment = environmentOf(catalogue, clusterNamed(catalogue, CLUSTER)!) as VaultEnvironment;

  cluster = new NodeCluster(tools);
  await cluster.start();
  cp = cluster.controlPlane;
  admin = cluster.client('admin');
  deployer = cluster.client('deployer');
  await cluster.forward([vault.url.replace('https://', '')]);
  t = Date.now();
  await installEso(cluster, join(tools.helm, 'helm'));
  figures.push(`ESO installed by its chart, controller Ready in ${seconds(t)} s`);

  // The stack's token reviewer, then Vault configured with its token.
  const reviewer = tokenReviewerObjects();
  await applyAsPulumi(deployer, [reviewer.serviceAccount, reviewer.tokenSecret, reviewer.binding] as KubeObject[]);
  const token = await waitUntil('the token controller to fill the reviewer token', async () => decode(await secretIn(ESO_NAMESPACE, reviewer.tokenSecret.metadata.name), 'token'));
  t = Date.now();
  await configureVaultAsTheStack(token);
  for (const [path, data] of Object.entries(shared)) await root.writeKv(sharedSpaceOf(environment.vault).mount, path, data);
  for (const [tenant, secrets] of Object.entries(own)) {
    for (const [path, data] of Object.entries(secrets)) await root.writeKv(tenantSpaceOf(environment.vault, tenant).mount, path, data);
  }
  figures.push(`Vault configured as the stack would and filled: ${seconds(t)} s`);
  await applyAsPulumi(deployer, catalogueObjects());
}, 60 * 60 * 1000);

afterAll(() => endNodeSuite('HashiCorp Vault end-to-end', figures, { cluster, before, servers: [vault] }));

describe('the HashiCorp Vault backend on a real node', () => {
  test("the masters' and the tenants' stores log in with their own roles, and the masters are read from the shared mount", async () => {
    const t = Date.now();
    for (const store of ['vault', 'tenant-data', 'tenant-data-science', 'central-registry', 'central-rotation']) {
      await waitUntil(`store ${store} Ready`, () => storeReady(store), 120, async () =>
        JSON.stringify((await admin.get('external-secrets.io/v1', 'ClusterSecretStore', store))?.status?.conditions ?? []),
      );
    }
    const master = await waitUntil('master registry', () => secretIn(CENTRAL, 'registry'));
    figures.push(`stores Ready and first master read in ${seconds(t)} s`);
    expect([decode(master, 'username'), decode(master, 'password')]).toEqual([shared['registries/pull'].username, shared['registries/pull'].password]);
    // Vault saw ESO log in with each store's role, and read each master with the masters' policy.
    const responses = auditResponses();
    const logins = new Set(responses.filter((r) => r.path === `auth/${kubernetesAuthMountOf(CLUSTER)}/login` && !r.error).flatMap((r) => r.policies));
    expect([...logins].sort()).toEqual([tenantPolicyOf(environment.vault, 'data').name, tenantPolicyOf(environment.vault, 'data-science').name, mastersPolicyOf(environment.vault, CLUSTER, []).name].sort());
    expect(responses.some((r) => r.path === 'css-shared/data/registries/pull' && r.operation === 'read' && !r.error && r.policies.includes(`css-masters-${CLUSTER}`))).toBe(true);
  });

  test('every requesting namespace gets its copies, and each tenant its own secrets from its own space', async () => {
    for (const ns of ['data-api', 'ds-train']) {
      const docker = await waitUntil(`dockerconfigjson in ${ns}`, () => secretIn(ns, 'registry-dockerconfigjson'));
      const auth = JSON.parse(decode(docker, '.dockerconfigjson')!).auths['ghcr.io'].auth;
      expect(Buffer.from(auth, 'base64').toString('utf8')).toBe(`${shared['registries/pull'].username}:${shared['registries/pull'].password}`);
    }
    const postgres = await waitUntil('own secret postgres in data-api', () => secretIn('data-api', 'postgres'));
    expect(postgres.type).toBe('kubernetes.io/basic-auth');
    expect([decode(postgres, 'username'), decode(postgres, 'password')]).toEqual([own.data.postgres.username, own.data.postgres.password]);
    const feature = await waitUntil('own secret feature-store in ds-train', () => secretIn('ds-train', 'feature-store'));
    expect(decode(feature, 'token')).toBe(own['data-science']['feature-store'].token);
    const canary = await waitUntil('the canary in its namespace', () => secretIn('central-secret-store-canary', 'canary-opaque'));
    expect(decode(canary, 'value')).toBe(shared[`canary/${CLUSTER}`].value);
    const rotation = await waitUntil('rotation copy in data-api', () => secretIn('data-api', 'rotation-opaque'));
    expect(decode(rotation, 'token')).toBe('v1');
    // Vault saw each own secret read with its own tenant's policy and no other.
    // (The suite's own reads with the root token, while it set Vault up, aside.)
    const ownReads = auditResponses().filter((r) => r.operation === 'read' && !r.error && /^css-tenant-[^/]+\/data\//.test(r.path) && !r.policies.includes('root'));
    expect(ownReads.length).toBeGreaterThan(0);
    for (const r of ownReads) expect(r.policies).toEqual([`css-tenant-${r.path.split('/')[0].slice('css-tenant-'.length)}`]);
  });

  test("Vault itself refuses a tenant's role the space of another tenant whose name extends its own", async () => {
    // The admission policies keep tenants from naming such a store; here the platform makes one on purpose,
    // a copy of tenant-data's store aimed at data-science's mount, so that only Vault stands in the way.
    const tenantData = await admin.get('external-secrets.io/v1', 'ClusterSecretStore', 'tenant-data');
    const probeStore = 'isolation-probe';
    const vaultProvider = { ...tenantData!.spec.provider.vault, path: tenantSpaceOf(environment.vault, 'data-science').mount };
    await admin.apply({
      apiVersion: 'external-secrets.io/v1',
      kind: 'ClusterSecretStore',
      metadata: { name: probeStore },
      spec: { conditions: [{ namespaces: ['data-api'] }], provider: { vault: vaultProvider } },
    });
    await admin.apply({
      apiVersion: 'external-secrets.io/v1',
      kind: 'ExternalSecret',
      metadata: { name: 'isolation-probe', namespace: 'data-api' },
      spec: {
        refreshInterval: '1h0m0s',
        secretStoreRef: { kind: 'ClusterSecretStore', name: probeStore },
        target: { name: 'isolation-probe' },
        data: [{ secretKey: 'token', remoteRef: { key: 'feature-store', property: 'token' } }],
      },
    });
    // The refusal is Vault's: a read of data-science's secret with data's policy, answered "permission denied".
    const refusedRead = (r: AuditResponse) => r.path === 'css-tenant-data-science/data/feature-store' && r.error !== undefined;
    const refused = await waitUntil('Vault to refuse the probe', async () => {
      const found = auditResponses().filter(refusedRead);
      return found.length > 0 && found;
    });
    for (const r of refused) expect([r.policies, r.error]).toEqual([['css-tenant-data'], expect.stringMatching(/permission denied/)]);
    // ESO's condition says only that the provider failed; Vault's audit log said why.
    const failed = await waitUntil('the probe ExternalSecret to fail', async () => {
      const es = await admin.get('external-secrets.io/v1', 'ExternalSecret', 'isolation-probe', 'data-api');
      return es?.status?.conditions?.find((c: any) => c.type === 'Ready' && c.status === 'False');
    });
    expect(failed.message).toBe('could not get secret data from provider');
    expect(await secretIn('data-api', 'isolation-probe')).toBeUndefined();
    await admin.delete('external-secrets.io/v1', 'ExternalSecret', 'isolation-probe', 'data-api');
    await admin.delete('external-secrets.io/v1', 'ClusterSecretStore', probeStore);
  });

  test(`a rotation in Vault reaches every copy (${ROTATION_NAMESPACES + 1} namespaces) with Vault reads that do not grow with namespaces`, async () => {
    const names = Array.from({ length: ROTATION_NAMESPACES }, (_, i) => `data-rot-${i}`);
    await applyAsPulumi(deployer, tenantNamespaces(names, 'data', ['rotation']));
    const namespaces = ['data-api', ...names];
    const copies = async () => Promise.all(namespaces.map((ns) => secretIn(ns, 'rotation-opaque')));
    let t = Date.now();
    await waitUntil(`${namespaces.length} copies of v1`, async () => (await copies()).every((s) => decode(s, 'token') === 'v1'), 300);
    figures.push(`${namespaces.length} copies holding v1 ${seconds(t)} s after the namespaces were applied`);

    const since = new Date().toISOString();
    t = Date.now();
    expect(await root.writeKv(sharedSpaceOf(environment.vault).mount, 'rotation/token', { token: 'v2' })).toBe(2);
    await waitUntil(`${namespaces.length} copies of v2`, async () => (await copies()).every((s) => decode(s, 'token') === 'v2'), 300);
    const elapsed = (Date.now() - t) / 1000;
    const reads = auditResponses().filter((r) => r.time >= since && r.path === 'css-shared/data/rotation/token' && r.operation === 'read');
    figures.push(`rotation in Vault reached ${namespaces.length} copies in ${elapsed.toFixed(1)} s with ${reads.length} Vault reads of the master (masters re-read every ${MASTER_REFRESH_SECONDS} s, copies every 10 s)`);
    // Only the master reads Vault, once per master refresh; the copies read the master in the cluster.
    expect(reads.length).toBeLessThanOrEqual(Math.ceil(elapsed / MASTER_REFRESH_SECONDS) + 1);
    expect(reads.every((r) => !r.error && r.policies.includes(`css-masters-${CLUSTER}`))).toBe(true);
    await destroyAsPulumi(deployer, admin, tenantNamespaces(names, 'data', ['rotation']));
  });

  test('after ESO has reconciled, a second apply changes nothing, and destroy completes', async () => {
    const objects = catalogueObjects();
    await waitForEsoWriteBack(admin, objects);
    await applyAsPulumi(deployer, objects);
    expect(await dryRunChanges(deployer, admin, objects)).toEqual([]);
    const t = Date.now();
    await destroyAsPulumi(deployer, admin, objects);
    figures.push(`foreground deletion of ${objects.length} objects completed in ${seconds(t)} s`);
  });
});
