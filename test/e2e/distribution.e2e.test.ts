/**
 * End to end on a real control plane: the synth output of test/e2e/catalogue applied with server-side apply
 * to a real kube-apiserver, with the real ESO controller distributing, and every check made against what the
 * API server then holds.
 */
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Chart } from 'cdk8s';
import { stringify } from 'yaml';
import { TenantNamespace } from '../../constructs/src';
import { synthesizeCluster } from '../../plane';
import { loadCatalogue } from '../../tenants/lib';
import { ControlPlane, USERS, buildToolchain } from './harness/control-plane';
import { esoControllerCrds } from './harness/eso-crds';
import { KubeClient, type KubeObject } from '../support/kube-client';
import { releaseStaleFinalizers } from '../../cli/commands/release-finalizers';
import { loadKubeConfig } from '../../cli/kube';
import { adaptForLocalCluster, vaultSecrets } from './harness/local-cluster';
import { waitUntil } from './harness/wait';
import { withDeletionPropagation } from '../../stacks/deletion-propagation';

const CENTRAL = 'central-secret-store';
const REFRESH_SECONDS = 10;
const MASTER_REFRESH_SECONDS = 5;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const decode = (s: KubeObject | undefined, key: string) => (s?.data?.[key] === undefined ? undefined : Buffer.from(s.data[key], 'base64').toString('utf8'));

const pem = (type: string, body: Buffer) => `-----BEGIN ${type}-----\n${body.toString('base64').replace(/.{1,64}/g, '$&\n')}-----END ${type}-----\n`;
const vault: Record<string, string> = {
  'registry-username': 'robot$ci "quoted" \\ user',
  'registry-password': 'tök:en\nwith newline',
  'gitops-username': 'git-bot',
  'gitops-token': 'ghp_example"token',
  'wildcard-crt': pem('CERTIFICATE', Buffer.from('certificate body for e2e')),
  'wildcard-key': generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  'wildcard-ca': pem('CERTIFICATE', Buffer.from('ca body for e2e')),
  'oauth-client-id': 'client-1',
  'oauth-client-secret': 's3cr3t',
  'rotation-token': 'v1',
  'payments--signing-key': 'signing-key-value',
};

let cp: ControlPlane;
let admin: KubeClient;
let deployer: KubeClient;
const as = (user: keyof typeof USERS) => new KubeClient(cp.server, cp.caPem, cp.tokens[user]);
const figures: string[] = [];

async function secretIn(namespace: string, name: string): Promise<KubeObject | undefined> {
  return admin.get('v1', 'Secret', name, namespace);
}

async function applyAll(objects: readonly KubeObject[], client = deployer): Promise<void> {
  for (const o of objects) await client.apply(o);
}

/** Gives a group a cluster-wide role, so that an admission policy, not RBAC, is what a test meets. */
async function grantToGroup(group: string, role: string, rules: unknown[]): Promise<void> {
  await admin.apply({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: role }, rules });
  await admin.apply({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name: role },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
    subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: group }],
  });
}

/** Writes the Key Vault stand-in. */
async function setVault(values: Record<string, string>): Promise<void> {
  await applyAll(vaultSecrets(values), admin);
}

/** Pulumi's server-side apply: its own field manager (`pulumi-kubernetes-<random>`), never forcing. */
const PULUMI_FIELD_MANAGER = 'pulumi-kubernetes-1f0e6c2a';

/** The catalogue's manifests, adapted to the local cluster, as the stack hands them to Pulumi. */
function catalogueObjects(): KubeObject[] {
  const manifests = synthesizeCluster(loadCatalogue(join(__dirname, 'catalogue')), 'e2e');
  return adaptForLocalCluster([...manifests.clusterScoped, ...manifests.namespaced].map(withDeletionPropagation) as KubeObject[], {
    server: cp.server,
    masterRefreshInterval: `${MASTER_REFRESH_SECONDS}s`,
  });
}

/** Applies the catalogue as `pulumi up` does. */
async function deployCatalogue(): Promise<void> {
  for (const o of catalogueObjects()) await deployer.apply(o, { fieldManager: PULUMI_FIELD_MANAGER, force: false });
}

/** Namespaces exactly as the catalogue would declare them, made with the TenantNamespace construct. */
function tenantNamespaces(names: string[], tenant: string, requests: string[]): KubeObject[] {
  const chart = new Chart(new App(), 'ns', { disableResourceNameHashes: true });
  for (const name of names) new TenantNamespace(chart, name, { name, tenant, requests, owners: [{ kind: 'Group', name: `${tenant}-admins` }] });
  return chart.toJson() as KubeObject[];
}

beforeAll(async () => {
  const started = Date.now();
  const tools = buildToolchain();
  figures.push(`toolchain ready in ${((Date.now() - started) / 1000).toFixed(1)} s (the build that filled the cache took: kube ${readBuildSeconds(tools.kube)} s, eso ${readBuildSeconds(tools.eso)} s)`);
  cp = new ControlPlane(tools);
  await cp.start();
  admin = as('admin');
  deployer = as('deployer');
  for (const crd of esoControllerCrds()) await admin.apply(crd);
  await waitUntil('ESO CRDs established', async () => {
    const crd = await admin.get('apiextensions.k8s.io/v1', 'CustomResourceDefinition', 'clusterexternalsecrets.external-secrets.io');
    return crd?.status?.conditions?.some((c: any) => c.type === 'Established' && c.status === 'True');
  });
  await admin.apply({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name: 'external-secrets-controller' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
    subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: USERS.eso.name }],
  });
  await cp.startEso();
  figures.push(`control plane up: ${Object.entries(cp.startup).map(([k, v]) => `${k} ${v.toFixed(1)} s`).join(', ')}`);

  await deployCatalogue();
  await setVault(vault);
}, 60 * 60 * 1000);

afterAll(async () => {
  await cp?.stop();
  console.log(`end-to-end figures:\n  ${figures.join('\n  ')}`);
});

function readBuildSeconds(dir: string): string {
  const file = join(dir, '.build-seconds');
  return existsSync(file) ? readFileSync(file, 'utf8').trim() : '?';
}

describe('distribution on a real API server with the real ESO controller', () => {
  test('the stores are Ready and the masters are pulled into the central namespace', async () => {
    for (const store of ['keyvault', 'central-registry', 'central-gitops', 'central-wildcard', 'central-oauth', 'tenant-payments', 'tenant-search']) {
      await waitUntil(`store ${store} Ready`, async () => {
        const s = await admin.get('external-secrets.io/v1', 'ClusterSecretStore', store);
        return s?.status?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True');
      });
    }
    const master = await waitUntil('master registry', () => secretIn(CENTRAL, 'registry'));
    expect(decode(master, 'username')).toBe(vault['registry-username']);
    expect(decode(master, 'password')).toBe(vault['registry-password']);
  });

  test('every requesting namespace gets its Secrets, with the type and data ESO rendered (Properties 2, 5, 6, 7)', async () => {
    for (const ns of ['pay-api', 'pay-batch', 'search-api']) {
      const docker = await waitUntil(`dockerconfigjson in ${ns}`, () => secretIn(ns, 'registry-dockerconfigjson'));
      expect(docker.type).toBe('kubernetes.io/dockerconfigjson');
      const config = JSON.parse(decode(docker, '.dockerconfigjson')!);
      for (const registry of ['ghcr.io', 'docker.io']) {
        expect(Buffer.from(config.auths[registry].auth, 'base64').toString('utf8')).toBe(`${vault['registry-username']}:${vault['registry-password']}`);
      }
      expect(docker.metadata.labels).toMatchObject({ 'managed-by': 'external-secrets', source: 'central-secret-store', 'secret-type': 'docker-registry' });
      const kargo = await waitUntil(`kargo in ${ns}`, () => secretIn(ns, 'registry-kargo'));
      expect(kargo.metadata.labels?.['kargo.akuity.io/cred-type']).toBe('image');
      expect(decode(kargo, 'repoURL')).toBe('ghcr.io/contoso');
      expect(decode(kargo, 'password')).toBe(vault['registry-password']);
    }
    for (const ns of ['pay-api', 'search-api']) {
      const tls = await waitUntil(`tls in ${ns}`, () => secretIn(ns, 'wildcard-tls'));
      expect(tls.type).toBe('kubernetes.io/tls');
      expect({ crt: decode(tls, 'tls.crt'), key: decode(tls, 'tls.key'), ca: decode(tls, 'ca.crt') }).toEqual({ crt: vault['wildcard-crt'], key: vault['wildcard-key'], ca: vault['wildcard-ca'] });
    }
    const argo = await waitUntil('argocd repo-creds in pay-api', () => secretIn('pay-api', 'gitops-argocd'));
    expect(argo.metadata.labels?.['argocd.argoproj.io/secret-type']).toBe('repo-creds');
    expect({ url: decode(argo, 'url'), type: decode(argo, 'type'), password: decode(argo, 'password') }).toEqual({ url: 'https://git.example/contoso', type: 'git', password: vault['gitops-token'] });
    const basic = await waitUntil('basic-auth in pay-api', () => secretIn('pay-api', 'gitops-basic-auth'));
    expect(basic.type).toBe('kubernetes.io/basic-auth');
    const oauth = await waitUntil('oauth in search-api', () => secretIn('search-api', 'oauth-oauth'));
    expect(decode(oauth, 'client-secret')).toBe(vault['oauth-client-secret']);
    const own = await waitUntil('workload secret in pay-api', () => secretIn('pay-api', 'signing-key'));
    expect(decode(own, 'key')).toBe(vault['payments--signing-key']);
    expect(own.metadata.annotations?.['central-secret-store.io/spiffe-id']).toBe('spiffe://e2e.local/ns/pay-api/sa/signer');
  });

  test('a namespace without the label, or of a tenant not allowed, never receives it (Property 8)', async () => {
    await deployer.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'bystander' } });
    // search is not allowed gitops: even with the request label, nothing arrives.
    await applyAll(tenantNamespaces(['search-sneaky'], 'search', ['gitops', 'registry']));
    await waitUntil('registry in search-sneaky (proves the namespace is served)', () => secretIn('search-sneaky', 'registry-dockerconfigjson'));
    await sleep((REFRESH_SECONDS + 5) * 1000);
    expect((await admin.list('v1', 'Secret', 'bystander')).filter((s) => s.metadata.labels?.source === 'central-secret-store')).toEqual([]);
    expect(await secretIn('search-sneaky', 'gitops-basic-auth')).toBeUndefined();
    expect(await admin.list('external-secrets.io/v1', 'ExternalSecret', 'search-sneaky').then((l) => l.map((e) => e.metadata.name).sort())).toEqual(['registry-dockerconfigjson', 'registry-kargo']);
    expect(await secretIn('search-api', 'gitops-basic-auth')).toBeUndefined();
    expect(await secretIn('pay-batch', 'wildcard-tls')).toBeUndefined();
  });

  test('adding the label makes the Secret appear; removing it removes the ExternalSecret and the Secret (Property 3)', async () => {
    await deployer.patch('v1', 'Namespace', 'pay-batch', { metadata: { labels: { 'secrets/wildcard': 'true' } } });
    const appeared = Date.now();
    await waitUntil('wildcard-tls appears in pay-batch', () => secretIn('pay-batch', 'wildcard-tls'));
    figures.push(`label added -> Secret present in ${((Date.now() - appeared) / 1000).toFixed(1)} s`);

    await deployer.patch('v1', 'Namespace', 'pay-batch', { metadata: { labels: { 'secrets/wildcard': null } } });
    const removed = Date.now();
    await waitUntil('wildcard-tls ExternalSecret and Secret gone from pay-batch', async () => {
      const es = await admin.get('external-secrets.io/v1', 'ExternalSecret', 'wildcard-tls', 'pay-batch');
      return !es && !(await secretIn('pay-batch', 'wildcard-tls'));
    });
    figures.push(`label removed -> ExternalSecret and Secret gone in ${((Date.now() - removed) / 1000).toFixed(1)} s`);
  });

  test('deleting a namespace does not hang (ESO issue #6677)', async () => {
    await applyAll(tenantNamespaces(['pay-temp'], 'payments', ['registry']));
    await waitUntil('registry in pay-temp', () => secretIn('pay-temp', 'registry-dockerconfigjson'));
    await admin.delete('v1', 'Namespace', 'pay-temp');
    const started = Date.now();
    await waitUntil('pay-temp deleted', async () => !(await admin.get('v1', 'Namespace', 'pay-temp')), 120);
    figures.push(`namespace deletion completed in ${((Date.now() - started) / 1000).toFixed(1)} s`);

    // The case of #6677: a namespace relabelled out of a distribution first, then deleted.
    await applyAll(tenantNamespaces(['pay-relabel'], 'payments', ['registry']));
    await waitUntil('registry in pay-relabel', () => secretIn('pay-relabel', 'registry-dockerconfigjson'));
    await deployer.patch('v1', 'Namespace', 'pay-relabel', { metadata: { labels: { 'secrets/registry': null } } });
    await waitUntil('registry ExternalSecrets gone from pay-relabel', async () => (await admin.list('external-secrets.io/v1', 'ExternalSecret', 'pay-relabel')).length === 0);
    // ESO (v0.20.4, and 2.9.0 per the issue) leaves its finalizers behind; the product's release-finalizers
    // command removes exactly those, and the deletion then completes.
    const leftover = (await admin.get('v1', 'Namespace', 'pay-relabel'))?.metadata.finalizers ?? [];
    figures.push(`finalizers ESO left on a relabelled namespace: ${leftover.length === 0 ? 'none' : leftover.join(', ')}`);
    // The product's command, connecting the way users do: through a kubeconfig.
    const released = await releaseStaleFinalizers(loadKubeConfig({ kubeconfig: cp.kubeconfig('deployer') }), { dryRun: false });
    expect(released.find((r) => r.namespace === 'pay-relabel')?.stale.sort()).toEqual(leftover.filter((f) => f.startsWith('externalsecrets.external-secrets.io/ces-')).sort());
    // pay-batch was relabelled out of wildcard-tls earlier: its finalizer for that one goes, the others stay.
    expect(released.map((r) => `${r.namespace}: ${r.stale.join(', ')}`).sort()).toEqual([
      'pay-batch: externalsecrets.external-secrets.io/ces-wildcard-tls',
      `pay-relabel: ${released.find((r) => r.namespace === 'pay-relabel')!.stale.join(', ')}`,
    ]);
    expect((await admin.get('v1', 'Namespace', 'pay-batch'))?.metadata.finalizers?.sort()).toEqual([
      'externalsecrets.external-secrets.io/ces-registry-dockerconfigjson',
      'externalsecrets.external-secrets.io/ces-registry-kargo',
    ]);
    await admin.delete('v1', 'Namespace', 'pay-relabel');
    const relabelled = Date.now();
    await waitUntil('pay-relabel deleted', async () => !(await admin.get('v1', 'Namespace', 'pay-relabel')), 120);
    figures.push(`relabelled namespace deletion completed in ${((Date.now() - relabelled) / 1000).toFixed(1)} s`);
  });

  test('the CLI connects through an exec-plugin kubeconfig, as kubelogin users do', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'css-exec-'));
    try {
      // The plugin prints an ExecCredential, as kubelogin does, and leaves a mark that it ran.
      const plugin = join(dir, 'token-plugin.sh');
      const credential = JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status: { token: cp.tokens.deployer } });
      writeFileSync(plugin, `#!/bin/sh\ntouch '${join(dir, 'plugin-ran')}'\necho '${credential}'\n`, { mode: 0o755 });
      const kubeconfig = join(dir, 'kubeconfig');
      writeFileSync(
        kubeconfig,
        stringify({
          apiVersion: 'v1',
          kind: 'Config',
          clusters: [{ name: 'e2e', cluster: { server: cp.server, 'certificate-authority-data': Buffer.from(cp.caPem).toString('base64') } }],
          users: [{ name: 'exec-user', user: { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: plugin, interactiveMode: 'Never' } } }],
          contexts: [{ name: 'aks-like', context: { cluster: 'e2e', user: 'exec-user' } }, { name: 'other', context: { cluster: 'e2e', user: 'exec-user' } }],
          'current-context': 'other',
        }),
      );
      const cli = spawnSync(process.execPath, [join(__dirname, '..', '..', 'cli', 'bin.js'), 'release-finalizers', '--kubeconfig', kubeconfig, '--context', 'aks-like', '--dry-run', '--json'], { encoding: 'utf8' });
      expect(cli.stderr).toBe('');
      expect(cli.status).toBe(0);
      expect(JSON.parse(cli.stdout)).toMatchObject({ dryRun: true, released: expect.any(Array) });
      expect(existsSync(join(dir, 'plugin-ran'))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('RBAC as the API server enforces it: the reader, and tenants', async () => {
    const reader = { user: `system:serviceaccount:${CENTRAL}:central-secret-store-reader`, groups: ['system:serviceaccounts', `system:serviceaccounts:${CENTRAL}`] };
    expect(await admin.canI(reader.user, reader.groups, 'get', 'secrets', CENTRAL)).toBe(true);
    expect(await admin.canI(reader.user, reader.groups, 'list', 'secrets', 'pay-api')).toBe(false);
    expect(await admin.canI(reader.user, reader.groups, 'create', 'secrets', CENTRAL)).toBe(false);
    expect(await admin.canI(reader.user, reader.groups, 'get', 'configmaps', CENTRAL)).toBe(false);

    // Tenant owners see their ExternalSecrets, never a Secret value, and nothing of other tenants.
    const alice = as('alice');
    expect(await admin.canI(USERS.alice.name, USERS.alice.groups, 'get', 'externalsecrets', 'pay-api', 'external-secrets.io')).toBe(true);
    expect(await admin.canI(USERS.alice.name, USERS.alice.groups, 'get', 'externalsecrets', 'search-api', 'external-secrets.io')).toBe(false);
    expect(await admin.canI(USERS.alice.name, USERS.alice.groups, 'get', 'secrets', 'pay-api')).toBe(false);
    expect(await admin.canI(USERS.alice.name, USERS.alice.groups, 'get', 'secrets', CENTRAL)).toBe(false);
    expect((await alice.request('GET', KubeClient.path('external-secrets.io/v1', 'ExternalSecret', 'pay-api'))).status).toBe(200);
    expect((await alice.request('GET', KubeClient.path('v1', 'Secret', 'pay-api', 'registry-dockerconfigjson'))).status).toBe(403);
    expect((await alice.request('GET', KubeClient.path('v1', 'Secret', CENTRAL, 'registry'))).status).toBe(403);
    expect((await alice.request('GET', KubeClient.path('v1', 'Secret', 'search-api'))).status).toBe(403);
    expect((await as('bob').request('GET', KubeClient.path('external-secrets.io/v1', 'ExternalSecret', 'pay-api'))).status).toBe(403);

    // A workload secret is readable by its ServiceAccount alone, and by name only.
    const signer = { user: 'system:serviceaccount:pay-api:signer', groups: ['system:serviceaccounts', 'system:serviceaccounts:pay-api'] };
    expect(await admin.canI(signer.user, signer.groups, 'get', 'secrets', 'pay-api', '', 'signing-key')).toBe(true);
    expect(await admin.canI(signer.user, signer.groups, 'get', 'secrets', 'pay-api', '', 'registry-dockerconfigjson')).toBe(false);
    expect(await admin.canI(signer.user, signer.groups, 'list', 'secrets', 'pay-api')).toBe(false);
  });

  test('admission: only the deployer may relabel a namespace (the real API server enforces the policy)', async () => {
    // Someone with RBAC rights to edit namespaces, but not the platform's deployer.
    await grantToGroup('namespace-editors', 'namespace-editor', [{ apiGroups: [''], resources: ['namespaces'], verbs: ['get', 'patch', 'update'] }]);
    const labeller = as('labeller');
    const patch = (labels: Record<string, string | null>) => labeller.request('PATCH', KubeClient.path('v1', 'Namespace', undefined, 'pay-batch'), { metadata: { labels } }, 'application/merge-patch+json');
    const attempts: Record<string, string | null>[] = [{ 'secrets/wildcard': 'true' }, { 'secrets/registry': null }, { 'central-secret-store.io/tenant': 'search' }];
    for (const labels of attempts) {
      const res = await patch(labels);
      expect(res.status).toBe(403);
      expect(res.body.message).toMatch(/only the platform deployer may add, change or remove the central-secret-store\.io\/tenant and secrets\/\* labels/);
    }
    expect((await patch({ team: 'batch' })).status).toBe(200);
    // A namespace created with a request label by anyone else is refused as well.
    await grantToGroup('namespace-editors', 'namespace-editor', [{ apiGroups: [''], resources: ['namespaces'], verbs: ['get', 'patch', 'update', 'create'] }]);
    const create = await labeller.request('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'grabber', labels: { 'secrets/registry': 'true', 'central-secret-store.io/tenant': 'payments' } } });
    expect(create.status).toBe(403);
    // The deployer's change is admitted.
    await deployer.patch('v1', 'Namespace', 'pay-batch', { metadata: { labels: { 'secrets/registry': 'true' } } });
  });

  test('admission: a tenant ExternalSecret or SecretStore aimed at a shared store is refused', async () => {
    // Give alice the right to write ExternalSecrets and SecretStores in her namespace, so that the policy is what stops her.
    await admin.apply({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'es-writer', namespace: 'pay-api' }, rules: [{ apiGroups: ['external-secrets.io'], resources: ['externalsecrets', 'secretstores'], verbs: ['create', 'get'] }] });
    await admin.apply({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'es-writer', namespace: 'pay-api' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'es-writer' },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'payments-admins' }],
    });
    const alice = as('alice');
    const es = (name: string, store: string) => ({
      apiVersion: 'external-secrets.io/v1',
      kind: 'ExternalSecret',
      metadata: { name, namespace: 'pay-api' },
      spec: { secretStoreRef: { kind: 'ClusterSecretStore', name: store }, refreshInterval: '1h', target: { name }, data: [{ secretKey: 'k', remoteRef: { key: 'oauth', property: 'clientSecret' } }] },
    });
    for (const store of ['central-oauth', 'central-registry', 'keyvault', 'tenant-search']) {
      const res = await alice.request('POST', KubeClient.path('external-secrets.io/v1', 'ExternalSecret', 'pay-api'), es(`grab-${store}`, store));
      expect(res.status).toBe(403);
      expect(res.body.message).toMatch(/tenant ExternalSecrets may not use the Key Vault bridge, the central credential stores or another tenant's store/);
    }
    expect((await alice.request('POST', KubeClient.path('external-secrets.io/v1', 'ExternalSecret', 'pay-api'), es('own-store', 'tenant-payments'))).status).toBe(201);
    const store = await alice.request('POST', KubeClient.path('external-secrets.io/v1', 'SecretStore', 'pay-api'), {
      apiVersion: 'external-secrets.io/v1',
      kind: 'SecretStore',
      metadata: { name: 'sideways', namespace: 'pay-api' },
      spec: { provider: { kubernetes: { remoteNamespace: CENTRAL, server: { url: cp.server }, auth: { serviceAccount: { name: 'default' } } } } },
    });
    expect(store.status).toBe(403);
    expect(store.body.message).toMatch(/a SecretStore may not read the central-secret-store namespace/);
  });

  test('outage: with the reader revoked and the master deleted, tenant Secrets stay; all recovers afterwards', async () => {
    const before = await secretIn('pay-api', 'registry-dockerconfigjson');
    await admin.delete('rbac.authorization.k8s.io/v1', 'RoleBinding', 'central-secret-store-reader', CENTRAL);
    await admin.delete('external-secrets.io/v1', 'ExternalSecret', 'registry', CENTRAL);
    await admin.delete('v1', 'Secret', 'registry', CENTRAL);
    await sleep((REFRESH_SECONDS * 2 + 5) * 1000);
    const during = await secretIn('pay-api', 'registry-dockerconfigjson');
    expect(during?.data).toEqual(before?.data);
    const es = await admin.get('external-secrets.io/v1', 'ExternalSecret', 'registry-dockerconfigjson', 'pay-api');
    expect(es?.status?.conditions?.find((c: any) => c.type === 'Ready')?.status).toBe('False');

    // The fault is gone: redeploy (the stack's next `pulumi up` does exactly this) and rotate.
    await deployCatalogue();
    await setVault({ ...vault, 'registry-password': 'after-outage' });
    const recovered = Date.now();
    await waitUntil(
      'tenant copy recovers with the new value',
      async () => JSON.parse(decode(await secretIn('pay-api', 'registry-dockerconfigjson'), '.dockerconfigjson') ?? '{}').auths?.['ghcr.io']?.password === 'after-outage',
      8 * 60,
    );
    figures.push(`recovery after outage: new value in tenant namespace ${((Date.now() - recovered) / 1000).toFixed(1)} s after the fix (ESO backoff up to minutes)`);
  });

  test('audit trail: the API server logged who wrote each distributed Secret (Property 9)', async () => {
    const events = readFileSync(cp.auditLogPath, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l));
    const writes = events.filter((e) => e.objectRef?.resource === 'secrets' && ['create', 'update', 'patch'].includes(e.verb) && e.objectRef?.namespace === 'pay-api');
    expect(writes.length).toBeGreaterThan(0);
    expect(new Set(writes.map((e) => e.user.username))).toEqual(new Set([USERS.eso.name]));
    const denied = events.filter((e) => e.user?.username === USERS.alice.name && e.responseStatus?.code === 403);
    expect(denied.length).toBeGreaterThan(0);
    // Reads of the masters are on record too, by the reader identity ESO uses.
    const masterReads = events.filter((e) => e.objectRef?.resource === 'secrets' && e.objectRef?.namespace === CENTRAL && e.verb === 'get');
    expect(new Set(masterReads.map((e) => e.user.username))).toContain(`system:serviceaccount:${CENTRAL}:central-secret-store-reader`);
  });

  test.each([10, 100, 500])('rotation reaches every copy within the refresh interval, %i namespaces (Property 1)', async (count) => {
    const existing = (await admin.list('v1', 'Namespace', undefined, 'secrets/rotation=true')).length;
    const names = Array.from({ length: count - existing }, (_, i) => `rot-${existing + i}`);
    const created = Date.now();
    await applyAll(tenantNamespaces(names, 'payments', ['rotation']));
    const value = (await admin.list('v1', 'Secret', undefined, 'central-secret-store.io/credential=rotation,source=central-secret-store')).map((s) => decode(s, 'token'))[0] ?? vault['rotation-token'];
    await waitUntil(`${count} copies present`, async () => (await admin.list('v1', 'Secret', undefined, 'central-secret-store.io/credential=rotation,source=central-secret-store')).length === count, 10 * 60);
    const provisioned = (Date.now() - created) / 1000;

    const next = `${value}-rotated-${count}`;
    const rotated = Date.now();
    await setVault({ ...vault, 'registry-password': 'after-outage', 'rotation-token': next });
    await waitUntil(
      `${count} copies rotated`,
      async () => {
        const copies = await admin.list('v1', 'Secret', undefined, 'central-secret-store.io/credential=rotation,source=central-secret-store');
        return copies.length === count && copies.every((s) => decode(s, 'token') === next);
      },
      10 * 60,
    );
    const seconds = (Date.now() - rotated) / 1000;
    figures.push(`${count} namespaces: provisioned in ${provisioned.toFixed(1)} s, rotation reached every copy in ${seconds.toFixed(1)} s (bound ${MASTER_REFRESH_SECONDS} + ${REFRESH_SECONDS} s + slack)`);
    // Property 1's bound: the master's interval plus the copies' interval, plus slack for the controller's
    // queue (4 reconciles/s per worker at 8 workers) at this scale.
    expect(seconds).toBeLessThanOrEqual(MASTER_REFRESH_SECONDS + REFRESH_SECONDS + 20 + count / 10);
  });
});

describe('applied as Pulumi applies it: twice, then destroyed', () => {
  test('updates of metadata alone are never judged by the store policy; spec changes are', async () => {
    await grantToGroup('namespace-editors', 'externalsecret-editor', [{ apiGroups: ['external-secrets.io'], resources: ['externalsecrets'], verbs: ['get', 'patch', 'update'] }]);
    // A controller that is not a platform identity (the garbage collector, another operator) adds and removes a
    // finalizer on an ExternalSecret that reads a central store.
    const labeller = as('labeller');
    const path = KubeClient.path('external-secrets.io/v1', 'ExternalSecret', 'pay-api', 'registry-dockerconfigjson');
    const merge = (body: unknown) => labeller.request('PATCH', path, body, 'application/merge-patch+json');
    const current = await admin.get('external-secrets.io/v1', 'ExternalSecret', 'registry-dockerconfigjson', 'pay-api');
    const finalizers = current?.metadata.finalizers ?? [];
    expect((await merge({ metadata: { finalizers: [...finalizers, 'example.com/audit'] } })).status).toBe(200);
    expect((await merge({ metadata: { finalizers } })).status).toBe(200);
    expect((await merge({ metadata: { annotations: { 'example.com/seen': 'yes' } } })).status).toBe(200);
    const redirected = await merge({ spec: { secretStoreRef: { kind: 'ClusterSecretStore', name: 'central-oauth' } } });
    expect(redirected.status).toBe(403);
    expect(redirected.body.message).toMatch(/tenant ExternalSecrets may not use the Key Vault bridge, the central credential stores/);
  });

  test('after ESO has reconciled, a second apply without force succeeds and a dry run changes nothing', async () => {
    const objects = catalogueObjects();
    // ESO has written back every object it reconciles (finalizers, and with them its form of every duration).
    await waitUntil('ESO finalizers on every ExternalSecret and ClusterExternalSecret', async () => {
      for (const o of objects.filter((x) => ['ExternalSecret', 'ClusterExternalSecret'].includes(x.kind))) {
        const live = await admin.get(o.apiVersion, o.kind, o.metadata.name, o.metadata.namespace);
        if (!live?.metadata.finalizers?.some((f: string) => f.startsWith('externalsecrets.external-secrets.io/'))) return false;
      }
      return true;
    });
    const started = Date.now();
    for (const o of objects) await deployer.apply(o, { fieldManager: PULUMI_FIELD_MANAGER, force: false });
    figures.push(`second apply of ${objects.length} objects without force: no conflict, ${((Date.now() - started) / 1000).toFixed(1)} s`);

    // What a dry run would change, compared with what is stored (status and bookkeeping aside).
    const comparable = (o: KubeObject) => {
      const { status: _status, metadata, ...rest } = o;
      const { resourceVersion: _rv, managedFields, ...meta } = metadata as Record<string, any>;
      const mine = (managedFields ?? []).filter((m: any) => m.manager === PULUMI_FIELD_MANAGER).map((m: any) => m.fieldsV1);
      return { ...rest, metadata: meta, mine };
    };
    const changed: string[] = [];
    for (const o of objects) {
      const live = await admin.get(o.apiVersion, o.kind, o.metadata.name, o.metadata.namespace);
      const dry = await deployer.apply(o, { fieldManager: PULUMI_FIELD_MANAGER, force: false, dryRun: true });
      if (JSON.stringify(comparable(dry)) !== JSON.stringify(comparable(live!))) changed.push(`${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name}`);
    }
    expect(changed).toEqual([]);
    // The durations as written are the durations as ESO keeps them.
    const master = await admin.get('external-secrets.io/v1', 'ExternalSecret', 'registry', CENTRAL);
    expect(master?.spec.refreshInterval).toBe(`${MASTER_REFRESH_SECONDS}s`);
    const distribution = await admin.get('external-secrets.io/v1', 'ClusterExternalSecret', 'registry-dockerconfigjson');
    expect([distribution?.spec.refreshTime, distribution?.spec.externalSecretSpec.refreshInterval]).toEqual(['5m0s', `${REFRESH_SECONDS}s`]);
  });

  test('deleting everything in reverse order with foreground propagation completes', async () => {
    const objects = catalogueObjects().filter((o) => o.metadata.namespace !== 'e2e-keyvault' && o.metadata.name !== 'e2e-keyvault');
    const started = Date.now();
    for (const o of [...objects].reverse()) await deployer.delete(o.apiVersion, o.kind, o.metadata.name, o.metadata.namespace, 'Foreground');
    const left = async () => {
      const present: string[] = [];
      for (const o of objects) if (await admin.get(o.apiVersion, o.kind, o.metadata.name, o.metadata.namespace)) present.push(`${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name}`);
      return present;
    };
    await waitUntil('every applied object deleted', async () => (await left()).length === 0, 10 * 60).catch(async (error) => {
      throw new Error(`${(error as Error).message}; still present: ${(await left()).join(', ')}`);
    });
    figures.push(`foreground deletion of ${objects.length} objects (and ${(await admin.list('v1', 'Namespace', undefined, 'secrets/rotation=true')).length} rotation namespaces' copies) completed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    // The tenant copies ESO wrote went with their distributions.
    expect(await admin.list('external-secrets.io/v1', 'ExternalSecret', undefined, 'central-secret-store.io/credential=rotation')).toEqual([]);
  });
});
