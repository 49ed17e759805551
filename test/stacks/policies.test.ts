import type { ResourceValidationArgs, ResourceValidationPolicy } from '@pulumi/policy';
import { ClusterDeployment } from '../../stacks/cluster-deployment';
import { readStackConfig } from '../../stacks/config';
import * as policies from '../../stacks/policy/policies';
import { loadCatalogue } from '../../tenants/lib';
import { runWithMocks, stackFileConfig, unwrapSecrets } from '../support/pulumi-mocks';

/** Runs one validator on a hand-made resource and returns the violations it reports. */
function violations(policy: ResourceValidationPolicy, type: string, props: Record<string, any>): string[] {
  const reported: string[] = [];
  const args = { type, props, urn: `urn:pulumi:stack::project::${type}::r`, name: 'r', opts: {}, stackTags: new Map(), isType: () => true, asType: () => undefined, getConfig: () => ({}), notApplicable: () => undefined } as unknown as ResourceValidationArgs;
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

beforeAll(() => jest.useFakeTimers({ now: new Date('2026-11-22T00:00:00Z'), doNotFake: ['setTimeout', 'setImmediate', 'nextTick', 'queueMicrotask'] }));
afterAll(() => jest.useRealTimers());

describe('policy validators', () => {
  test('key-vault-secure-defaults', () => {
    expect(violations(policies.keyVaultSecureDefaults, VAULT, goodVault)).toEqual([]);
    expect(violations(policies.keyVaultSecureDefaults, VAULT, { properties: { ...goodVault.properties, enableRbacAuthorization: false, softDeleteRetentionInDays: 7 } })).toEqual([
      'enableRbacAuthorization must be true: access policies grant whole-vault access',
      'softDeleteRetentionInDays must be 90, got 7',
    ]);
    expect(violations(policies.keyVaultSecureDefaults, VAULT, { properties: { ...goodVault.properties, publicNetworkAccess: 'Enabled', networkAcls: { defaultAction: 'Allow' } } })).toEqual([
      'public network access must be Disabled, or the firewall (networkAcls.defaultAction) must be Deny',
    ]);
    expect(violations(policies.keyVaultSecureDefaults, 'azure-native:storage:StorageAccount', {})).toEqual([]);
  });

  test('key-vault-role-least-privilege', () => {
    expect(violations(policies.roleAssignmentLeastPrivilege, ROLE, { roleDefinitionId: roleId, scope: vaultScope })).toEqual([]);
    expect(violations(policies.roleAssignmentLeastPrivilege, ROLE, { roleDefinitionId: roleId, scope: '/subscriptions/s/resourceGroups/g' })).toEqual(['scope must be a single Key Vault, got /subscriptions/s/resourceGroups/g']);
    expect(violations(policies.roleAssignmentLeastPrivilege, ROLE, { roleDefinitionId: roleId.replace('4633458b-17de-408a-b874-0445c86b69e6', 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7'), scope: vaultScope })).toHaveLength(1);
    const cryptoUser = roleId.replace('4633458b-17de-408a-b874-0445c86b69e6', '12338af0-0e69-4776-bea7-57ae8d297424');
    expect(violations(policies.roleAssignmentLeastPrivilege, ROLE, { roleDefinitionId: cryptoUser, scope: `${vaultScope}/keys/etcd` })).toEqual([]);
    expect(violations(policies.roleAssignmentLeastPrivilege, ROLE, { roleDefinitionId: cryptoUser, scope: vaultScope })).toEqual([`scope must be a single Key Vault key, got ${vaultScope}`]);
  });

  test('federated-credential-audience', () => {
    const type = 'azure-native:managedidentity:FederatedIdentityCredential';
    expect(violations(policies.federatedCredentialAudience, type, { audiences: ['api://AzureADTokenExchange'], subject: 'system:serviceaccount:external-secrets:external-secrets' })).toEqual([]);
    expect(violations(policies.federatedCredentialAudience, type, { audiences: ['api://other'], subject: 'repo:org/x:ref:refs/heads/main' })).toHaveLength(2);
  });

  test('eso-chart-pinned', () => {
    const type = 'kubernetes:helm.sh/v3:Release';
    expect(violations(policies.esoChartPinned, type, { chart: 'external-secrets', version: '2.9.0' })).toEqual([]);
    expect(violations(policies.esoChartPinned, type, { chart: 'external-secrets' })).toEqual(['external-secrets chart must be version 2.9.0, got unpinned']);
    expect(violations(policies.esoChartPinned, type, { chart: 'other', version: '1.0.0' })).toEqual([]);
  });

  test('key-vault-secret-expires', () => {
    const type = 'azure-native:keyvault:Secret';
    expect(violations(policies.vaultSecretsExpire, type, { properties: { attributes: { expires: 1814313600 } } })).toEqual([]);
    expect(violations(policies.vaultSecretsExpire, type, { properties: {} })).toHaveLength(1);
  });

  test('service-principal-password-expires', () => {
    const type = 'azuread:index/applicationPassword:ApplicationPassword';
    expect(violations(policies.servicePrincipalPasswordExpires, type, { endDate: '2027-05-31T00:00:00Z', rotateWhenChanged: { endDate: 'x' } })).toEqual([]);
    expect(violations(policies.servicePrincipalPasswordExpires, type, { endDate: '2030-01-01T00:00:00Z' })).toEqual([
      'endDate 2030-01-01T00:00:00Z is more than 366 days away',
      'rotateWhenChanged must be set so that the password rotates',
    ]);
  });

  test('no-plaintext-secrets-in-manifests', () => {
    const type = 'kubernetes:yaml/v2:ConfigGroup';
    expect(violations(policies.noPlaintextSecretsInManifests, type, { objs: [{ kind: 'ExternalSecret', metadata: { name: 'x' } }] })).toEqual([]);
    expect(violations(policies.noPlaintextSecretsInManifests, type, { objs: [{ kind: 'Secret', metadata: { name: 'x', namespace: 'n' }, data: { a: 'b' } }] })).toHaveLength(1);
  });
});

describe('the example stacks satisfy every policy', () => {
  const catalogue = loadCatalogue();
  test.each(['aks-weu-staging', 'aks-weu-prod', 'edge-k3s-ams-01'])('%s', async (stack) => {
    const secrets: Record<string, string> =
      stack === 'edge-k3s-ams-01' ? { 'central-secret-store:kubeconfig': 'k' } : stack === 'aks-weu-prod' ? { 'central-secret-store:vaultSecretValues': '{"datadog-api-key":"a","datadog-app-key":"b"}' } : {};
    const { resources } = await runWithMocks(stack, { ...stackFileConfig(stack), ...secrets }, Object.keys(secrets), () => {
      const config = readStackConfig();
      return new ClusterDeployment(config.cluster, { catalogue, config });
    });
    expect(resources.length).toBeGreaterThan(8);
    const found = resources.flatMap((r) => policies.ALL_POLICIES.flatMap((p) => violations(p, r.type, unwrapSecrets(r.inputs)).map((v) => `${p.name} ${r.type} ${r.name}: ${v}`)));
    expect(found).toEqual([]);
  });
});
