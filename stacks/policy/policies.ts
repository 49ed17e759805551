/**
 * The rules every `pulumi preview` and `pulumi up` of this project must satisfy, as policy-pack validators.
 * They live apart from the PolicyPack itself (index.ts) so that tests can call them without starting the
 * policy server.
 */
import type { ResourceValidationPolicy, ReportViolation } from '@pulumi/policy';

const KEY_VAULT_SECRETS_USER = '4633458b-17de-408a-b874-0445c86b69e6';
const KEY_VAULT_CRYPTO_USER = '12338af0-0e69-4776-bea7-57ae8d297424';
const ESO_CHART_VERSION = '2.9.0';
/** The longest a service principal password may live before it must be rotated. */
const MAX_PASSWORD_DAYS = 366;

/** A validator for one resource type; other types are left alone. */
function forType(
  name: string,
  description: string,
  type: string,
  check: (props: Record<string, any>, report: ReportViolation) => void,
): ResourceValidationPolicy {
  return {
    name,
    description,
    enforcementLevel: 'mandatory',
    validateResource: (args, report) => {
      if (args.type === type) check(args.props, report);
    },
  };
}

export const keyVaultSecureDefaults = forType(
  'key-vault-secure-defaults',
  'Key Vaults use RBAC, purge protection, 90 days of soft delete, and no open public access.',
  'azure-native:keyvault:Vault',
  (props, report) => {
    const p = props.properties ?? {};
    if (p.enableRbacAuthorization !== true) report('enableRbacAuthorization must be true: access policies grant whole-vault access');
    if (p.enablePurgeProtection !== true) report('enablePurgeProtection must be true');
    if (p.enableSoftDelete === false) report('enableSoftDelete must not be false');
    if (p.softDeleteRetentionInDays !== 90) report(`softDeleteRetentionInDays must be 90, got ${p.softDeleteRetentionInDays}`);
    const closed = p.publicNetworkAccess === 'Disabled' || p.networkAcls?.defaultAction === 'Deny';
    if (!closed) report('public network access must be Disabled, or the firewall (networkAcls.defaultAction) must be Deny');
    for (const flag of ['enabledForDeployment', 'enabledForDiskEncryption', 'enabledForTemplateDeployment']) {
      if (p[flag] === true) report(`${flag} must be false`);
    }
  },
);

export const roleAssignmentLeastPrivilege = forType(
  'key-vault-role-least-privilege',
  'Role assignments grant only "Key Vault Secrets User" on one vault, or "Key Vault Crypto User" on one key.',
  'azure-native:authorization:RoleAssignment',
  (props, report) => {
    const role = typeof props.roleDefinitionId === 'string' ? props.roleDefinitionId.split('/').pop() : undefined;
    const scope = typeof props.scope === 'string' ? props.scope : '';
    if (role === KEY_VAULT_SECRETS_USER) {
      if (!/\/providers\/Microsoft\.KeyVault\/vaults\/[^/]+$/i.test(scope)) report(`scope must be a single Key Vault, got ${props.scope}`);
    } else if (role === KEY_VAULT_CRYPTO_USER) {
      if (!/\/providers\/Microsoft\.KeyVault\/vaults\/[^/]+\/keys\/[^/]+$/i.test(scope)) report(`scope must be a single Key Vault key, got ${props.scope}`);
    } else {
      report(`roleDefinitionId must be Key Vault Secrets User (${KEY_VAULT_SECRETS_USER}) or Key Vault Crypto User (${KEY_VAULT_CRYPTO_USER}), got ${props.roleDefinitionId}`);
    }
  },
);

export const federatedCredentialAudience = forType(
  'federated-credential-audience',
  'Federated identity credentials trust one Kubernetes ServiceAccount for Azure AD token exchange only.',
  'azure-native:managedidentity:FederatedIdentityCredential',
  (props, report) => {
    if (JSON.stringify(props.audiences) !== JSON.stringify(['api://AzureADTokenExchange'])) report('audiences must be exactly ["api://AzureADTokenExchange"]');
    if (typeof props.subject !== 'string' || !/^system:serviceaccount:[a-z0-9-]+:[a-z0-9-]+$/.test(props.subject)) {
      report(`subject must name one ServiceAccount (system:serviceaccount:<namespace>:<name>), got ${props.subject}`);
    }
  },
);

export const esoChartPinned = forType(
  'eso-chart-pinned',
  `The External Secrets Operator chart is pinned to ${ESO_CHART_VERSION}, the version the manifests are built and tested for.`,
  'kubernetes:helm.sh/v3:Release',
  (props, report) => {
    if (props.chart === 'external-secrets' && props.version !== ESO_CHART_VERSION) report(`external-secrets chart must be version ${ESO_CHART_VERSION}, got ${props.version ?? 'unpinned'}`);
  },
);

export const vaultSecretsExpire = forType(
  'key-vault-secret-expires',
  'Secrets Pulumi writes to Key Vault carry an expiry date.',
  'azure-native:keyvault:Secret',
  (props, report) => {
    if (typeof props.properties?.attributes?.expires !== 'number') report('properties.attributes.expires must be set (seconds since the epoch)');
  },
);

export const servicePrincipalPasswordExpires = forType(
  'service-principal-password-expires',
  `Service principal passwords expire within ${MAX_PASSWORD_DAYS} days and rotate when their end date changes.`,
  'azuread:index/applicationPassword:ApplicationPassword',
  (props, report) => {
    const end = Date.parse(props.endDate);
    if (Number.isNaN(end)) report('endDate must be set');
    else if (end - Date.now() > MAX_PASSWORD_DAYS * 86_400_000) report(`endDate ${props.endDate} is more than ${MAX_PASSWORD_DAYS} days away`);
    if (!props.rotateWhenChanged) report('rotateWhenChanged must be set so that the password rotates');
  },
);

export const noPlaintextSecretsInManifests = forType(
  'no-plaintext-secrets-in-manifests',
  'Applied manifests carry no Secret values: every Secret is written by ESO in the cluster.',
  'kubernetes:yaml/v2:ConfigGroup',
  (props, report) => {
    for (const o of props.objs ?? []) {
      if (o?.kind === 'Secret') report(`Secret ${o.metadata?.namespace}/${o.metadata?.name} must not be in a manifest; distribute it through the catalogue`);
    }
  },
);

export const ALL_POLICIES: ResourceValidationPolicy[] = [
  keyVaultSecureDefaults,
  roleAssignmentLeastPrivilege,
  federatedCredentialAudience,
  esoChartPinned,
  vaultSecretsExpire,
  servicePrincipalPasswordExpires,
  noPlaintextSecretsInManifests,
];
