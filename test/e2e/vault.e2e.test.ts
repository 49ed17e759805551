/**
 * The Vault backend (issue 13), as the suite runs it: a server of Vault's API in dev mode (OpenBao from its
 * PyPI wheel by default, HashiCorp Vault built from source with CSS_VAULT_SERVER=vault), on 127.0.0.1, laid
 * out as tenants/lib's vault-layout says (one KV v2 mount per tenant, a
 * policy reading only that mount, a Kubernetes auth mount per cluster whose roles are all bound to ESO's
 * ServiceAccount and told apart by audience). KV v2 secrets round-trip and rotate; a tenant's policy opens its
 * own space and no other, even when one tenant's name is a prefix of another's; and against the real local
 * API server, ESO's token for one role's audience logs in to that role only, when Vault reviews tokens with a
 * reviewer token of its own (reviewed with itself, the token is refused).
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ESO_NAMESPACE, ESO_SERVICE_ACCOUNT } from '../../constructs/src';
import {
  kubernetesAuthMountOf,
  tenantLoginOf,
  tenantPolicyName,
  tenantPolicyOf,
  tenantSpaceOf,
  vaultSettingsSchema,
  type VaultPolicy,
} from '../../tenants/lib';
import { KubeClient, type KubeObject } from '../support/kube-client';
import { tempDir } from '../support/temp-dir';
import { ControlPlane } from './harness/control-plane';
import { residentMemory } from './harness/processes';
import { buildSeconds, buildTargets, builtVersion } from './harness/toolchain';
import { VaultClient } from './harness/vault-client';
import { VaultServer } from './harness/vault-server';
import { vaultFlavour } from './harness/vault-flavour';
import { waitUntil } from './harness/wait';

/** A Vault environment with every default: a KV v2 mount `css-tenant-<tenant>` per tenant. */
const SETTINGS = vaultSettingsSchema.parse({ address: 'https://vault.e2e.invalid:8200' });
const CLUSTER = 'k3s-e2e';
/** Two tenants, one's name a prefix of the other's. */
const TENANTS = ['data', 'data-science'] as const;
const mountOf = (tenant: string) => tenantSpaceOf(SETTINGS, tenant).mount;

let dir: string;
let vault: VaultServer;
let root: VaultClient;
const figures: string[] = [];
const flavour = vaultFlavour();
let version: string;
const seconds = (since: number) => ((Date.now() - since) / 1000).toFixed(1);
const secretValue = () => randomBytes(16).toString('hex');

/** Writes a policy of the layout in the JSON form the stacks give Vault. */
const writePolicy = (policy: VaultPolicy) => root.writePolicy(policy.name, JSON.stringify({ path: policy.document.path }));

/** The addresses a process listens on for TCP, as `ss` reports them. */
function listeningAddresses(pid: number): string[] {
  return execFileSync('ss', ['-Hltnp'], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line.includes(`pid=${pid},`))
    .map((line) => line.trim().split(/\s+/)[3]);
}

beforeAll(
  async () => {
    let t = Date.now();
    const tools = buildTargets(flavour.target)[flavour.target];
    version = builtVersion(tools);
    figures.push(
      `${flavour.product} ${version}: ${buildSeconds(tools)} s to install or build, as the cache's build took it (this run ${seconds(t)} s)`,
    );
    dir = tempDir('css-e2e-vault-');
    vault = new VaultServer(join(dir, 'vault'), tools);
    t = Date.now();
    await vault.start();
    figures.push(`dev server unsealed and ready: ${seconds(t)} s`);
    root = vault.root;
    for (const tenant of TENANTS) {
      await root.enableKv2(mountOf(tenant));
      await writePolicy(tenantPolicyOf(SETTINGS, tenant));
    }
  },
  60 * 60 * 1000,
);

afterAll(async () => {
  await vault?.stop();
  if (dir && !process.env.CSS_E2E_KEEP) rmSync(dir, { recursive: true, force: true });
  console.log(`vault figures:\n  ${figures.join('\n  ')}`);
});

test('the server is the pinned release, unsealed, listens on loopback only and keeps its root token to itself', async () => {
  // HashiCorp's build date is the release's, set by build.sh's linker flags; OpenBao's wheel names its commit.
  expect(vault.version()).toMatch(new RegExp(`^${flavour.product} v${version.replaceAll('.', '\\.')}[ ,]`));
  expect(await root.health()).toMatchObject({ initialized: true, sealed: false, standby: false, version });
  const [pid] = vault.pids;
  const addresses = listeningAddresses(pid);
  expect(addresses).toContain(vault.url.replace('http://', ''));
  expect(addresses.filter((a) => !a.startsWith('127.0.0.1:'))).toEqual([]);
  // The dev banner printed the root token and the unseal key; the log has neither (a boolean, so that a
  // failure does not print the token). HOME holds no file, so no token either (HashiCorp's server leaves the
  // empty folder its snowflake driver makes there, which would otherwise land in the HOME of whoever runs the
  // tests).
  const log = vault.log();
  expect(log).toMatch(/^Root Token: <root token>$/m);
  expect(log).toMatch(/^Unseal Key: <redacted>$/m);
  expect(log.includes(vault.rootToken)).toBe(false);
  const home = readdirSync(vault.home, { recursive: true, withFileTypes: true });
  expect(home.filter((entry) => !entry.isDirectory()).map((entry) => entry.name)).toEqual([]);
  // No token, no access.
  await expect(vault.client().request('GET', 'sys/policies/acl')).rejects.toMatchObject({ status: 403 });
});

test('a KV v2 secret written is read back with its version', async () => {
  const password = secretValue();
  expect(await root.writeKv(mountOf('data'), 'postgres', { username: 'app', password })).toBe(1);
  expect(await root.readKv(mountOf('data'), 'postgres')).toEqual({ data: { username: 'app', password }, version: 1 });
  await expect(root.readKv(mountOf('data'), 'missing')).rejects.toMatchObject({ status: 404 });
});

test("a tenant's policy reads its own space only, even when its name is a prefix of another tenant's", async () => {
  const values = Object.fromEntries(TENANTS.map((tenant) => [tenant, secretValue()]));
  for (const tenant of TENANTS) await root.writeKv(mountOf(tenant), 'token', { token: values[tenant] });
  for (const tenant of TENANTS) {
    const client = await root.tokenWith([tenantPolicyName(tenant)]);
    expect((await client.readKv(mountOf(tenant), 'token')).data).toEqual({ token: values[tenant] });
    for (const other of TENANTS.filter((t) => t !== tenant))
      await expect(client.readKv(mountOf(other), 'token')).rejects.toMatchObject({ status: 403 });
    await expect(client.writeKv(mountOf(tenant), 'token', { token: 'overwritten' })).rejects.toMatchObject({ status: 403 });
    await expect(client.request('GET', `${mountOf(tenant)}/metadata/?list=true`)).rejects.toMatchObject({ status: 403 });
  }
  // The slash after the mount is what keeps them apart: a glob on the bare name would hand `data` the
  // secrets of `data-science`.
  await root.writePolicy('bare-prefix', JSON.stringify({ path: { [`${mountOf('data')}*`]: { capabilities: ['read'] } } }));
  const barePrefix = await root.tokenWith(['bare-prefix']);
  expect((await barePrefix.readKv(mountOf('data-science'), 'token')).data).toEqual({ token: values['data-science'] });
});

test('a rotation writes a new version that readers see at once; the previous one stays readable by version', async () => {
  const [first, second] = [secretValue(), secretValue()];
  const reader = await root.tokenWith([tenantPolicyName('data')]);
  expect(await root.writeKv(mountOf('data'), 'rotated', { password: first })).toBe(1);
  expect(await reader.readKv(mountOf('data'), 'rotated')).toEqual({ data: { password: first }, version: 1 });
  expect(await root.writeKv(mountOf('data'), 'rotated', { password: second })).toBe(2);
  expect(await reader.readKv(mountOf('data'), 'rotated')).toEqual({ data: { password: second }, version: 2 });
  expect(await reader.readKv(mountOf('data'), 'rotated', 1)).toEqual({ data: { password: first }, version: 1 });
});

describe('the Kubernetes auth method against the local API server', () => {
  const MOUNT = kubernetesAuthMountOf(CLUSTER);
  /** The same roles on a mount with no reviewer token, which reviews each token with the token itself: why the stacks configure a reviewer (stacks/vault-token-reviewer.ts). */
  const SELF_REVIEW_MOUNT = `${MOUNT}-self-review`;
  const login = (tenant: string) => tenantLoginOf(SETTINGS, CLUSTER, tenant);
  const anonymous = () => vault.client();
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

  const namespace = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  const serviceAccount = (ns: string, name: string): KubeObject => ({
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name, namespace: ns },
  });
  /** Lets a ServiceAccount create TokenReviews. */
  const tokenReviewer = (ns: string, name: string): KubeObject => ({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name: `vault-token-review-${ns}-${name}` },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'system:auth-delegator' },
    subjects: [{ kind: 'ServiceAccount', name, namespace: ns }],
  });
  /** ESO's token as its vault provider requests it for a tenant's store: the role's audience only. */
  const esoToken = (tenant: string, ...more: string[]) =>
    serviceAccountToken(ESO_NAMESPACE, ESO_SERVICE_ACCOUNT, [login(tenant).audience, ...more]);

  beforeAll(
    async () => {
      let t = Date.now();
      controlPlane = new ControlPlane(buildTargets('kube'));
      await controlPlane.start();
      figures.push(`control plane up: ${seconds(t)} s`);
      admin = new KubeClient(controlPlane.server, controlPlane.caPem, controlPlane.tokens.admin);
      for (const object of [
        namespace('vault-auth'),
        serviceAccount('vault-auth', 'token-reviewer'),
        tokenReviewer('vault-auth', 'token-reviewer'),
        namespace(ESO_NAMESPACE),
        serviceAccount(ESO_NAMESPACE, ESO_SERVICE_ACCOUNT),
        tokenReviewer(ESO_NAMESPACE, ESO_SERVICE_ACCOUNT),
        namespace('other'),
        serviceAccount('other', 'app'),
      ])
        await admin.apply(object);
      t = Date.now();
      const cluster = { kubernetesHost: controlPlane.server, kubernetesCaCert: controlPlane.caPem };
      await root.enableKubernetesAuth(MOUNT, { ...cluster, tokenReviewerJwt: await serviceAccountToken('vault-auth', 'token-reviewer') });
      await root.enableKubernetesAuth(SELF_REVIEW_MOUNT, cluster);
      for (const mount of [MOUNT, SELF_REVIEW_MOUNT]) {
        for (const tenant of TENANTS) {
          const { role, audience } = login(tenant);
          await root.writeKubernetesRole(mount, role, {
            serviceAccountNames: [ESO_SERVICE_ACCOUNT],
            serviceAccountNamespaces: [ESO_NAMESPACE],
            audience,
            policies: [tenantPolicyName(tenant)],
          });
        }
      }
      figures.push(`Kubernetes auth enabled and configured: ${seconds(t)} s`);
    },
    60 * 60 * 1000,
  );

  afterAll(async () => {
    await controlPlane?.stop();
  });

  test("ESO's token for a tenant role's audience logs in to that role and reads that tenant's space only", async () => {
    const value = secretValue();
    await root.writeKv(mountOf('data'), 'from-kubernetes', { value });
    const t = Date.now();
    // The first login may come before the API server's authorizer has seen the reviewer's grant.
    const session = await waitUntil(
      'the first login',
      async () => anonymous().loginKubernetes(MOUNT, login('data').role, await esoToken('data')),
      30,
    );
    figures.push(`first Kubernetes login (TokenReview round trips included): ${seconds(t)} s`);
    expect(login('data')).toMatchObject({ role: 'css-tenant-data', audience: 'vault:css-tenant-data' });
    expect(session.policies).toEqual([tenantPolicyName('data')]);
    expect(session.metadata).toMatchObject({ service_account_namespace: ESO_NAMESPACE, service_account_name: ESO_SERVICE_ACCOUNT });
    expect((await session.client.readKv(mountOf('data'), 'from-kubernetes')).data).toEqual({ value });
    await expect(session.client.readKv(mountOf('data-science'), 'token')).rejects.toMatchObject({ status: 403 });
  });

  test("the audience keeps ESO's roles apart: its token for one role is refused by every other, as is any other token", async () => {
    const dataToken = await esoToken('data');
    // Every role is bound to ESO's ServiceAccount; only the audience tells the tenant whose name extends
    // this one's from this one.
    await expect(anonymous().loginKubernetes(MOUNT, login('data-science').role, dataToken)).rejects.toMatchObject({
      status: 403,
      errors: [expect.stringMatching(/audience/)],
    });
    await expect(
      anonymous().loginKubernetes(MOUNT, login('data').role, await serviceAccountToken(ESO_NAMESPACE, ESO_SERVICE_ACCOUNT)),
    ).rejects.toMatchObject({ status: 403 });
    await expect(
      anonymous().loginKubernetes(MOUNT, login('data').role, await serviceAccountToken('other', 'app', [login('data').audience])),
    ).rejects.toMatchObject({
      status: 403,
      errors: ['service account name not authorized'],
    });
  });

  test("reviewed with itself, ESO's token for the role's audience alone is refused: the API server does not take it as a bearer token", async () => {
    const apiAudience = controlPlane.server; // the API server's audience: its issuer, by default
    await expect(anonymous().loginKubernetes(SELF_REVIEW_MOUNT, login('data').role, await esoToken('data'))).rejects.toMatchObject({
      status: 403,
      errors: ['permission denied'],
    });
    // With the API server's own audience as well it logs in, and then also opens the API server to whoever
    // holds it (Vault among them) as ESO.
    const both = await esoToken('data', apiAudience);
    expect((await anonymous().loginKubernetes(SELF_REVIEW_MOUNT, login('data').role, both)).policies).toEqual([tenantPolicyName('data')]);
    const whoami = await new KubeClient(controlPlane.server, controlPlane.caPem, both).request(
      'POST',
      '/apis/authentication.k8s.io/v1/selfsubjectreviews',
      {
        apiVersion: 'authentication.k8s.io/v1',
        kind: 'SelfSubjectReview',
      },
    );
    expect(whoami.body.status.userInfo.username).toBe(`system:serviceaccount:${ESO_NAMESPACE}:${ESO_SERVICE_ACCOUNT}`);
  });

  test('Vault asks the API server: the token of a deleted ServiceAccount is refused', async () => {
    const audience = 'vault:short-lived';
    await admin.apply(serviceAccount('other', 'short-lived'));
    await root.writeKubernetesRole(MOUNT, 'short-lived', {
      serviceAccountNames: ['short-lived'],
      serviceAccountNamespaces: ['other'],
      audience,
      policies: [tenantPolicyName('data')],
    });
    const token = await serviceAccountToken('other', 'short-lived', [audience]);
    expect((await anonymous().loginKubernetes(MOUNT, 'short-lived', token)).policies).toEqual([tenantPolicyName('data')]);
    await admin.delete('v1', 'ServiceAccount', 'short-lived', 'other');
    // The API server keeps a successful token authentication for 10 s (kube-apiserver's TokenSuccessCacheTTL),
    // so the TokenReview Vault asks for says no once that has passed.
    const t = Date.now();
    const refusal = await waitUntil(
      'the login of a deleted ServiceAccount to be refused',
      () =>
        anonymous()
          .loginKubernetes(MOUNT, 'short-lived', token)
          .then(
            () => undefined,
            (error) => error,
          ),
      30,
    );
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
