/**
 * Every example stack run under Pulumi mocks, with the config of its committed Pulumi.<cluster>.yaml:
 * exact inputs of the vault, identity, role assignment, ESO release and ManifestSets, their order, and no
 * secret value in plaintext.
 */
import { createHash } from 'node:crypto';
import { synthesizeCluster } from '../../plane';
import { ClusterDeployment } from '../../stacks/cluster-deployment';
import { CANARY_CONTENT_TYPE, canaryValue } from '../../stacks/canary';
import { readStackConfig } from '../../stacks/config';
import { PRODUCT_FIELD_MANAGER } from '../../stacks/manifest-set';
import { objectKey } from '../../stacks/manifest-set-provider';
import { CENTRAL_SET, CLUSTER_SET, TENANT_SETS, tenantSet } from '../../stacks/secret-plane';
import { TENANT_LABEL } from '../../constructs/src';
import { ESO_CHART, esoAlertObjects, esoChartValues } from '../../stacks/eso-release';
import { RELOADER_CHART, reloaderChartValues } from '../../stacks/reloader-release';
import { type Catalogue, type KeyVaultEnvironment, copiesOn, loadCatalogue } from '../../tenants/lib';
import {
  type RecordedResource,
  MOCK_KUBECONFIG,
  manifestSetsOf,
  SUBSCRIPTION_ID,
  issuerOf,
  only,
  plaintextPaths,
  runWithMocks,
  stackFileConfig,
  vaultIdOf,
} from '../support/pulumi-mocks';
import { FIXTURE_CATALOGUE_DIR } from '../support/fixture-catalogue';

const catalogue = loadCatalogue(FIXTURE_CATALOGUE_DIR);
const SECRETS = {
  vaultSecretValues: { 'datadog-api-key': 'dd-api-key-VALUE-1', 'datadog-app-key': 'dd-app-key-VALUE-2' },
  kubeconfig: 'apiVersion: v1\nkind: Config\nusers: [{name: edge, user: {token: EDGE-TOKEN-VALUE}}]\n',
};
const secretConfig = (stack: string): Record<string, string> =>
  stack === 'edge-k3s-ams-01'
    ? { 'central-secret-store:kubeconfig': SECRETS.kubeconfig }
    : stack === 'aks-weu-prod'
      ? { 'central-secret-store:vaultSecretValues': JSON.stringify(SECRETS.vaultSecretValues) }
      : {};

async function deploy(stack: string, extra: Record<string, string> = {}, from: Catalogue = catalogue) {
  const secrets = secretConfig(stack);
  return runWithMocks(stack, { ...stackFileConfig(stack), ...secrets, ...extra }, Object.keys(secrets), () => {
    const config = readStackConfig(() => from);
    return new ClusterDeployment(config.cluster.name, { config });
  });
}

const ofType = (resources: readonly RecordedResource[], type: string) => resources.filter((r) => r.type === type);
const RELEASE = 'kubernetes:helm.sh/v3:Release';
/** The Helm release of one chart: ESO's or Reloader's. */
const releaseOf = (resources: readonly RecordedResource[], chart: string) => {
  const found = ofType(resources, RELEASE).filter((r) => r.inputs.chart === chart);
  if (found.length !== 1) throw new Error(`expected one release of chart ${chart}, found ${found.length}`);
  return found[0];
};

describe.each(['aks-weu-staging', 'aks-weu-prod', 'edge-k3s-ams-01'])('stack %s', (stack) => {
  let resources: RecordedResource[];
  const cluster = catalogue.clusters.find((c) => c.name === stack)!;
  const environment = catalogue.environments.find((e) => e.name === cluster.environment) as KeyVaultEnvironment;
  const owner = stack !== 'edge-k3s-ams-01';
  const vaultId = vaultIdOf(`css-${environment.name}`, environment.keyVault.name);

  beforeAll(async () => {
    ({ resources } = await deploy(stack));
  });

  test('the Key Vault is created with secure defaults by the owning stack only', () => {
    const vaults = ofType(resources, 'azure-native:keyvault:Vault');
    if (!owner) {
      expect(vaults).toEqual([]);
      return;
    }
    const config = stackFileConfig(stack);
    const ipRanges = JSON.parse(config['central-secret-store:keyVaultAllowedIpRanges'] ?? '[]');
    const subnets = JSON.parse(config['central-secret-store:keyVaultAllowedSubnetIds'] ?? '[]');
    expect(vaults).toHaveLength(1);
    expect(vaults[0].inputs).toEqual({
      vaultName: environment.keyVault.name,
      resourceGroupName: `css-${environment.name}`,
      location: 'westeurope',
      properties: {
        tenantId: environment.keyVault.tenantId,
        sku: { family: 'A', name: config['central-secret-store:keyVaultSku'] ?? 'standard' },
        enableRbacAuthorization: true,
        enablePurgeProtection: true,
        enableSoftDelete: true,
        softDeleteRetentionInDays: 90,
        enabledForDeployment: false,
        enabledForDiskEncryption: false,
        enabledForTemplateDeployment: false,
        publicNetworkAccess: 'Enabled',
        networkAcls: {
          bypass: 'None',
          defaultAction: 'Deny',
          ipRules: ipRanges.map((value: string) => ({ value })),
          virtualNetworkRules: subnets.map((id: string) => ({ id })),
        },
      },
    });
    const audit = only(resources, 'azure-native:monitor:DiagnosticSetting');
    expect(audit.inputs).toMatchObject({
      resourceUri: vaultId,
      workspaceId: config['central-secret-store:logAnalyticsWorkspaceId'],
      logs: [{ categoryGroup: 'allLogs', enabled: true }],
    });
  });

  test('ESO gets "Key Vault Secrets User" on the vault and nowhere wider, for its own identity', () => {
    const assignments = ofType(resources, 'azure-native:authorization:RoleAssignment').filter((r) =>
      r.inputs.roleDefinitionId.endsWith('4633458b-17de-408a-b874-0445c86b69e6'),
    );
    expect(assignments).toHaveLength(1);
    const [assignment] = assignments;
    expect(assignment.inputs.roleDefinitionId).toBe(
      `/subscriptions/${SUBSCRIPTION_ID}/providers/Microsoft.Authorization/roleDefinitions/4633458b-17de-408a-b874-0445c86b69e6`,
    );
    expect(assignment.inputs.scope).toBe(vaultId);
    expect(assignment.inputs.principalType).toBe('ServicePrincipal');
    expect(assignment.inputs.roleAssignmentName).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    if (cluster.kind === 'aks') {
      expect(assignment.inputs.principalId).toBe(`principal-id-of-css-eso-${stack}`);
    } else {
      expect(assignment.inputs.principalId).toMatch(/^sp-object-id-of-/);
    }
  });

  test('the identity matches the cluster kind', () => {
    if (cluster.kind === 'aks') {
      const fic = only(resources, 'azure-native:managedidentity:FederatedIdentityCredential');
      expect(fic.inputs).toEqual({
        resourceName: `css-eso-${stack}`,
        resourceGroupName: `rg-${stack}`,
        federatedIdentityCredentialResourceName: 'eso-0',
        issuer: issuerOf(stack),
        subject: 'system:serviceaccount:external-secrets:external-secrets',
        audiences: ['api://AzureADTokenExchange'],
      });
      expect(ofType(resources, 'azuread:index/application:Application')).toEqual([]);
    } else {
      expect(ofType(resources, 'azure-native:managedidentity:UserAssignedIdentity')).toEqual([]);
      const password = only(resources, 'azuread:index/applicationPassword:ApplicationPassword');
      expect(password.inputs.endDate).toBe('2027-05-31T00:00:00Z');
      expect(password.inputs.rotateWhenChanged).toEqual({ endDate: '2027-05-31T00:00:00Z' });
    }
  });

  test('AKS clusters get a rotated Key Vault key for KMS etcd encryption, usable by the cluster alone', () => {
    const keys = ofType(resources, 'azure-native:keyvault:Key');
    const grants = ofType(resources, 'azure-native:authorization:RoleAssignment').filter((r) =>
      r.inputs.roleDefinitionId.endsWith('12338af0-0e69-4776-bea7-57ae8d297424'),
    );
    if (cluster.kind !== 'aks') {
      expect(keys).toEqual([]);
      expect(grants).toEqual([]);
      return;
    }
    expect(keys).toHaveLength(1);
    expect(keys[0].inputs).toEqual({
      vaultName: environment.keyVault.name,
      resourceGroupName: `css-${environment.name}`,
      keyName: `etcd-kms-${stack}`,
      properties: {
        kty: 'RSA',
        keySize: 2048,
        keyOps: ['encrypt', 'decrypt', 'wrapKey', 'unwrapKey'],
        rotationPolicy: {
          attributes: { expiryTime: 'P1Y' },
          lifetimeActions: [{ action: { type: 'rotate' }, trigger: { timeAfterCreate: 'P90D' } }],
        },
      },
    });
    expect(grants).toHaveLength(1);
    expect(grants[0].inputs).toMatchObject({
      principalId: `aks-principal-of-${stack}`,
      scope: `${vaultId}/keys/etcd-kms-${stack}`,
      principalType: 'ServicePrincipal',
    });
  });

  test('ESO is installed from chart 2.9.0 with explicit values', () => {
    const release = releaseOf(resources, ESO_CHART.name);
    const config = stackFileConfig(stack);
    expect(release.inputs).toMatchObject({
      chart: ESO_CHART.name,
      version: '2.9.0',
      repositoryOpts: { repo: ESO_CHART.repo },
      namespace: 'external-secrets',
      createNamespace: true,
      atomic: true,
    });
    expect(release.inputs.values).toEqual(
      esoChartValues({
        replicas: Number(config['central-secret-store:esoReplicas'] ?? 1),
        copies: copiesOn(catalogue, stack),
        serviceMonitor: config['central-secret-store:serviceMonitor'] !== 'false',
      }),
    );
  });

  test("Reloader is installed next to ESO from stakater's repository, pinned, with explicit values", () => {
    expect(
      ofType(resources, RELEASE)
        .map((r) => r.inputs.chart)
        .sort(),
    ).toEqual(['external-secrets', 'reloader']);
    const release = releaseOf(resources, 'reloader');
    expect(release.inputs).toEqual({
      name: 'reloader',
      chart: 'reloader',
      version: '2.2.11',
      repositoryOpts: { repo: 'https://stakater.github.io/stakater-charts' },
      namespace: 'reloader',
      createNamespace: true,
      atomic: true,
      timeout: 300,
      values: reloaderChartValues(),
      compat: 'true', // set by the Pulumi Kubernetes SDK on every Release
    });
    expect(RELOADER_CHART.version).toBe('2.2.11');
    // Only opted-in workloads, rolled by a pod-template annotation.
    expect(release.inputs.values.reloader).toMatchObject({ autoReloadAll: false, reloadStrategy: 'annotations', watchGlobally: true });
    expect(release.parent).toBe(only(resources, 'central-secret-store:kubernetes:ReloaderRelease').urn);
  });

  test("the product's PrometheusRule is applied after ESO where its ServiceMonitor is on", () => {
    const alerts = ofType(resources, 'kubernetes:yaml/v2:ConfigGroup').filter((g) => g.name.endsWith('-eso-alerts'));
    if (stackFileConfig(stack)['central-secret-store:serviceMonitor'] === 'false') {
      expect(alerts).toEqual([]);
      return;
    }
    expect(alerts).toHaveLength(1);
    expect(alerts[0].inputs.objs).toEqual(esoAlertObjects());
    expect(alerts[0].inputs.objs.map((o: any) => [o.kind, o.metadata.namespace])).toEqual([['PrometheusRule', 'external-secrets']]);
    expect(alerts[0].dependencies).toContain(releaseOf(resources, ESO_CHART.name).urn);
  });

  test("every object of the cluster's synth output is applied exactly once: cluster-scoped first, after ESO is ready, then the tenants' sets, a tenant's objects all in one", () => {
    const manifests = synthesizeCluster(catalogue, stack);
    const sets = manifestSetsOf(resources);
    const cluster = sets.get(CLUSTER_SET)!;
    expect(cluster.inputs.objects).toEqual(Object.fromEntries(manifests.clusterScoped.map((o) => [objectKey(o), o])));
    const tenantOf = new Map(
      manifests.clusterScoped
        .filter((o) => o.kind === 'Namespace')
        .map((o) => [o.metadata.name, (o.metadata.labels as Record<string, string>)[TENANT_LABEL]]),
    );
    const shared = (o: any) => o.metadata.annotations?.['central-secret-store.io/owns-fields'] !== undefined;
    for (const o of manifests.namespaced) {
      const tenant = tenantOf.get(o.metadata.namespace!);
      const set = sets.get(tenant === undefined ? CENTRAL_SET : tenantSet(tenant))!;
      expect((shared(o) ? set.inputs.shared : set.inputs.objects)[objectKey(o)]).toEqual(o);
    }
    const applied = [...sets.values()].flatMap((s) => [...Object.keys(s.inputs.objects), ...Object.keys(s.inputs.shared)]);
    expect(applied.sort()).toEqual([...manifests.clusterScoped, ...manifests.namespaced].map(objectKey).sort());
    expect(new Set([...sets.values()].map((s) => s.inputs.fieldManager))).toEqual(new Set([PRODUCT_FIELD_MANAGER]));
    const urn = (type: string) => only(resources, type).urn;
    const esoRelease = releaseOf(resources, ESO_CHART.name).urn;
    expect(cluster.dependencies).toEqual(expect.arrayContaining([esoRelease, urn('kubernetes:core/v1:Secret')]));
    for (const set of [...sets.values()].filter((s) => s !== cluster)) expect(set.dependencies).toEqual([cluster.urn]);
    expect(sets.size).toBeLessThanOrEqual(2 + TENANT_SETS);
    const secret = only(resources, 'kubernetes:core/v1:Secret');
    expect(secret.dependencies).toContain(esoRelease);
  });

  test('ServiceAccounts given pull secrets are shared: their imagePullSecrets are applied, the ServiceAccount is never owned', () => {
    const expected = synthesizeCluster(catalogue, stack).namespaced.filter(
      (o) => o.kind === 'ServiceAccount' && o.metadata.namespace !== 'central-secret-store',
    );
    const shared = [...manifestSetsOf(resources).values()].flatMap((s) => Object.values<any>(s.inputs.shared));
    expect(shared.sort((a, b) => objectKey(a).localeCompare(objectKey(b)))).toEqual(
      expected.sort((a, b) => objectKey(a).localeCompare(objectKey(b))),
    );
    // The example sets them on the prod cluster only.
    expect(shared.length > 0).toBe(stack === 'aks-weu-prod');
    expect(ofType(resources, 'kubernetes:core/v1:ServiceAccount')).toEqual([]);
  });

  test('no secret value is in plaintext in any input', () => {
    const needles = [
      'mock-password-value-never-in-plaintext',
      'EDGE-TOKEN-VALUE',
      ...Object.values(SECRETS.vaultSecretValues),
      MOCK_KUBECONFIG.trim(),
    ];
    const leaks = resources.flatMap((r) => needles.flatMap((n) => plaintextPaths(r.wireInputs, n).map((p) => `${r.type} ${r.name}${p}`)));
    expect(leaks).toEqual([]);
  });

  test('children are parented under the deployment with stable names', () => {
    const root = only(resources, 'central-secret-store:index:ClusterDeployment');
    expect(root.name).toBe(stack);
    for (const r of resources.filter((x) => x !== root)) expect(r.parent).not.toBe('');
    expect(resources.map((r) => r.name).filter((n) => /-[0-9a-f]{7,8}$/.test(n))).toEqual([]);
  });
});

describe('vault secrets written by Pulumi', () => {
  test('are secret, carry their expiry, and only the owning stack writes them', async () => {
    const { resources } = await deploy('aks-weu-prod');
    // The canary's marker is written by every stack (test/stacks/canary.test.ts).
    const secrets = ofType(resources, 'azure-native:keyvault:Secret').filter((s) => s.inputs.secretName !== 'css-canary-aks-weu-prod');
    expect(secrets.map((s) => s.inputs.secretName).sort()).toEqual(['datadog-api-key', 'datadog-app-key']);
    const api = secrets.find((s) => s.inputs.secretName === 'datadog-api-key')!;
    const wire = api.wireInputs as any;
    expect(wire.vaultName).toBe('contoso-css-prod');
    expect(wire.properties.attributes).toEqual({ enabled: true, expires: Date.parse('2027-06-30T00:00:00Z') / 1000 });
    expect(plaintextPaths(api.wireInputs, 'dd-api-key-VALUE-1')).toEqual([]);
    expect(JSON.stringify(api.wireInputs)).toContain('4dabf18193072939515e22adb298388d');
  });
});

describe('the canary', () => {
  const valueOf = (deployment: ClusterDeployment) =>
    new Promise<string | undefined>((resolve) => (deployment.canary ? deployment.canary.apply(resolve) : resolve(undefined)));
  const canarySecret = (resources: readonly RecordedResource[]) =>
    only(
      resources.filter((r) => String(r.inputs.secretName).startsWith('css-canary-')),
      'azure-native:keyvault:Secret',
    );

  test.each(['aks-weu-prod', 'edge-k3s-ams-01'])(
    "stack %s writes the cluster's canary into its environment's Key Vault, owner or not, and exports it",
    async (stack) => {
      let expected = '';
      const { result, resources } = await runWithMocks(
        stack,
        { ...stackFileConfig(stack), ...secretConfig(stack) },
        Object.keys(secretConfig(stack)),
        () => {
          const config = readStackConfig(() => catalogue);
          expected = canaryValue(synthesizeCluster(catalogue, stack), config.settings);
          return new ClusterDeployment(config.cluster.name, { config });
        },
      );
      expect(expected).toMatch(/^[0-9a-f]{16}$/);
      expect(await valueOf(result)).toBe(expected);
      const secret = canarySecret(resources);
      expect(secret.inputs).toEqual({
        vaultName: 'contoso-css-prod',
        resourceGroupName: 'css-prod',
        secretName: `css-canary-${stack}`,
        properties: { value: expected, contentType: CANARY_CONTENT_TYPE, attributes: { enabled: true } },
      });
      // Written once the vault exists: the owning stack creates it in the same run.
      if (stack === 'aks-weu-prod') expect(secret.dependencies).toContain(ofType(resources, 'azure-native:keyvault:Vault')[0].urn);
    },
  );

  test('a second deployment of the same catalogue and settings writes the same value; a change to the manifests or the settings writes a new one', async () => {
    const first = await valueOf((await deploy('aks-weu-staging')).result);
    expect(await valueOf((await deploy('aks-weu-staging')).result)).toBe(first);
    const faster = {
      ...catalogue,
      clusters: catalogue.clusters.map((c) => (c.name === 'aks-weu-staging' ? { ...c, refreshInterval: '30s' } : c)),
    };
    const changedManifests = await valueOf((await deploy('aks-weu-staging', {}, faster)).result);
    const changedSettings = await valueOf((await deploy('aks-weu-staging', { 'central-secret-store:esoReplicas': '2' })).result);
    expect(new Set([first, changedManifests, changedSettings]).size).toBe(3);
    // Another cluster's manifests are not this cluster's deployment.
    const otherCluster = {
      ...catalogue,
      clusters: catalogue.clusters.map((c) => (c.name === 'aks-weu-prod' ? { ...c, refreshInterval: '30s' } : c)),
    };
    expect(await valueOf((await deploy('aks-weu-staging', {}, otherCluster)).result)).toBe(first);
  });

  test('with canaryCheckImage and canaryPushgateway, the in-cluster check expects the value this deployment writes', async () => {
    const image = `registry.example/kubectl@sha256:${'f'.repeat(64)}`;
    const { result, resources } = await deploy('aks-weu-staging', {
      'central-secret-store:canaryCheckImage': image,
      'central-secret-store:canaryPushgateway': 'http://gw:9091',
    });
    const written = await valueOf(result);
    const check = only(
      ofType(resources, 'kubernetes:yaml/v2:ConfigGroup').filter((g) => g.name.endsWith('-canary-check')),
      'kubernetes:yaml/v2:ConfigGroup',
    );
    const cronJob = check.inputs.objs.find((o: any) => o.kind === 'CronJob');
    const env = Object.fromEntries(cronJob.spec.jobTemplate.spec.template.spec.containers[0].env.map((e: any) => [e.name, e.value]));
    expect(env).toMatchObject({
      NAMESPACE: 'central-secret-store-canary',
      COPY: 'canary-opaque',
      EXPECTED_SHA256: createHash('sha256').update(written!).digest('hex'),
    });
    expect(cronJob.spec.jobTemplate.spec.template.spec.containers[0].image).toBe(image);
    expect(
      ofType((await deploy('aks-weu-staging')).resources, 'kubernetes:yaml/v2:ConfigGroup').filter((g) => g.name.endsWith('-canary-check')),
    ).toEqual([]);
  });

  test("the canary alert's bound is the catalogue's", async () => {
    const slower = {
      ...catalogue,
      clusters: catalogue.clusters.map((c) =>
        c.name === 'aks-weu-staging' ? { ...c, canary: { enabled: true, namespace: 'central-secret-store-canary', bound: '20m0s' } } : c,
      ),
    };
    const alerts = only(
      ofType((await deploy('aks-weu-staging', {}, slower)).resources, 'kubernetes:yaml/v2:ConfigGroup').filter((g) =>
        g.name.endsWith('-eso-alerts'),
      ),
      'kubernetes:yaml/v2:ConfigGroup',
    );
    const stale = alerts.inputs.objs[0].spec.groups
      .flatMap((g: any) => g.rules)
      .find((r: any) => r.alert === 'CentralSecretStoreCanaryStale');
    expect(stale.expr).toMatch(/ > 1200$/);
  });

  test('a cluster without a canary writes none and exports none', async () => {
    const without = {
      ...catalogue,
      clusters: catalogue.clusters.map((c) =>
        c.name === 'aks-weu-staging' ? { ...c, canary: { enabled: false, namespace: 'central-secret-store-canary', bound: '15m0s' } } : c,
      ),
    };
    const { result, resources } = await deploy('aks-weu-staging', {}, without);
    expect(ofType(resources, 'azure-native:keyvault:Secret')).toEqual([]);
    expect(result.canary).toBeUndefined();
  });
});

describe('validity windows reach Key Vault', () => {
  test("a tenant secret written by Pulumi takes the catalogue's notBefore and expires", async () => {
    const { resources } = await deploy('aks-weu-prod', {
      'central-secret-store:vaultSecrets': JSON.stringify([{ name: 'payments--settlement-signing-key' }]),
      'central-secret-store:vaultSecretValues': JSON.stringify({ 'payments--settlement-signing-key': 'k' }),
    });
    const secret = only(
      resources.filter((r) => r.inputs.secretName !== 'css-canary-aks-weu-prod'),
      'azure-native:keyvault:Secret',
    );
    expect((secret.wireInputs as any).properties.attributes).toEqual({
      enabled: true,
      expires: Date.parse('2028-06-30T00:00:00Z') / 1000,
      notBefore: Date.parse('2026-01-01T00:00:00Z') / 1000,
    });
  });
});

describe("the stack's chart, values and Reloader settings reach the cluster", () => {
  test("charts from a local folder and an OCI mirror, ESO values laid over the product's", async () => {
    const { resources } = await deploy('edge-k3s-ams-01', {
      'central-secret-store:esoChart': JSON.stringify({ path: '/srv/charts/external-secrets' }),
      'central-secret-store:reloaderChart': JSON.stringify({ repo: 'oci://registry.edge.example/stakater' }),
      'central-secret-store:esoValues': JSON.stringify({
        image: { repository: 'registry.edge.example/external-secrets', pullPolicy: 'IfNotPresent' },
      }),
    });
    const eso = releaseOf(resources, '/srv/charts/external-secrets');
    expect(eso.inputs).not.toHaveProperty('repositoryOpts');
    expect(eso.inputs).not.toHaveProperty('version');
    expect(eso.inputs.values).toEqual({
      ...esoChartValues({ serviceMonitor: false }),
      image: { repository: 'registry.edge.example/external-secrets', pullPolicy: 'IfNotPresent' },
    });
    const reloader = releaseOf(resources, 'oci://registry.edge.example/stakater/reloader');
    expect(reloader.inputs).toMatchObject({ name: 'reloader', version: RELOADER_CHART.version, values: reloaderChartValues() });
    expect(reloader.inputs).not.toHaveProperty('repositoryOpts');
  });

  test('reloader false: ESO and the manifests without Reloader, where the platform runs its own', async () => {
    const { resources } = await deploy('aks-weu-staging', { 'central-secret-store:reloader': 'false' });
    expect(ofType(resources, RELEASE).map((r) => r.inputs.chart)).toEqual([ESO_CHART.name]);
    expect(ofType(resources, 'kubernetes:yaml/v2:ConfigGroup').map((g) => g.name)).toEqual(['aks-weu-staging-eso-alerts']);
    expect(manifestSetsOf(resources).get(CLUSTER_SET)?.name).toBe('aks-weu-staging-secrets-cluster.scoped');
  });
});

describe('stack config errors are reported at once, before any resource', () => {
  test('a generic cluster without kubeconfig or password end date', async () => {
    const config = { ...stackFileConfig('edge-k3s-ams-01') };
    delete config['central-secret-store:servicePrincipalPasswordEndDate'];
    let error: Error | undefined;
    await runWithMocks('edge-k3s-ams-01', config, [], () => {
      try {
        const c = readStackConfig(() => catalogue);
        new ClusterDeployment(c.cluster.name, { config: c });
      } catch (e) {
        error = e as Error;
      }
    });
    expect(error?.message).toBe(
      [
        'Stack edge-k3s-ams-01 cannot be deployed:',
        '  - central-secret-store:kubeconfig: required for a generic cluster, as a secret: pulumi config set --secret kubeconfig < kubeconfig.yaml',
        '  - central-secret-store:servicePrincipalPasswordEndDate: required for a generic cluster of a Key Vault environment: ESO signs in with a service principal',
      ].join('\n'),
    );
  });

  test('bad values name the config key', async () => {
    let error: Error | undefined;
    await runWithMocks(
      'aks-weu-staging',
      {
        ...stackFileConfig('aks-weu-staging'),
        'central-secret-store:keyVaultSku': 'gold',
        'central-secret-store:keyVaultAllowedIpRanges': '["everywhere"]',
      },
      [],
      () => {
        try {
          readStackConfig(() => catalogue);
        } catch (e) {
          error = e as Error;
        }
      },
    );
    expect(error?.message).toMatch(/central-secret-store:keyVaultSku: Invalid option/);
    expect(error?.message).toMatch(/central-secret-store:keyVaultAllowedIpRanges\.0: must be an IPv4 address or CIDR range/);
  });

  test('a vault secret the catalogue does not reference', async () => {
    let error: Error | undefined;
    await runWithMocks(
      'aks-weu-prod',
      {
        ...stackFileConfig('aks-weu-prod'),
        'central-secret-store:vaultSecrets': JSON.stringify([{ name: 'random-thing', expires: '2027-01-01T00:00:00Z' }]),
        'central-secret-store:vaultSecretValues': '{}',
      },
      ['central-secret-store:vaultSecretValues'],
      () => {
        try {
          const c = readStackConfig(() => catalogue);
          new ClusterDeployment(c.cluster.name, { config: c });
        } catch (e) {
          error = e as Error;
        }
      },
    );
    expect(error?.message).toMatch(/vaultSecrets: "random-thing" is not a Key Vault secret the catalogue references/);
  });
});
