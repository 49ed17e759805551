/**
 * A cluster's Kubernetes half constructed on its own, as the stack and the end-to-end suite construct it: with
 * a kubeconfig and the manifests it needs no Azure and no Vault provider; chart sources, ESO's values,
 * Reloader off, and what each backend hands in (an identity, or Vault's logins); options that exclude each
 * other refused before anything is declared.
 */
import * as pulumi from '@pulumi/pulumi';
import { CLUSTER_SET } from '../../stacks/secret-plane';
import { type ClusterManifests, synthesizeCluster } from '../../plane';
import { ClusterKubernetes, type ClusterKubernetesArgs } from '../../stacks/cluster-kubernetes';
import { canaryCheckObjects } from '../../stacks/canary';
import { esoChartValues } from '../../stacks/eso-release';
import { esoTuningFor } from '../../stacks/eso-tuning';
import { reloaderChartValues } from '../../stacks/reloader-release';
import { loadCatalogue } from '../../tenants/lib';
import { FIXTURE_CATALOGUE_DIR } from '../support/fixture-catalogue';
import { type RecordedResource, manifestSetsOf, only, plaintextPaths, runWithMocks } from '../support/pulumi-mocks';

const manifests = synthesizeCluster(loadCatalogue(FIXTURE_CATALOGUE_DIR), 'edge-k3s-ams-01');
const TOKEN = 'EDGE-DEPLOYER-TOKEN';
const KUBECONFIG = `apiVersion: v1\nkind: Config\nusers: [{name: edge, user: {token: ${TOKEN}}}]\n`;
const RELEASE = 'kubernetes:helm.sh/v3:Release';

/** ClusterKubernetes with the kubeconfig as a secret, the manifests and `args`; or the error it throws. */
async function construct(args: Partial<ClusterKubernetesArgs> = {}, from: ClusterManifests = manifests) {
  return runWithMocks('anywhere', {}, [], () => {
    try {
      return new ClusterKubernetes('edge', { kubeconfig: pulumi.secret(KUBECONFIG), manifests: from, ...args });
    } catch (error) {
      return error as Error;
    }
  });
}

async function constructed(args: Partial<ClusterKubernetesArgs> = {}) {
  const { result, resources } = await construct(args);
  if (result instanceof Error) throw result;
  return { kubernetes: result, resources };
}

const ofType = (resources: readonly RecordedResource[], type: string) => resources.filter((r) => r.type === type);
const releaseOf = (resources: readonly RecordedResource[], name: string) =>
  only(
    ofType(resources, RELEASE).filter((r) => r.inputs.name === name),
    RELEASE,
  );
const clusterScopedOf = (resources: readonly RecordedResource[]) => manifestSetsOf(resources).get(CLUSTER_SET)!;
/** A resource of Vault's side, as vaultLogins would declare one. */
class VaultLogin extends pulumi.CustomResource {
  constructor(name: string) {
    super('test:vault:Login', name, {});
  }
}
const urnsOf = (resources: readonly pulumi.Resource[]) =>
  Promise.all(resources.map((r) => new Promise<string>((resolve) => r.urn.apply(resolve))));

describe('ClusterKubernetes alone, with only a kubeconfig and the manifests', () => {
  let resources: RecordedResource[];
  let kubernetes: ClusterKubernetes;

  beforeAll(async () => {
    ({ kubernetes, resources } = await constructed());
  });

  test('declares Kubernetes resources only, through one provider made from the kubeconfig, kept secret', () => {
    expect([...new Set(resources.map((r) => r.type))].sort()).toEqual([
      'central-secret-store:kubernetes:ClusterKubernetes',
      'central-secret-store:kubernetes:EsoRelease',
      'central-secret-store:kubernetes:ReloaderRelease',
      'central-secret-store:kubernetes:SecretPlane',
      RELEASE,
      'kubernetes:yaml/v2:ConfigGroup',
      'pulumi-nodejs:dynamic/central-secret-store:ManifestSet',
      'pulumi:providers:kubernetes',
    ]);
    const provider = only(resources, 'pulumi:providers:kubernetes');
    expect(provider.inputs.enableServerSideApply).toBe('true');
    expect(plaintextPaths(provider.wireInputs, TOKEN)).toEqual([]);
    expect(JSON.stringify(provider.wireInputs)).toContain(TOKEN);
    const root = only(resources, 'central-secret-store:kubernetes:ClusterKubernetes');
    for (const r of resources.filter((x) => x !== root)) expect(r.parent).not.toBe('');
  });

  test('ESO and Reloader from their public repositories, with the product values; no identity Secret, no token reviewer', () => {
    expect(releaseOf(resources, 'external-secrets').inputs).toMatchObject({
      chart: 'external-secrets',
      version: '2.9.0',
      repositoryOpts: { repo: 'https://charts.external-secrets.io' },
      values: esoChartValues(),
    });
    expect(releaseOf(resources, 'reloader').inputs).toMatchObject({
      chart: 'reloader',
      version: '2.2.11',
      repositoryOpts: { repo: 'https://stakater.github.io/stakater-charts' },
      values: reloaderChartValues(),
    });
    expect(ofType(resources, 'kubernetes:core/v1:Secret')).toEqual([]);
    expect(ofType(resources, 'kubernetes:core/v1:ServiceAccount')).toEqual([]);
    expect(kubernetes.esoIdentitySecret).toBeUndefined();
    expect(kubernetes.tokenReviewer).toBeUndefined();
  });

  test('the secret plane waits for ESO alone and is exposed with what later steps wait for', async () => {
    const eso = releaseOf(resources, 'external-secrets').urn;
    expect(clusterScopedOf(resources).dependencies).toEqual([eso]);
    expect(await urnsOf([kubernetes.esoRelease, ...kubernetes.esoReady])).toEqual([eso, eso]);
    expect(await urnsOf([kubernetes.provider])).toEqual([only(resources, 'pulumi:providers:kubernetes').urn]);
    expect(await urnsOf([kubernetes.secretPlane.sets[0]])).toEqual([clusterScopedOf(resources).urn]);
    expect(kubernetes.reloaderRelease).toBeDefined();
  });
});

describe('charts, values and Reloader', () => {
  test('ESO from a local chart folder, as the folder holds it; Reloader from an OCI mirror at its pinned version', async () => {
    const { resources } = await constructed({
      esoChart: { path: 'charts/external-secrets' },
      reloaderChart: { repo: 'oci://mirror.example/charts/' },
    });
    expect(releaseOf(resources, 'external-secrets').inputs).toEqual({
      name: 'external-secrets',
      chart: 'charts/external-secrets',
      namespace: 'external-secrets',
      createNamespace: true,
      atomic: true,
      timeout: 600,
      values: esoChartValues(),
      compat: 'true',
    });
    expect(releaseOf(resources, 'reloader').inputs).toEqual({
      name: 'reloader',
      chart: 'oci://mirror.example/charts/reloader',
      version: '2.2.11',
      namespace: 'reloader',
      createNamespace: true,
      atomic: true,
      timeout: 300,
      values: reloaderChartValues(),
      compat: 'true',
    });
  });

  test("esoValues are laid over the product's values, maps key by key", async () => {
    const { resources } = await constructed({
      esoValues: { image: { repository: 'mirror.example/external-secrets', pullPolicy: 'Never' }, webhook: { replicaCount: 2 } },
    });
    const values = releaseOf(resources, 'external-secrets').inputs.values;
    const product = esoChartValues();
    expect(values.image).toEqual({ repository: 'mirror.example/external-secrets', pullPolicy: 'Never' });
    expect(values.webhook).toEqual({ ...(product.webhook as object), replicaCount: 2 });
    expect(values.securityContext).toEqual(product.securityContext);
    expect(Object.keys(values).sort()).toEqual([...Object.keys(product), 'image'].sort());
  });

  test('reloader off: no Reloader release, ESO and the secret plane as before', async () => {
    const { kubernetes, resources } = await constructed({ reloader: false });
    expect(ofType(resources, RELEASE).map((r) => r.inputs.name)).toEqual(['external-secrets']);
    expect(ofType(resources, 'central-secret-store:kubernetes:ReloaderRelease')).toEqual([]);
    expect(kubernetes.reloaderRelease).toBeUndefined();
    expect(clusterScopedOf(resources).dependencies).toEqual([releaseOf(resources, 'external-secrets').urn]);
  });
});

describe('what a backend hands in', () => {
  test('Key Vault: the identity Secret, kept secret, after ESO; the secret plane waits for it', async () => {
    const { kubernetes, resources } = await constructed({ esoClientId: 'client-id', esoClientSecret: pulumi.secret('SP-PASSWORD') });
    const secret = only(resources, 'kubernetes:core/v1:Secret');
    expect(secret.inputs.metadata).toMatchObject({ name: 'azure-keyvault-identity', namespace: 'external-secrets' });
    expect(plaintextPaths(secret.wireInputs, 'SP-PASSWORD')).toEqual([]);
    const eso = releaseOf(resources, 'external-secrets').urn;
    expect(secret.dependencies).toContain(eso);
    expect(clusterScopedOf(resources).dependencies.slice().sort()).toEqual([eso, secret.urn].sort());
    expect(await urnsOf(kubernetes.esoReady)).toEqual([eso, secret.urn]);
  });

  test('HashiCorp Vault: the token reviewer is handed to vaultLogins, and the secret plane waits for it and for what vaultLogins returns', async () => {
    let handed: unknown;
    const { kubernetes, resources } = await constructed({
      vaultLogins: (reviewer) => {
        handed = reviewer;
        return [new VaultLogin('login')];
      },
    });
    expect(handed).toBe(kubernetes.tokenReviewer);
    const reviewer = only(resources, 'kubernetes:core/v1:ServiceAccount');
    expect(reviewer.inputs.metadata).toMatchObject({ name: 'central-secret-store-vault-reviewer', namespace: 'external-secrets' });
    const expected = [
      releaseOf(resources, 'external-secrets').urn,
      only(resources, 'kubernetes:core/v1:Secret').urn,
      only(resources, 'kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding').urn,
      only(resources, 'test:vault:Login').urn,
    ];
    expect(clusterScopedOf(resources).dependencies.slice().sort()).toEqual(expected.slice().sort());
    expect(resources.filter((r) => r.type.startsWith('vault:') || r.type === 'pulumi:providers:vault')).toEqual([]);
  });

  test('options that exclude or need each other are refused at once, before anything is declared', async () => {
    const { result, resources } = await construct({
      esoClientSecret: 'password',
      vaultLogins: () => [],
      esoChart: { path: 'charts/external-secrets', repo: 'oci://mirror.example/charts' } as unknown as ClusterKubernetesArgs['esoChart'],
      reloader: false,
      reloaderChart: { path: 'charts/reloader' },
    });
    expect(result).toBeInstanceOf(Error);
    expect((result as Error).message).toBe(
      [
        'ClusterKubernetes edge:',
        "  - esoClientSecret needs esoClientId: give the service principal's client id too, or leave the secret out for workload identity",
        '  - reloaderChart is given while reloader is false: remove reloaderChart, or turn reloader on',
        '  - esoChart: give either path (a local chart folder) or repo (an OCI mirror, oci://...), not both',
      ].join('\n'),
    );
    expect(resources).toEqual([]);
    const both = await construct({ esoClientId: 'client-id', vaultLogins: () => [] });
    expect((both.result as Error).message).toMatch(
      /^ClusterKubernetes edge:\n {2}- esoClientId and vaultLogins exclude each other: .*give the one of the cluster's backend$/,
    );
    const cache = await construct({ esoClientId: 'client-id', esoVaultTokenCache: true });
    expect((cache.result as Error).message).toMatch(
      /^ClusterKubernetes edge:\n {2}- esoVaultTokenCache is true without vaultLogins: .*leave it out for Key Vault$/,
    );
  });
});

describe("ESO's throughput", () => {
  const esoArgs = (values: Record<string, any>) => ({ concurrent: values.concurrent, extraArgs: values.extraArgs, vault: values.vault });

  test("sized by the cluster's copies; the Vault token cache on where ESO logs in to HashiCorp Vault, off for Key Vault", async () => {
    const keyVault = await constructed({ esoCopies: 1000, esoClientId: 'client-id' });
    expect(esoArgs(releaseOf(keyVault.resources, 'external-secrets').inputs.values)).toEqual({
      concurrent: esoTuningFor(1000).concurrent,
      extraArgs: { 'client-qps': esoTuningFor(1000).clientQps, 'client-burst': esoTuningFor(1000).clientBurst },
      vault: { enableTokenCache: false },
    });
    const vault = await constructed({ esoCopies: 10, vaultLogins: () => [] });
    expect(esoArgs(releaseOf(vault.resources, 'external-secrets').inputs.values)).toEqual({
      concurrent: 4,
      extraArgs: { 'client-qps': 50, 'client-burst': 100 },
      vault: { enableTokenCache: true },
    });
  });

  test('each setting overrides the sizing on its own; the token cache can be turned off', async () => {
    const { resources } = await constructed({
      esoCopies: 1000,
      esoConcurrency: 3,
      esoClientQps: 70,
      vaultLogins: () => [],
      esoVaultTokenCache: false,
    });
    expect(esoArgs(releaseOf(resources, 'external-secrets').inputs.values)).toEqual({
      concurrent: 3,
      extraArgs: { 'client-qps': 70, 'client-burst': esoTuningFor(1000).clientBurst },
      vault: { enableTokenCache: false },
    });
  });
});

describe('the in-cluster canary check', () => {
  const check = {
    namespace: 'central-secret-store-canary',
    copyName: 'canary-opaque',
    expectedValueSha256: 'c'.repeat(64),
    image: `registry.example/kubectl@sha256:${'d'.repeat(64)}`,
    pushgateway: 'http://pushgateway.monitoring:9091',
    cluster: 'edge',
  };

  test("applied after every set of the secret plane, as CanaryCheck's objects", async () => {
    const { kubernetes, resources } = await constructed({ canaryCheck: check });
    const group = only(
      resources.filter((r) => r.name.endsWith('canary-check')),
      'kubernetes:yaml/v2:ConfigGroup',
    );
    expect(group.inputs.objs).toEqual(canaryCheckObjects(check));
    expect(group.dependencies.slice().sort()).toEqual([...manifestSetsOf(resources).values()].map((set) => set.urn).sort());
    expect(kubernetes.canaryCheck).toBeDefined();
  });

  test('none without canaryCheck', async () => {
    const { kubernetes, resources } = await constructed();
    expect(resources.filter((r) => r.name.endsWith('canary-check'))).toEqual([]);
    expect(kubernetes.canaryCheck).toBeUndefined();
  });
});
