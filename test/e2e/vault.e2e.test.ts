/**
 * HashiCorp Vault, the second backend (issue 13), as the suite runs it: the dev server built from the Go
 * module proxy, on 127.0.0.1. KV v2 secrets round-trip and rotate; a tenant's policy opens its own path and
 * no other, even when one tenant's name is a prefix of another's; and the Kubernetes auth method, against the
 * real local API server, lets in a ServiceAccount token with the role's audience for its own role only.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { KubeClient, type KubeObject } from '../support/kube-client';
import { tempDir } from '../support/temp-dir';
import { ControlPlane } from './harness/control-plane';
import { residentMemory } from './harness/processes';
import { buildSeconds, buildTargets } from './harness/toolchain';
import { waitUntil } from './harness/wait';
import { VaultClient } from './harness/vault-client';
import { VaultServer } from './harness/vault-server';

const KV = 'tenants';
/** Two tenants, one's name a prefix of the other's. */
const TENANTS = ['data', 'data-science'] as const;
const AUDIENCE = 'vault';

let dir: string;
let vault: VaultServer;
let root: VaultClient;
const figures: string[] = [];
const seconds = (since: number) => ((Date.now() - since) / 1000).toFixed(1);
const secretValue = () => randomBytes(16).toString('hex');

/** A tenant's policy: read its own secrets under the KV mount, nothing else. */
const tenantPolicy = (tenant: string) => `path "${KV}/data/${tenant}/*" {\n  capabilities = ["read"]\n}\n`;

/** The addresses a process listens on for TCP, as `ss` reports them. */
function listeningAddresses(pid: number): string[] {
  return execFileSync('ss', ['-Hltnp'], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line.includes(`pid=${pid},`))
    .map((line) => line.trim().split(/\s+/)[3]);
}

beforeAll(async () => {
  let t = Date.now();
  const tools = buildTargets('vault').vault;
  figures.push(`build: ${buildSeconds(tools)} s as the cache's build took it (this run ${seconds(t)} s)`);
  dir = tempDir('css-e2e-vault-');
  vault = new VaultServer(join(dir, 'vault'), tools);
  t = Date.now();
  await vault.start();
  figures.push(`dev server unsealed and ready: ${seconds(t)} s`);
  root = vault.root;
  await root.enableKv2(KV);
  for (const tenant of TENANTS) await root.writePolicy(`tenant-${tenant}`, tenantPolicy(tenant));
}, 60 * 60 * 1000);

afterAll(async () => {
  await vault?.stop();
  if (dir && !process.env.CSS_E2E_KEEP) rmSync(dir, { recursive: true, force: true });
  console.log(`vault figures:\n  ${figures.join('\n  ')}`);
});

test('Vault from the cached build is v1.21.1, unsealed, listens on loopback only and keeps its root token to itself', async () => {
  // The build date is the release's, set by build.sh's linker flags.
  expect(vault.version()).toMatch(/^Vault v1\.21\.1, built \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  expect(await root.health()).toMatchObject({ initialized: true, sealed: false, standby: false, version: '1.21.1' });
  const [pid] = vault.pids;
  const addresses = listeningAddresses(pid);
  expect(addresses).toContain(vault.url.replace('http://', ''));
  expect(addresses.filter((a) => !a.startsWith('127.0.0.1:'))).toEqual([]);
  // The dev banner printed the root token and the unseal key; the log has neither (a boolean, so that a
  // failure does not print the token). HOME holds no file, so no token either: only the empty folder the
  // snowflake driver makes when it loads, which would otherwise land in the HOME of whoever runs the tests.
  const log = vault.log();
  expect(log).toMatch(/^Root Token: <root token>$/m);
  expect(log).toMatch(/^Unseal Key: <redacted>$/m);
  expect(log.includes(vault.rootToken)).toBe(false);
  const home = readdirSync(vault.home, { recursive: true, withFileTypes: true });
  expect(home.filter((entry) => !entry.isDirectory()).map((entry) => entry.name)).toEqual([]);
  expect(home.map((entry) => relative(vault.home, join(entry.parentPath, entry.name)))).toEqual(['.cache', join('.cache', 'snowflake')]);
  // No token, no access.
  await expect(new VaultClient(vault.url).request('GET', 'sys/policies/acl')).rejects.toMatchObject({ status: 403 });
});

test('a KV v2 secret written is read back with its version', async () => {
  const password = secretValue();
  expect(await root.writeKv(KV, 'data/postgres', { username: 'app', password })).toBe(1);
  expect(await root.readKv(KV, 'data/postgres')).toEqual({ data: { username: 'app', password }, version: 1 });
  await expect(root.readKv(KV, 'data/missing')).rejects.toMatchObject({ status: 404 });
});

test("a tenant's policy reads its own secrets only, even when its name is a prefix of another tenant's", async () => {
  const values = Object.fromEntries(TENANTS.map((tenant) => [tenant, secretValue()]));
  for (const tenant of TENANTS) await root.writeKv(KV, `${tenant}/token`, { token: values[tenant] });
  for (const tenant of TENANTS) {
    const client = await root.tokenWith([`tenant-${tenant}`]);
    expect((await client.readKv(KV, `${tenant}/token`)).data).toEqual({ token: values[tenant] });
    for (const other of TENANTS.filter((t) => t !== tenant)) await expect(client.readKv(KV, `${other}/token`)).rejects.toMatchObject({ status: 403 });
    await expect(client.writeKv(KV, `${tenant}/token`, { token: 'overwritten' })).rejects.toMatchObject({ status: 403 });
    await expect(client.request('GET', `${KV}/metadata/?list=true`)).rejects.toMatchObject({ status: 403 });
  }
  // The slash after the tenant's name is what keeps them apart: a glob on the bare name would hand `data`
  // the secrets of `data-science`.
  await root.writePolicy('bare-prefix', `path "${KV}/data/data*" {\n  capabilities = ["read"]\n}\n`);
  const barePrefix = await root.tokenWith(['bare-prefix']);
  expect((await barePrefix.readKv(KV, 'data-science/token')).data).toEqual({ token: values['data-science'] });
});

test('a rotation writes a new version that readers see at once; the previous one stays readable by version', async () => {
  const [first, second] = [secretValue(), secretValue()];
  const reader = await root.tokenWith(['tenant-data']);
  expect(await root.writeKv(KV, 'data/rotated', { password: first })).toBe(1);
  expect(await reader.readKv(KV, 'data/rotated')).toEqual({ data: { password: first }, version: 1 });
  expect(await root.writeKv(KV, 'data/rotated', { password: second })).toBe(2);
  expect(await reader.readKv(KV, 'data/rotated')).toEqual({ data: { password: second }, version: 2 });
  expect(await reader.readKv(KV, 'data/rotated', 1)).toEqual({ data: { password: first }, version: 1 });
});

describe('the Kubernetes auth method against the local API server', () => {
  const MOUNT = 'kubernetes';
  let controlPlane: ControlPlane;
  let admin: KubeClient;

  /** A ServiceAccount token from the TokenRequest API, for `audiences` (the API server's own by default). */
  async function serviceAccountToken(namespace: string, name: string, audiences?: string[]): Promise<string> {
    const res = await admin.request('POST', `/api/v1/namespaces/${namespace}/serviceaccounts/${name}/token`, {
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenRequest',
      spec: { audiences, expirationSeconds: 600 },
    });
    if (res.status !== 201) throw new Error(`TokenRequest for ${namespace}/${name}: HTTP ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.status.token;
  }

  const serviceAccount = (namespace: string, name: string): KubeObject[] => [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace } },
  ];

  beforeAll(async () => {
    let t = Date.now();
    const tools = buildTargets('kube');
    controlPlane = new ControlPlane(tools);
    await controlPlane.start();
    figures.push(`control plane up: ${seconds(t)} s`);
    admin = new KubeClient(controlPlane.server, controlPlane.caPem, controlPlane.tokens.admin);
    // Vault's own identity towards the API server: it may create TokenReviews, nothing else.
    for (const object of [
      ...serviceAccount('vault-auth', 'token-reviewer'),
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRoleBinding',
        metadata: { name: 'vault-token-reviewer' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'system:auth-delegator' },
        subjects: [{ kind: 'ServiceAccount', name: 'token-reviewer', namespace: 'vault-auth' }],
      },
      ...TENANTS.flatMap((tenant) => serviceAccount(tenant, 'app')),
    ])
      await admin.apply(object);
    t = Date.now();
    await root.enableKubernetesAuth(MOUNT, {
      kubernetesHost: controlPlane.server,
      kubernetesCaCert: controlPlane.caPem,
      tokenReviewerJwt: await serviceAccountToken('vault-auth', 'token-reviewer'),
    });
    for (const tenant of TENANTS) {
      await root.writeKubernetesRole(MOUNT, tenant, { serviceAccountNames: ['app'], serviceAccountNamespaces: [tenant], audience: AUDIENCE, policies: [`tenant-${tenant}`] });
    }
    figures.push(`Kubernetes auth enabled and configured: ${seconds(t)} s`);
  }, 60 * 60 * 1000);

  afterAll(async () => {
    await controlPlane?.stop();
  });

  test("a ServiceAccount token with the role's audience logs in to its own role and reads its tenant's secrets only", async () => {
    const value = secretValue();
    await root.writeKv(KV, 'data/from-kubernetes', { value });
    const anonymous = new VaultClient(vault.url);
    const t = Date.now();
    const login = await anonymous.loginKubernetes(MOUNT, 'data', await serviceAccountToken('data', 'app', [AUDIENCE]));
    figures.push(`Kubernetes login (TokenReview round trip included): ${seconds(t)} s`);
    expect(login.policies).toEqual(['tenant-data']);
    expect(login.metadata).toMatchObject({ service_account_namespace: 'data', service_account_name: 'app' });
    expect((await login.client.readKv(KV, 'data/from-kubernetes')).data).toEqual({ value });
    await expect(login.client.readKv(KV, 'data-science/token')).rejects.toMatchObject({ status: 403 });
  });

  test('the same token is refused for another role, and tokens of another audience or namespace are refused', async () => {
    const anonymous = new VaultClient(vault.url);
    const dataToken = await serviceAccountToken('data', 'app', [AUDIENCE]);
    // The role of the tenant whose name extends this one's: its namespace is bound by exact name.
    await expect(anonymous.loginKubernetes(MOUNT, 'data-science', dataToken)).rejects.toMatchObject({ status: 403, errors: ['namespace not authorized'] });
    // The API server's own audience, not Vault's: a token meant for something else does not open Vault.
    await expect(anonymous.loginKubernetes(MOUNT, 'data', await serviceAccountToken('data', 'app'))).rejects.toMatchObject({ status: 403 });
    await expect(anonymous.loginKubernetes(MOUNT, 'data', await serviceAccountToken('data-science', 'app', [AUDIENCE]))).rejects.toMatchObject({ status: 403 });
  });

  test('Vault asks the API server: the token of a deleted ServiceAccount is refused', async () => {
    const anonymous = new VaultClient(vault.url);
    await admin.apply(serviceAccount('data', 'short-lived')[1]);
    await root.writeKubernetesRole(MOUNT, 'short-lived', { serviceAccountNames: ['short-lived'], serviceAccountNamespaces: ['data'], audience: AUDIENCE, policies: ['tenant-data'] });
    const token = await serviceAccountToken('data', 'short-lived', [AUDIENCE]);
    expect((await anonymous.loginKubernetes(MOUNT, 'short-lived', token)).policies).toEqual(['tenant-data']);
    await admin.delete('v1', 'ServiceAccount', 'short-lived', 'data');
    // The API server keeps a successful token authentication for 10 s (kube-apiserver's TokenSuccessCacheTTL),
    // so the TokenReview Vault asks for says no once that has passed.
    const t = Date.now();
    const refusal = await waitUntil('the login of a deleted ServiceAccount to be refused', () => anonymous.loginKubernetes(MOUNT, 'short-lived', token).then(() => undefined, (error) => error), 30);
    figures.push(`login refused ${seconds(t)} s after its ServiceAccount was deleted`);
    expect(refusal).toMatchObject({ status: 403, errors: ['permission denied'] });
  });
});

test('stopping the server ends its process', async () => {
  const pids = vault.pids;
  expect(pids.length).toBe(1);
  const memory = residentMemory(pids[0]);
  figures.push(`RSS of the dev server: ${memory?.mib.toFixed(0)} MiB`);
  await vault.stop();
  expect(pids.filter((pid) => residentMemory(pid) !== undefined)).toEqual([]);
});
