import type { ResourceValidationArgs, ResourceValidationPolicy } from '@pulumi/policy';
import fc from 'fast-check';
import { CANARY_CONTENT_TYPE } from '../../stacks/canary';
import { ClusterDeployment } from '../../stacks/cluster-deployment';
import { readStackConfig } from '../../stacks/config';
import * as policies from '../../stacks/policy/policies';
import { loadCatalogue, mastersPolicyOf, tenantPolicyOf, vaultSettingsSchema } from '../../tenants/lib';
import { runWithMocks, stackFileConfig, unwrapSecrets } from '../support/pulumi-mocks';
import { FIXTURE_CATALOGUE_DIR } from '../support/fixture-catalogue';

/** Runs one validator on a hand-made resource and returns the violations it reports. */
function violations(policy: ResourceValidationPolicy, type: string, props: Record<string, any>): string[] {
  const reported: string[] = [];
  const args = {
    type,
    props,
    urn: `urn:pulumi:stack::project::${type}::r`,
    name: 'r',
    opts: {},
    stackTags: new Map(),
    isType: () => true,
    asType: () => undefined,
    getConfig: () => ({}),
    notApplicable: () => undefined,
  } as unknown as ResourceValidationArgs;
  (policy.validateResource as (a: ResourceValidationArgs, r: (m: string) => void) => void)(args, (message) => reported.push(message));
  return reported;
}

const goodVault = {
  properties: {
    enableRbacAuthorization: true,
    enablePurgeProtection: true,
    enableSoftDelete: true,
    softDeleteRetentionInDays: 90,
    publicNetworkAccess: 'Disabled',
    networkAcls: { defaultAction: 'Deny', bypass: 'None' },
    enabledForDeployment: false,
  },
};
const VAULT = 'azure-native:keyvault:Vault';
const ROLE = 'azure-native:authorization:RoleAssignment';
const roleId = '/subscriptions/s/providers/Microsoft.Authorization/roleDefinitions/4633458b-17de-408a-b874-0445c86b69e6';
const vaultScope = '/subscriptions/s/resourceGroups/g/providers/Microsoft.KeyVault/vaults/v';

beforeAll(() =>
  jest.useFakeTimers({ now: new Date('2026-11-22T00:00:00Z'), doNotFake: ['setTimeout', 'setImmediate', 'nextTick', 'queueMicrotask'] }),
);
afterAll(() => jest.useRealTimers());

describe('policy validators', () => {
  test('key-vault-secure-defaults', () => {
    expect(violations(policies.keyVaultSecureDefaults, VAULT, goodVault)).toEqual([]);
    expect(
      violations(policies.keyVaultSecureDefaults, VAULT, {
        properties: { ...goodVault.properties, enableRbacAuthorization: false, softDeleteRetentionInDays: 7 },
      }),
    ).toEqual([
      'enableRbacAuthorization must be true: access policies grant whole-vault access',
      'softDeleteRetentionInDays must be 90, got 7',
    ]);
    expect(
      violations(policies.keyVaultSecureDefaults, VAULT, {
        properties: { ...goodVault.properties, publicNetworkAccess: 'Enabled', networkAcls: { defaultAction: 'Allow' } },
      }),
    ).toEqual(['public network access must be Disabled, or the firewall (networkAcls.defaultAction) must be Deny']);
    expect(violations(policies.keyVaultSecureDefaults, 'azure-native:storage:StorageAccount', {})).toEqual([]);
  });

  test('key-vault-role-least-privilege', () => {
    expect(violations(policies.roleAssignmentLeastPrivilege, ROLE, { roleDefinitionId: roleId, scope: vaultScope })).toEqual([]);
    expect(
      violations(policies.roleAssignmentLeastPrivilege, ROLE, { roleDefinitionId: roleId, scope: '/subscriptions/s/resourceGroups/g' }),
    ).toEqual(['scope must be a single Key Vault, got /subscriptions/s/resourceGroups/g']);
    expect(
      violations(policies.roleAssignmentLeastPrivilege, ROLE, {
        roleDefinitionId: roleId.replace('4633458b-17de-408a-b874-0445c86b69e6', 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7'),
        scope: vaultScope,
      }),
    ).toHaveLength(1);
    const cryptoUser = roleId.replace('4633458b-17de-408a-b874-0445c86b69e6', '12338af0-0e69-4776-bea7-57ae8d297424');
    expect(
      violations(policies.roleAssignmentLeastPrivilege, ROLE, { roleDefinitionId: cryptoUser, scope: `${vaultScope}/keys/etcd` }),
    ).toEqual([]);
    expect(violations(policies.roleAssignmentLeastPrivilege, ROLE, { roleDefinitionId: cryptoUser, scope: vaultScope })).toEqual([
      `scope must be a single Key Vault key, got ${vaultScope}`,
    ]);
  });

  test('federated-credential-audience', () => {
    const type = 'azure-native:managedidentity:FederatedIdentityCredential';
    expect(
      violations(policies.federatedCredentialAudience, type, {
        audiences: ['api://AzureADTokenExchange'],
        subject: 'system:serviceaccount:external-secrets:external-secrets',
      }),
    ).toEqual([]);
    expect(
      violations(policies.federatedCredentialAudience, type, { audiences: ['api://other'], subject: 'repo:org/x:ref:refs/heads/main' }),
    ).toHaveLength(2);
  });

  test('eso-chart-pinned', () => {
    const type = 'kubernetes:helm.sh/v3:Release';
    expect(violations(policies.esoChartPinned, type, { chart: 'external-secrets', version: '2.9.0' })).toEqual([]);
    expect(violations(policies.esoChartPinned, type, { chart: 'external-secrets' })).toEqual([
      'external-secrets chart must be version 2.9.0, got unpinned',
    ]);
    expect(violations(policies.esoChartPinned, type, { chart: 'other', version: '1.0.0' })).toEqual([]);
    // An OCI mirror of the chart (esoChart.repo) is held to the same pin.
    expect(violations(policies.esoChartPinned, type, { chart: 'oci://mirror.example/charts/external-secrets', version: '2.9.0' })).toEqual(
      [],
    );
    expect(violations(policies.esoChartPinned, type, { chart: 'oci://mirror.example/charts/external-secrets', version: '2.8.0' })).toEqual([
      'external-secrets chart must be version 2.9.0, got 2.8.0',
    ]);
  });

  test('key-vault-secret-expires', () => {
    const type = 'azure-native:keyvault:Secret';
    expect(violations(policies.vaultSecretsExpire, type, { properties: { attributes: { expires: 1814313600 } } })).toEqual([]);
    expect(violations(policies.vaultSecretsExpire, type, { properties: {} })).toHaveLength(1);
    // The canary marker alone may go without: it is named and typed as the stack writes it.
    const canary = {
      secretName: 'css-canary-aks-weu-prod',
      properties: { value: '0123456789abcdef', contentType: CANARY_CONTENT_TYPE, attributes: { enabled: true } },
    };
    expect(policies.CANARY_SECRET.contentType).toBe(CANARY_CONTENT_TYPE);
    expect(violations(policies.vaultSecretsExpire, type, canary)).toEqual([]);
    expect(violations(policies.vaultSecretsExpire, type, { ...canary, secretName: 'datadog-api-key' })).toHaveLength(1);
    expect(
      violations(policies.vaultSecretsExpire, type, { ...canary, properties: { ...canary.properties, contentType: 'text/plain' } }),
    ).toHaveLength(1);
  });

  test('service-principal-password-expires', () => {
    const type = 'azuread:index/applicationPassword:ApplicationPassword';
    expect(
      violations(policies.servicePrincipalPasswordExpires, type, { endDate: '2027-05-31T00:00:00Z', rotateWhenChanged: { endDate: 'x' } }),
    ).toEqual([]);
    expect(violations(policies.servicePrincipalPasswordExpires, type, { endDate: '2030-01-01T00:00:00Z' })).toEqual([
      'endDate 2030-01-01T00:00:00Z is more than 366 days away',
      'rotateWhenChanged must be set so that the password rotates',
    ]);
  });

  test('no-plaintext-secrets-in-manifests', () => {
    const type = policies.MANIFEST_SET_TYPE;
    expect(
      violations(policies.noPlaintextSecretsInManifests, type, {
        objects: { 'ExternalSecret n/x': { kind: 'ExternalSecret', metadata: { name: 'x', namespace: 'n' } } },
      }),
    ).toEqual([]);
    expect(
      violations(policies.noPlaintextSecretsInManifests, type, {
        objects: { 'Secret n/x': { kind: 'Secret', metadata: { name: 'x', namespace: 'n' }, data: { a: 'b' } } },
      }),
    ).toHaveLength(1);
    expect(
      violations(policies.noPlaintextSecretsInManifests, type, {
        shared: { 'Secret n/y': { kind: 'Secret', metadata: { name: 'y', namespace: 'n' } } },
      }),
    ).toHaveLength(1);
  });
});

describe('Vault policy validators', () => {
  const POLICY = 'vault:index/policy:Policy';
  const policy = (name: string, path: Record<string, unknown>) => ({ name, policy: JSON.stringify({ path }) });
  const read = { capabilities: ['read'] };

  test("vault-policy-confined: a tenant's whole mount, exact master paths", () => {
    expect(violations(policies.vaultPolicyConfined, POLICY, policy('css-tenant-a', { 'css-tenant-a/data/*': read }))).toEqual([]);
    expect(
      violations(policies.vaultPolicyConfined, POLICY, policy('css-tenant-a', { 'secret/data/*': read, 'secret/metadata/+/x': read })),
    ).toEqual([]);
    expect(
      violations(
        policies.vaultPolicyConfined,
        POLICY,
        policy('css-masters-c1', { 'css-shared/data/registries/ghcr': read, 'css-shared/data/git/x': read }),
      ),
    ).toEqual([]);
  });

  test("vault-policy-confined: wildcards that reach beyond a tenant's space are refused", () => {
    expect(violations(policies.vaultPolicyConfined, POLICY, policy('css-tenant-a', { 'css-tenant-a*': read }))).toEqual([
      "css-tenant-a*: must be a path in a KV v2 mount, <mount>/data/<path>; a wildcard or a path elsewhere reaches beyond a tenant's space",
    ]);
    expect(violations(policies.vaultPolicyConfined, POLICY, policy('p', { '+/data/*': read, '*': read }))).toHaveLength(2);
    expect(violations(policies.vaultPolicyConfined, POLICY, policy('p', { 'kv/data/tenant-a*': read }))).toEqual([
      'kv/data/tenant-a*: a wildcard must be a whole segment ("+", or "*" at the end); "tenant-a*" would also match names that merely start alike',
    ]);
    expect(
      violations(policies.vaultPolicyConfined, POLICY, policy('p', { 'css-tenant-a/data/*': read, 'css-tenant-b/data/*': read })),
    ).toEqual(['policy covers the mounts css-tenant-a, css-tenant-b; a policy reads one space']);
    expect(violations(policies.vaultPolicyConfined, POLICY, policy('css-masters-c1', { 'css-shared/data/*': read }))).toEqual([
      "css-shared/data/*: the masters' policy names the shared credentials' paths exactly, without wildcards",
    ]);
  });

  test('vault-policy-confined: read only, and JSON only', () => {
    expect(violations(policies.vaultPolicyConfined, POLICY, policy('p', { 'kv/data/x': { capabilities: ['read', 'update'] } }))).toEqual([
      'kv/data/x: capabilities must be ["read"] (ESO only reads), got ["read","update"]',
    ]);
    expect(violations(policies.vaultPolicyConfined, POLICY, { name: 'p', policy: 'path "kv/data/*" { capabilities = ["read"] }' })).toEqual(
      ['policy must be a JSON policy document ({"path": {...}}), so that its paths can be checked'],
    );
  });

  test('every policy the layout writes passes, for every layout and tenant name (property)', () => {
    const layout = fc
      .record({
        tenantSpaces: fc.constantFrom('mounts', 'namespaces'),
        namespace: fc.option(fc.constantFrom('admin', 'admin/x'), { nil: undefined }),
        sharedMount: fc.constantFrom('css-shared', 'kv/shared'),
        tenantPrefix: fc.constantFrom('css-tenant-', 't_', 'tenants/'),
      })
      .map((l) => vaultSettingsSchema.safeParse({ address: 'https://v:8200', ...l }))
      .filter((r) => r.success)
      .map((r) => r.data!);
    const tenant = fc.stringMatching(/^[a-z0-9]([-a-z0-9]{0,20}[a-z0-9])?$/).filter((t) => !t.includes('--'));
    const paths = fc.array(fc.stringMatching(/^[A-Za-z0-9._-]{1,8}(\/[A-Za-z0-9_-]{1,8}){0,2}$/), { minLength: 1, maxLength: 4 });
    fc.assert(
      fc.property(layout, tenant, paths, (vault, name, masters) => {
        for (const p of [tenantPolicyOf(vault, name), mastersPolicyOf(vault, 'c1', masters)]) {
          expect(violations(policies.vaultPolicyConfined, POLICY, { name: p.name, policy: JSON.stringify(p.document, null, 2) })).toEqual(
            [],
          );
        }
      }),
      { numRuns: 100 },
    );
  });

  test('vault-role-bound-to-eso', () => {
    const type = 'vault:kubernetes/authBackendRole:AuthBackendRole';
    const good = {
      boundServiceAccountNames: ['external-secrets'],
      boundServiceAccountNamespaces: ['external-secrets'],
      audience: 'vault:r',
    };
    expect(violations(policies.vaultRoleBoundToEso, type, good)).toEqual([]);
    expect(
      violations(policies.vaultRoleBoundToEso, type, { boundServiceAccountNames: ['*'], boundServiceAccountNamespaces: ['a', 'b'] }),
    ).toEqual([
      'boundServiceAccountNames must name exactly one, without wildcards, got ["*"]',
      'boundServiceAccountNamespaces must name exactly one, without wildcards, got ["a","b"]',
      'audience must be set, so that a token requested for another role is refused',
    ]);
  });
});

describe('the example stacks satisfy every policy', () => {
  const catalogue = loadCatalogue(FIXTURE_CATALOGUE_DIR);
  test.each(['aks-weu-staging', 'aks-weu-prod', 'edge-k3s-ams-01', 'k3s-onprem-01'])('%s', async (stack) => {
    const kubeconfig =
      'apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "https://10.0.0.1:6443", certificate-authority-data: Y2E=}}]\ncontexts: [{name: c, context: {cluster: c, user: u}}]\ncurrent-context: c\nusers: [{name: u, user: {token: t}}]\n';
    const secrets: Record<string, string> =
      stack === 'edge-k3s-ams-01' || stack === 'k3s-onprem-01'
        ? { 'central-secret-store:kubeconfig': kubeconfig }
        : stack === 'aks-weu-prod'
          ? { 'central-secret-store:vaultSecretValues': '{"datadog-api-key":"a","datadog-app-key":"b"}' }
          : {};
    const { resources } = await runWithMocks(stack, { ...stackFileConfig(stack), ...secrets }, Object.keys(secrets), () => {
      const config = readStackConfig(() => catalogue);
      return new ClusterDeployment(config.cluster.name, { config });
    });
    expect(resources.length).toBeGreaterThan(8);
    const found = resources.flatMap((r) =>
      policies.ALL_POLICIES.flatMap((p) =>
        violations(p, r.type, unwrapSecrets(r.inputs)).map((v) => `${p.name} ${r.type} ${r.name}: ${v}`),
      ),
    );
    expect(found).toEqual([]);
  });
});
