/**
 * The cases every backend must pass, run once per backend on one real node with ESO installed by its chart
 * (as ESO's own e2e framework runs its cases over every provider): the Key Vault stand-in, OpenBao with a KV
 * mount per tenant, and OpenBao with a namespace per tenant (each team in a Vault namespace of its own, which
 * only a server with namespaces can prove; docs/catalogue.md, "Choosing a backend: Azure Key Vault or HashiCorp
 * Vault"). Each backend serves the same catalogue (harness/backend-catalogue.ts), applied as Pulumi applies
 * it, and is checked for: delivery of every format and of each tenant's own secrets; a namespace kept from
 * another tenant's store by ESO; a tenant's login refused another tenant's space by the server itself (servers
 * with an identity per tenant); a rotation reaching every copy with vault reads that do not grow with
 * namespaces; an outage that leaves the copies in place, then `recover`; a second apply that changes nothing; a
 * destroy that completes.
 */
import { KubeOperations } from '../../cli/operations/kube-operations';
import { loadKubeConfig } from '../../cli/operations/kube';
import { recover } from '../../cli/operations/recovery';
import { synthesizeCluster } from '../../plane';
import { withDeletionPropagation } from '../../stacks/deletion-propagation';
import type { Catalogue } from '../../tenants/lib';
import { type KubeObject, secretText } from '../support/kube-client';
import { tempDir } from '../support/temp-dir';
import { BACKEND_CLUSTER, BACKEND_TENANTS } from './harness/backend-catalogue';
import type { BackendUnderTest, OwnValues, SharedValues } from './harness/backend-under-test';
import { KeyVaultBackend } from './harness/key-vault-backend';
import type { Relay } from './harness/node-cluster';
import { NodeSuite, SUITE_SETUP_MS } from './harness/node-suite';
import { OpenBaoBackend } from './harness/openbao-backend';
import { applyAsPulumi, destroyAsPulumi, dryRunChanges, waitForEsoWriteBack } from './harness/pulumi-apply';
import { tenantNamespaces } from './harness/tenant-namespaces';
import { waitUntil } from './harness/wait';

const ESO = 'external-secrets.io/v1';
const CENTRAL = 'central-secret-store';
const MASTER_REFRESH_SECONDS = 5;
/** Namespaces of tenant `data` that request the rotated credential, besides its own. */
const ROTATION_NAMESPACES = 30;
const seconds = (since: number) => ((Date.now() - since) / 1000).toFixed(1);

const SHARED: SharedValues = {
  registry: { username: 'robot$data "quoted"', password: 'tök:en\nwith newline' },
  rotation: { token: 'v1' },
};
const OWN: OwnValues = {
  data: { postgres: { username: 'app', password: 'pg-secret-of-data' } },
  'data-science': { 'feature-store': { token: 'feature-store-token-of-data-science' } },
};

const suite = new NodeSuite('shared cases per backend');
// ESO as a HashiCorp Vault environment's stack installs it, with the Vault token cache on: Key Vault ignores it.
beforeAll(() => suite.start({ esoValues: { vaultTokenCache: true } }), SUITE_SETUP_MS);
afterAll(() => suite.end());

const BACKENDS: BackendUnderTest[] = [new KeyVaultBackend(), new OpenBaoBackend('mounts'), new OpenBaoBackend('namespaces')];

describe.each(BACKENDS.map((backend) => [backend.name, backend] as const))('%s', (name, backend) => {
  let catalogue: Catalogue;
  let relay: Relay | undefined;
  const secretIn = (namespace: string, secret: string) => suite.admin.get('v1', 'Secret', secret, namespace);
  const objects = () => {
    const manifests = synthesizeCluster(catalogue, BACKEND_CLUSTER);
    return backend.adapt(
      [...manifests.clusterScoped, ...manifests.namespaced].map(withDeletionPropagation) as KubeObject[],
      suite,
      `${MASTER_REFRESH_SECONDS}s`,
    );
  };
  const say = (figure: string) => suite.figures.push(`${name}: ${figure}`);

  beforeAll(async () => {
    catalogue = await backend.start(tempDir('css-e2e-backend-'));
    relay = await suite.cluster.forward(backend.addresses);
    await backend.configure(suite, SHARED, OWN);
    await applyAsPulumi(suite.deployer, objects());
  }, SUITE_SETUP_MS);

  afterAll(async () => {
    await relay?.cut();
    await backend.stop();
    if (backend instanceof OpenBaoBackend) for (const figure of backend.figures) say(figure);
  });

  test('every store is Ready and the masters are pulled into the central namespace', async () => {
    const t = Date.now();
    const stores = objects()
      .filter((o) => o.kind === 'ClusterSecretStore')
      .map((o) => o.metadata.name);
    for (const store of stores) {
      await waitUntil(
        `store ${store} Ready`,
        async () =>
          (await suite.admin.get(ESO, 'ClusterSecretStore', store))?.status?.conditions?.some(
            (c: any) => c.type === 'Ready' && c.status === 'True',
          ),
        120,
        async () => JSON.stringify((await suite.admin.get(ESO, 'ClusterSecretStore', store))?.status?.conditions ?? []),
      );
    }
    const master = await waitUntil('master registry', () => secretIn(CENTRAL, 'registry'));
    say(`${stores.length} stores Ready and the first master read in ${seconds(t)} s`);
    expect([secretText(master, 'username'), secretText(master, 'password')]).toEqual([SHARED.registry.username, SHARED.registry.password]);
  });

  test('every requesting namespace gets its copies in their formats, and each tenant its own secret', async () => {
    for (const { namespace } of Object.values(BACKEND_TENANTS)) {
      const docker = await waitUntil(`dockerconfigjson in ${namespace}`, () => secretIn(namespace, 'registry-dockerconfigjson'));
      expect(docker.type).toBe('kubernetes.io/dockerconfigjson');
      const auth = JSON.parse(secretText(docker, '.dockerconfigjson')!).auths['ghcr.io'].auth;
      expect(Buffer.from(auth, 'base64').toString('utf8')).toBe(`${SHARED.registry.username}:${SHARED.registry.password}`);
    }
    const rotation = await waitUntil('rotation copy in data-api', () => secretIn('data-api', 'rotation-opaque'));
    expect(secretText(rotation, 'token')).toBe('v1');
    const postgres = await waitUntil('own secret postgres in data-api', () => secretIn('data-api', 'postgres'));
    expect(postgres.type).toBe('kubernetes.io/basic-auth');
    expect([secretText(postgres, 'username'), secretText(postgres, 'password')]).toEqual([
      OWN.data.postgres.username,
      OWN.data.postgres.password,
    ]);
    const feature = await waitUntil('own secret feature-store in ds-train', () => secretIn('ds-train', 'feature-store'));
    expect(secretText(feature, 'token')).toBe(OWN['data-science']['feature-store'].token);
    const canary = await waitUntil('the canary in its namespace', () => secretIn('central-secret-store-canary', 'canary-opaque'));
    expect(secretText(canary, 'value')).toBe('deployment-0123abcd');
    // A credential not requested, or not allowed, is not there.
    expect(await secretIn('ds-train', 'rotation-opaque')).toBeUndefined();
  });

  test("a namespace of one tenant is kept from another tenant's store: by admission, and by ESO's store conditions", async () => {
    const foreign = {
      apiVersion: ESO,
      kind: 'ExternalSecret',
      metadata: { name: 'foreign-store', namespace: 'data-api' },
      spec: {
        refreshInterval: '1h0m0s',
        secretStoreRef: { kind: 'ClusterSecretStore', name: 'tenant-data-science' },
        target: { name: 'foreign-store' },
        data: [{ secretKey: 'token', remoteRef: { key: 'anything' } }],
      },
    };
    // Anyone but the platform's identities (here the cluster's administrator) is refused by the product's policy.
    await expect(suite.admin.apply(foreign)).rejects.toThrow(/another tenant's store/);
    // The platform's deployer is exempt from it; the store's conditions still keep the namespace out.
    await suite.deployer.apply(foreign);
    // ESO's condition is generic ('could not get secret data from provider'); its Warning event says why.
    const refusal = await waitUntil('ESO to refuse the foreign store', async () =>
      ((await suite.admin.request('GET', '/api/v1/namespaces/data-api/events')).body?.items ?? []).find(
        (e: KubeObject) => e.involvedObject?.name === 'foreign-store' && e.type === 'Warning',
      ),
    );
    expect(refusal.message).toContain(
      'using cluster store "tenant-data-science" is not allowed from namespace "data-api": denied by spec.condition',
    );
    expect(await secretIn('data-api', 'foreign-store')).toBeUndefined();
    await suite.admin.delete(ESO, 'ExternalSecret', 'foreign-store', 'data-api');
  });

  (backend.foreignRead ? test : test.skip)(
    "the server itself refuses a tenant's login the space of another tenant whose name extends its own",
    async () => {
      const refusal = await backend.foreignRead!(suite, 'data', 'data-science', 'feature-store');
      say(
        `the server refused data's read of data-science's space (${refusal.policies.join(', ')}): ${refusal.error.replace(/\s+/g, ' ').trim()}`,
      );
      expect(refusal.error).toMatch(/permission denied/);
    },
  );

  test(`a rotation reaches every copy (${ROTATION_NAMESPACES + 1} namespaces) with vault reads that do not grow with namespaces`, async () => {
    const names = Array.from({ length: ROTATION_NAMESPACES }, (_, i) => `data-rot-${i}`);
    await applyAsPulumi(suite.deployer, tenantNamespaces(names, 'data', ['rotation']));
    const namespaces = ['data-api', ...names];
    const copies = async () => Promise.all(namespaces.map((ns) => secretIn(ns, 'rotation-opaque')));
    await waitUntil(`${namespaces.length} copies of v1`, async () => (await copies()).every((s) => secretText(s, 'token') === 'v1'), 300);
    const t = Date.now();
    await backend.rotate('rotation', { token: 'v2' });
    await waitUntil(`${namespaces.length} copies of v2`, async () => (await copies()).every((s) => secretText(s, 'token') === 'v2'), 300);
    const elapsed = (Date.now() - t) / 1000;
    const reads = backend.masterReadsSinceRotation('rotation');
    say(
      `a rotation reached ${namespaces.length} copies in ${elapsed.toFixed(1)} s with ${reads} vault reads of the master (masters re-read every ${MASTER_REFRESH_SECONDS} s, copies every 10 s)`,
    );
    // Only the master reads the vault, once per master refresh; the copies read the master in the cluster.
    expect(reads).toBeGreaterThan(0);
    expect(reads).toBeLessThanOrEqual(Math.ceil(elapsed / MASTER_REFRESH_SECONDS) + 1);
    await destroyAsPulumi(suite.deployer, suite.admin, tenantNamespaces(names, 'data', ['rotation']));
  });

  test('while the vault is unreachable the copies stay; after it returns, recover brings every copy the value written meanwhile', async () => {
    await relay!.cut();
    const cut = Date.now();
    await backend.rotate('rotation', { token: 'v3' });
    // The master fails to sync from the vault; the copies in the namespaces are left as they were.
    await waitUntil(
      'the master to fail its sync',
      async () => {
        const es = await suite.admin.get(ESO, 'ExternalSecret', 'rotation', CENTRAL);
        return es?.status?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'False');
      },
      120,
    );
    expect(secretText(await secretIn('data-api', 'rotation-opaque'), 'token')).toBe('v2');
    expect(secretText(await secretIn(CENTRAL, 'rotation'), 'token')).toBe('v2');
    await relay!.restore();
    const restored = Date.now();
    const result = await recover(new KubeOperations(loadKubeConfig({ kubeconfig: suite.cp.kubeconfig('admin') })), {
      deadlineMs: 5 * 60 * 1000,
    });
    expect(result).toMatchObject({ ok: true, lagging: [] });
    expect(secretText(await secretIn('data-api', 'rotation-opaque'), 'token')).toBe('v3');
    say(
      `outage of ${((restored - cut) / 1000).toFixed(0)} s: copies kept their value; recover confirmed every store and ExternalSecret, the copy holding the value written meanwhile, ${seconds(restored)} s after the vault returned`,
    );
  });

  test('after ESO has reconciled, a second apply changes nothing, and destroy completes', async () => {
    const all = objects();
    await waitForEsoWriteBack(suite.admin, all);
    await applyAsPulumi(suite.deployer, all);
    expect(await dryRunChanges(suite.deployer, suite.admin, all)).toEqual([]);
    const t = Date.now();
    await destroyAsPulumi(suite.deployer, suite.admin, all);
    say(`foreground deletion of ${all.length} objects completed in ${seconds(t)} s`);
    expect(await suite.admin.list(ESO, 'ClusterSecretStore')).toEqual([]);
    expect(await suite.admin.list('v1', 'Namespace', undefined, 'app.kubernetes.io/managed-by=central-secret-store')).toEqual([]);
  });
});
