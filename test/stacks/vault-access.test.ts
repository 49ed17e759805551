/**
 * Stacks of HashiCorp Vault environments under Pulumi mocks (the Vault provider plugin is not needed): exact
 * mounts, namespaces, policies, auth mounts and roles; no Azure resource; every store of the synth output has
 * a role that fits it and reads exactly its space; no secret in plaintext.
 */
import { CLUSTER_SET } from '../../stacks/secret-plane';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { synthesizeCluster } from '../../plane';
import { ClusterDeployment } from '../../stacks/cluster-deployment';
import { readStackConfig } from '../../stacks/config';
import { apiServerOf } from '../../stacks/kubeconfig';
import { RELOADER_CHART, reloaderChartValues } from '../../stacks/reloader-release';
import { type Catalogue, loadCatalogue, tenantPolicyOf } from '../../tenants/lib';
import { vaultFixture, writeFixture, FIXTURE_CATALOGUE_DIR } from '../support/fixture-catalogue';
import {
  MOCK_SERVICE_ACCOUNT_TOKEN,
  type RecordedResource,
  manifestSetsOf,
  only,
  plaintextPaths,
  runWithMocks,
  stackFileConfig,
  unwrapSecrets,
} from '../support/pulumi-mocks';
import { esoReadPath, policyAllows } from '../support/vault-acl';

const CA = /caBundle: \|\n((?: {8}.*\n)+)/
  .exec(readFileSync(join(FIXTURE_CATALOGUE_DIR, 'clusters.yaml'), 'utf8'))![1]
  .replace(/^ {8}/gm, '');
const TOKEN = 'ONPREM-DEPLOYER-TOKEN-VALUE';
const VAULT_TOKEN = 'hvs.VAULT-TOKEN-VALUE';
const kubeconfigFor = (server: string) =>
  [
    'apiVersion: v1',
    'kind: Config',
    `clusters: [{ name: c, cluster: { server: "${server}", certificate-authority-data: ${Buffer.from(CA).toString('base64')} } }]`,
    'contexts: [{ name: c, context: { cluster: c, user: u } }]',
    'current-context: c',
    `users: [{ name: u, user: { token: ${TOKEN} } }]`,
    '',
  ].join('\n');
const SECRET_CONFIG = {
  'central-secret-store:kubeconfig': kubeconfigFor('https://10.20.0.10:6443'),
  'central-secret-store:vaultToken': VAULT_TOKEN,
};

async function deploy(catalogue: Catalogue, stack: string, config: Record<string, string>) {
  const secrets = Object.keys(config).filter((k) => k in SECRET_CONFIG);
  return runWithMocks(stack, config, secrets, () => {
    const c = readStackConfig(() => catalogue);
    return new ClusterDeployment(c.cluster.name, { config: c });
  });
}
const ofType = (resources: readonly RecordedResource[], type: string) => resources.filter((r) => r.type === type);
/** Registration order follows Output resolution, so lists of resources are compared sorted. */
const sorted = <T>(items: T[]) => items.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
const read = { capabilities: ['read'] };
const ESO = {
  boundServiceAccountNames: ['external-secrets'],
  boundServiceAccountNamespaces: ['external-secrets'],
  tokenTtl: 600,
  tokenMaxTtl: 600,
  tokenNoDefaultPolicy: false,
};

describe('stack k3s-onprem-01 (HashiCorp Vault, a KV v2 mount per tenant)', () => {
  const catalogue = loadCatalogue(FIXTURE_CATALOGUE_DIR);
  const stack = 'k3s-onprem-01';
  let resources: RecordedResource[];
  let deployment: ClusterDeployment;

  beforeAll(async () => {
    ({ resources, result: deployment } = await deploy(catalogue, stack, { ...stackFileConfig(stack), ...SECRET_CONFIG }));
  });

  test('no Azure resource, no Key Vault identity Secret; Vault at the catalogue address with the secret token', () => {
    expect(resources.filter((r) => r.type.startsWith('azure'))).toEqual([]);
    expect(ofType(resources, 'kubernetes:core/v1:Secret').map((s) => s.inputs.metadata.name)).toEqual([
      'central-secret-store-vault-reviewer-token',
    ]);
    const provider = only(resources, 'pulumi:providers:vault');
    expect(provider.inputs.address).toBe('https://vault.dc1.contoso.example:8200');
    expect(plaintextPaths(provider.wireInputs, VAULT_TOKEN)).toEqual([]);
    expect(JSON.stringify(provider.wireInputs)).toContain('VAULT-TOKEN-VALUE');
  });

  test('the owning stack creates the shared mount and one protected KV v2 mount per tenant of the environment', () => {
    const mounts = ofType(resources, 'vault:index/mount:Mount');
    expect(sorted(mounts.map((m) => m.inputs))).toEqual([
      { path: 'css-shared', type: 'kv', options: { version: '2' }, description: 'Central Secret Store: masters of the shared credentials' },
      {
        path: 'css-tenant-data-science',
        type: 'kv',
        options: { version: '2' },
        description: 'Central Secret Store: own secrets of tenant data-science',
      },
      {
        path: 'css-tenant-platform-tools',
        type: 'kv',
        options: { version: '2' },
        description: 'Central Secret Store: own secrets of tenant platform-tools',
      },
    ]);
    expect(mounts.every((m) => m.protect)).toBe(true);
    expect(ofType(resources, 'vault:index/namespace:Namespace')).toEqual([]);
  });

  test("a tenant policy reads its own mount only; the masters' policy reads exactly the offered credentials' paths and the cluster's canary", () => {
    const policies = Object.fromEntries(
      ofType(resources, 'vault:index/policy:Policy').map((p) => [p.inputs.name, JSON.parse(p.inputs.policy)]),
    );
    expect(policies).toEqual({
      'css-tenant-data-science': { path: { 'css-tenant-data-science/data/*': read } },
      'css-tenant-platform-tools': { path: { 'css-tenant-platform-tools/data/*': read } },
      'css-masters-k3s-onprem-01': {
        path: {
          'css-shared/data/canary/k3s-onprem-01': read,
          'css-shared/data/git/github-gitops': read,
          'css-shared/data/git/gitlab-deploy-key': read,
          'css-shared/data/monitoring/datadog': read,
          'css-shared/data/registries/acr-pull': read,
          'css-shared/data/registries/ghcr-pull': read,
          'css-shared/data/tls/edge-gateway': read,
        },
      },
    });
  });

  test("the cluster's canary is written at canary/<cluster> in the shared mount, after the mount, as the stack exports it", async () => {
    const secret = only(resources, 'vault:kv/secretV2:SecretV2');
    // The provider keeps dataJson secret in the state; the value is a marker, so that is merely harmless.
    const inputs = unwrapSecrets(secret.inputs);
    const value = JSON.parse(inputs.dataJson).value;
    expect(value).toMatch(/^[0-9a-f]{16}$/);
    expect(inputs).toEqual({ mount: 'css-shared', name: 'canary/k3s-onprem-01', dataJson: JSON.stringify({ value }) });
    expect(secret.dependencies).toContain(ofType(resources, 'vault:index/mount:Mount').find((m) => m.inputs.path === 'css-shared')!.urn);
    expect(await new Promise((resolve) => deployment.canary!.apply(resolve))).toBe(value);
  });

  test("the cluster's Kubernetes auth mount reviews tokens at the configured API server with the kubeconfig's CA and the reviewer's token", () => {
    expect(only(resources, 'vault:index/authBackend:AuthBackend').inputs).toEqual({
      type: 'kubernetes',
      path: 'css-kubernetes-k3s-onprem-01',
      description: 'Central Secret Store: ESO on cluster k3s-onprem-01',
    });
    const config = only(resources, 'vault:kubernetes/authBackendConfig:AuthBackendConfig');
    expect(unwrapSecrets(config.inputs)).toEqual({
      backend: 'css-kubernetes-k3s-onprem-01',
      kubernetesHost: 'https://k3s-onprem-01.dc1.contoso.example:6443',
      kubernetesCaCert: CA,
      tokenReviewerJwt: MOCK_SERVICE_ACCOUNT_TOKEN,
      disableLocalCaJwt: true,
    });
    expect(plaintextPaths(config.wireInputs, MOCK_SERVICE_ACCOUNT_TOKEN)).toEqual([]);
  });

  test("Vault's token reviewer is a ServiceAccount of its own in ESO's namespace, the only one bound to system:auth-delegator", () => {
    const reviewer = { name: 'central-secret-store-vault-reviewer', namespace: 'external-secrets' };
    const account = only(resources, 'kubernetes:core/v1:ServiceAccount');
    expect(account.inputs.metadata).toMatchObject(reviewer);
    const esoRelease = ofType(resources, 'kubernetes:helm.sh/v3:Release').find((r) => r.inputs.chart === 'external-secrets')!;
    expect(account.dependencies).toContain(esoRelease.urn);
    const token = only(resources, 'kubernetes:core/v1:Secret');
    expect(token.inputs).toMatchObject({
      type: 'kubernetes.io/service-account-token',
      metadata: {
        name: 'central-secret-store-vault-reviewer-token',
        namespace: 'external-secrets',
        annotations: { 'kubernetes.io/service-account.name': reviewer.name },
      },
    });
    const binding = only(resources, 'kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding');
    expect(binding.inputs.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'system:auth-delegator' });
    expect(binding.inputs.subjects).toEqual([{ kind: 'ServiceAccount', ...reviewer }]);
    expect(only(resources, 'vault:kubernetes/authBackendConfig:AuthBackendConfig').dependencies).toEqual(
      expect.arrayContaining([token.urn, binding.urn]),
    );
  });

  test('one role per store, bound to ESO and an audience of its own', () => {
    const roles = sorted(ofType(resources, 'vault:kubernetes/authBackendRole:AuthBackendRole').map((r) => r.inputs));
    const backend = 'css-kubernetes-k3s-onprem-01';
    expect(roles).toEqual([
      { ...ESO, backend, roleName: 'css-masters', audience: 'vault:css-masters', tokenPolicies: ['css-masters-k3s-onprem-01'] },
      {
        ...ESO,
        backend,
        roleName: 'css-tenant-data-science',
        audience: 'vault:css-tenant-data-science',
        tokenPolicies: ['css-tenant-data-science'],
      },
      {
        ...ESO,
        backend,
        roleName: 'css-tenant-platform-tools',
        audience: 'vault:css-tenant-platform-tools',
        tokenPolicies: ['css-tenant-platform-tools'],
      },
    ]);
  });

  test('every store of the synth output logs in with a role that fits it, and reads only what its ExternalSecrets read', () => {
    expectStoresFitRoles(catalogue, stack, resources);
  });

  test('the stores are applied after ESO and after their roles exist', () => {
    const clusterScoped = manifestSetsOf(resources).get(CLUSTER_SET)!;
    const urns = (type: string) => ofType(resources, type).map((r) => r.urn);
    const esoRelease = ofType(resources, 'kubernetes:helm.sh/v3:Release')
      .filter((r) => r.inputs.chart === 'external-secrets')
      .map((r) => r.urn);
    expect(esoRelease).toHaveLength(1);
    expect(clusterScoped.dependencies).toEqual(
      expect.arrayContaining([
        ...esoRelease,
        ...urns('vault:kubernetes/authBackendRole:AuthBackendRole'),
        ...urns('vault:kubernetes/authBackendConfig:AuthBackendConfig'),
      ]),
    );
  });

  test('Reloader is installed next to ESO, pinned, with the same values as on Key Vault clusters', () => {
    const releases = ofType(resources, 'kubernetes:helm.sh/v3:Release');
    expect(releases.map((r) => r.inputs.chart).sort()).toEqual(['external-secrets', 'reloader']);
    const reloader = releases.find((r) => r.inputs.chart === 'reloader')!;
    expect(reloader.inputs).toMatchObject({
      version: RELOADER_CHART.version,
      repositoryOpts: { repo: RELOADER_CHART.repo },
      namespace: 'reloader',
      values: reloaderChartValues(),
    });
  });

  test('no secret value is in plaintext in any input', () => {
    const leaks = resources.flatMap((r) =>
      [TOKEN, VAULT_TOKEN, MOCK_SERVICE_ACCOUNT_TOKEN].flatMap((n) =>
        plaintextPaths(r.wireInputs, n).map((p) => `${r.type} ${r.name}${p}`),
      ),
    );
    expect(leaks).toEqual([]);
  });
});

describe('a Vault Enterprise environment: a namespace per tenant', () => {
  const fixture = vaultFixture('namespaces');
  (fixture.clusters.clusters[2] as { kind: string }).kind = 'generic';
  const catalogue = loadCatalogue(writeFixture(fixture));
  const config = { ...SECRET_CONFIG };

  test("the owning stack creates each tenant's namespace, its mount and its policy inside it", async () => {
    const { resources } = await deploy(catalogue, 'v1', config);
    expect(sorted(ofType(resources, 'vault:index/namespace:Namespace').map((n) => n.inputs))).toEqual([
      { path: 'css-tenant-alpha', namespace: 'admin' },
      { path: 'css-tenant-beta', namespace: 'admin' },
    ]);
    expect(sorted(ofType(resources, 'vault:index/mount:Mount').map((m) => [m.inputs.namespace, m.inputs.path]))).toEqual([
      ['admin', 'css-shared'],
      ['admin/css-tenant-alpha', 'secret'],
      ['admin/css-tenant-beta', 'secret'],
    ]);
    const policies = sorted(
      ofType(resources, 'vault:index/policy:Policy').map((p) => [p.inputs.namespace, p.inputs.name, JSON.parse(p.inputs.policy)]),
    );
    expect(policies).toEqual([
      ['admin', 'css-masters-v1', { path: { 'css-shared/data/canary/v1': read, 'css-shared/data/registry': read } }],
      ['admin/css-tenant-alpha', 'css-tenant-alpha', { path: { 'secret/data/*': read } }],
      ['admin/css-tenant-beta', 'css-tenant-beta', { path: { 'secret/data/*': read } }],
    ]);
    // Each tenant logs in inside its own namespace, so its token cannot address a sibling's.
    expect(sorted(ofType(resources, 'vault:index/authBackend:AuthBackend').map((a) => a.inputs.namespace))).toEqual([
      'admin',
      'admin/css-tenant-alpha',
      'admin/css-tenant-beta',
    ]);
    expect(
      sorted(
        ofType(resources, 'vault:kubernetes/authBackendRole:AuthBackendRole').map((r) => [
          r.inputs.namespace,
          r.inputs.roleName,
          r.inputs.tokenPolicies,
        ]),
      ),
    ).toEqual([
      ['admin', 'css-masters', ['css-masters-v1']],
      ['admin/css-tenant-alpha', 'css-tenant-alpha', ['css-tenant-alpha']],
      ['admin/css-tenant-beta', 'css-tenant-beta', ['css-tenant-beta']],
    ]);
    expect(ofType(resources, 'vault:index/namespace:Namespace').every((n) => n.protect)).toBe(true);
    expectStoresFitRoles(catalogue, 'v1', resources);
  });

  test("another cluster's stack adds only its own logins, for the tenants it hosts", async () => {
    const { resources } = await deploy(catalogue, 'v2', config);
    expect(ofType(resources, 'vault:index/namespace:Namespace')).toEqual([]);
    expect(ofType(resources, 'vault:index/mount:Mount')).toEqual([]);
    expect(ofType(resources, 'vault:index/policy:Policy').map((p) => p.inputs.name)).toEqual(['css-masters-v2']);
    // Its canary, in the shared mount inside the environment's namespace.
    expect(only(resources, 'vault:kv/secretV2:SecretV2').inputs).toMatchObject({
      mount: 'css-shared',
      name: 'canary/v2',
      namespace: 'admin',
    });
    expect(
      sorted(
        ofType(resources, 'vault:kubernetes/authBackendRole:AuthBackendRole').map((r) => [
          r.inputs.namespace,
          r.inputs.roleName,
          r.inputs.backend,
        ]),
      ),
    ).toEqual([
      ['admin', 'css-masters', 'css-kubernetes-v2'],
      ['admin/css-tenant-alpha', 'css-tenant-alpha', 'css-kubernetes-v2'],
    ]);
    expectStoresFitRoles(catalogue, 'v2', resources);
  });
});

describe('stack config of Vault environments', () => {
  const catalogue = loadCatalogue(FIXTURE_CATALOGUE_DIR);
  const failure = async (stack: string, config: Record<string, string>) => {
    let error: Error | undefined;
    await runWithMocks(
      stack,
      config,
      Object.keys(config).filter((k) => k in SECRET_CONFIG || k.endsWith('vaultSecretValues')),
      () => {
        try {
          const c = readStackConfig(() => catalogue);
          new ClusterDeployment(c.cluster.name, { config: c });
        } catch (e) {
          error = e as Error;
        }
      },
    );
    return error?.message;
  };

  test('a generic cluster needs its kubeconfig but no Azure setting; Pulumi writes no values into Vault', async () => {
    const message = await failure('k3s-onprem-01', {
      ...stackFileConfig('k3s-onprem-01'),
      'central-secret-store:vaultSecrets': JSON.stringify([{ name: 'datadog-api-key', expires: '2027-01-01T00:00:00Z' }]),
      'central-secret-store:vaultSecretValues': '{"datadog-api-key":"v"}',
    });
    expect(message).toMatch(
      /^Stack k3s-onprem-01 cannot be deployed:\n {2}- central-secret-store:kubeconfig: required for a generic cluster/,
    );
    expect(message).toMatch(
      /\n {2}- central-secret-store:vaultSecrets: not for this stack \(k3s-onprem-01 is a generic cluster of environment onprem, which uses HashiCorp Vault\): only for Key Vault environments; in HashiCorp Vault, write the values with vault kv put\n/,
    );
    expect(message).toMatch(/\n {2}- central-secret-store:vaultSecretValues: not for this stack .*: only for Key Vault environments$/);
    expect(message).not.toMatch(/servicePrincipalPasswordEndDate|azure-native:location/);
  });

  test('a Key Vault stack still needs its Azure region', async () => {
    const config = { ...stackFileConfig('aks-weu-staging') };
    delete config['azure-native:location'];
    expect(await failure('aks-weu-staging', config)).toMatch(
      /\n {2}- azure-native:location: required in a Key Vault environment: the region of the Key Vault and of ESO's identity$/,
    );
  });
});

describe('apiServerOf', () => {
  test("reads the current context's server and CA", () => {
    expect(apiServerOf(kubeconfigFor('https://api.example:6443'))).toEqual({ server: 'https://api.example:6443', caCert: CA });
  });

  test('refuses a kubeconfig without a CA, which Vault needs to review tokens', () => {
    const withoutCa = kubeconfigFor('https://api.example:6443').replace(/, certificate-authority-data: [^ }]+/, '');
    expect(() => apiServerOf(withoutCa)).toThrow(/carries no certificate-authority-data; Vault needs the API server's CA/);
  });
});

/**
 * Every Vault store of a cluster's synth output: a role of that name on that auth mount, in the store's
 * namespace, bound to the store's ServiceAccount and one of its audiences; its policies read what the store's
 * ExternalSecrets read, and the policies of every other role read none of it.
 */
function expectStoresFitRoles(catalogue: Catalogue, cluster: string, resources: readonly RecordedResource[]): void {
  const { clusterScoped, namespaced } = synthesizeCluster(catalogue, cluster);
  const roles = ofType(resources, 'vault:kubernetes/authBackendRole:AuthBackendRole').map((r) => r.inputs);
  const policies = ofType(resources, 'vault:index/policy:Policy').map((p) => ({
    name: p.inputs.name,
    namespace: p.inputs.namespace,
    document: JSON.parse(p.inputs.policy),
  }));
  const environment = catalogue.environments.find((e) => e.name === catalogue.clusters.find((c) => c.name === cluster)!.environment)!;
  const stores = clusterScoped.filter((o) => o.kind === 'ClusterSecretStore' && (o as any).spec.provider.vault) as any[];
  expect(stores.length).toBeGreaterThan(1);
  for (const store of stores) {
    const vault = store.spec.provider.vault;
    const auth = vault.auth.kubernetes;
    const role = roles.find(
      (r) => r.roleName === auth.role && r.backend === auth.mountPath && r.namespace === (vault.auth.namespace ?? vault.namespace),
    );
    expect(role).toBeDefined();
    expect(auth.serviceAccountRef.audiences).toContain(role.audience);
    expect([role.boundServiceAccountNames, role.boundServiceAccountNamespaces]).toEqual([
      [auth.serviceAccountRef.name],
      [auth.serviceAccountRef.namespace],
    ]);
    const reads = (namespaced as any[])
      .filter((es) => es.kind === 'ExternalSecret' && es.spec.secretStoreRef.name === store.metadata.name)
      .flatMap((es) => es.spec.data.map((d: any) => ({ namespace: vault.namespace, path: esoReadPath(vault.path, d.remoteRef.key) })));
    const granted = (policyNames: string[]) =>
      policyNames
        .map((name) => policies.find((p) => p.name === name) ?? tenantPolicyFromLayout(environment, name))
        .filter((p): p is NonNullable<typeof p> => p !== undefined);
    for (const r of reads) {
      expect(granted(role.tokenPolicies).some((p) => policyAllows(p, r))).toBe(true);
      for (const other of roles.filter((o) => o !== role)) expect(granted(other.tokenPolicies).some((p) => policyAllows(p, r))).toBe(false);
    }
  }
}

/** A tenant policy the owning stack writes; a non-owning stack's roles only name it. */
function tenantPolicyFromLayout(environment: Catalogue['environments'][number], name: string) {
  return name.startsWith('css-tenant-') && environment.vault
    ? tenantPolicyOf(environment.vault, name.slice('css-tenant-'.length))
    : undefined;
}
