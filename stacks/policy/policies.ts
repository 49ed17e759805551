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
      if (!/\/providers\/Microsoft\.KeyVault\/vaults\/[^/]+\/keys\/[^/]+$/i.test(scope))
        report(`scope must be a single Key Vault key, got ${props.scope}`);
    } else {
      report(
        `roleDefinitionId must be Key Vault Secrets User (${KEY_VAULT_SECRETS_USER}) or Key Vault Crypto User (${KEY_VAULT_CRYPTO_USER}), got ${props.roleDefinitionId}`,
      );
    }
  },
);

export const federatedCredentialAudience = forType(
  'federated-credential-audience',
  'Federated identity credentials trust one Kubernetes ServiceAccount for Azure AD token exchange only.',
  'azure-native:managedidentity:FederatedIdentityCredential',
  (props, report) => {
    if (JSON.stringify(props.audiences) !== JSON.stringify(['api://AzureADTokenExchange']))
      report('audiences must be exactly ["api://AzureADTokenExchange"]');
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
    // From the public repository or an OCI mirror (`oci://<registry>/external-secrets`). A local chart folder
    // is installed at whatever version it holds, which no input here shows.
    const eso = props.chart === 'external-secrets' || /^oci:\/\/.+\/external-secrets$/.test(String(props.chart));
    if (eso && props.version !== ESO_CHART_VERSION)
      report(`external-secrets chart must be version ${ESO_CHART_VERSION}, got ${props.version ?? 'unpinned'}`);
  },
);

/**
 * The canary's Key Vault secret (stacks/canary.ts, same content type): a marker that changes with every
 * deployment, not a secret, and an expiry would stop ESO reading it between deployments.
 */
export const CANARY_SECRET = { namePrefix: 'css-canary-', contentType: 'central-secret-store canary marker' } as const;

export const vaultSecretsExpire = forType(
  'key-vault-secret-expires',
  'Secrets Pulumi writes to Key Vault carry an expiry date (the canary marker excepted).',
  'azure-native:keyvault:Secret',
  (props, report) => {
    const canary =
      String(props.secretName ?? '').startsWith(CANARY_SECRET.namePrefix) && props.properties?.contentType === CANARY_SECRET.contentType;
    if (!canary && typeof props.properties?.attributes?.expires !== 'number')
      report('properties.attributes.expires must be set (seconds since the epoch)');
  },
);

export const servicePrincipalPasswordExpires = forType(
  'service-principal-password-expires',
  `Service principal passwords expire within ${MAX_PASSWORD_DAYS} days and rotate when their end date changes.`,
  'azuread:index/applicationPassword:ApplicationPassword',
  (props, report) => {
    const end = Date.parse(props.endDate);
    if (Number.isNaN(end)) report('endDate must be set');
    else if (end - Date.now() > MAX_PASSWORD_DAYS * 86_400_000)
      report(`endDate ${props.endDate} is more than ${MAX_PASSWORD_DAYS} days away`);
    if (!props.rotateWhenChanged) report('rotateWhenChanged must be set so that the password rotates');
  },
);

/** The type of the stack's ManifestSets (stacks/manifest-set.ts), which carry the catalogue's objects. */
export const MANIFEST_SET_TYPE = 'pulumi-nodejs:dynamic/central-secret-store:ManifestSet';

export const noPlaintextSecretsInManifests = forType(
  'no-plaintext-secrets-in-manifests',
  'Applied manifests carry no Secret values: every Secret is written by ESO in the cluster.',
  MANIFEST_SET_TYPE,
  (props, report) => {
    for (const o of [...Object.values<any>(props.objects ?? {}), ...Object.values<any>(props.shared ?? {})]) {
      if (o?.kind === 'Secret')
        report(`Secret ${o.metadata?.namespace}/${o.metadata?.name} must not be in a manifest; distribute it through the catalogue`);
    }
  },
);

/** The one place a wildcard may stand in a policy path: after a KV v2 mount's `data/` or `metadata/`. */
const KV_PATH = /^(?<mount>[^*+]+?)\/(?:data|metadata)\/(?<rest>.+)$/;

export const vaultPolicyConfined = forType(
  'vault-policy-confined',
  "Vault policies are JSON, read-only, cover one KV v2 mount (one tenant's space, or the shared masters), and use wildcards only as whole segments below that mount; the masters' policies name exact paths.",
  'vault:index/policy:Policy',
  (props, report) => {
    let document: unknown;
    try {
      document = JSON.parse(props.policy);
    } catch {
      report('policy must be a JSON policy document ({"path": {...}}), so that its paths can be checked');
      return;
    }
    const rules = (document as { path?: unknown })?.path;
    if (!rules || typeof rules !== 'object' || Object.keys(document as object).some((k) => k !== 'path')) {
      report('policy must hold path rules only: {"path": {"<mount>/data/<path>": {"capabilities": ["read"]}}}');
      return;
    }
    const mounts = new Set<string>();
    for (const [path, rule] of Object.entries(rules as Record<string, { capabilities?: unknown }>)) {
      const capabilities = Array.isArray(rule?.capabilities) ? rule.capabilities : [];
      const extra = capabilities.filter((c) => c !== 'read' && c !== 'deny');
      if (capabilities.length === 0 || extra.length > 0)
        report(`${path}: capabilities must be ["read"] (ESO only reads), got ${JSON.stringify(rule?.capabilities)}`);
      const kv = KV_PATH.exec(path);
      if (!kv?.groups) {
        report(
          `${path}: must be a path in a KV v2 mount, <mount>/data/<path>; a wildcard or a path elsewhere reaches beyond a tenant's space`,
        );
        continue;
      }
      mounts.add(kv.groups.mount);
      const segments = kv.groups.rest.split('/');
      const partial = segments.find(
        (segment, i) =>
          (segment.includes('*') && !(segment === '*' && i === segments.length - 1)) || (segment.includes('+') && segment !== '+'),
      );
      if (partial !== undefined) {
        report(
          `${path}: a wildcard must be a whole segment ("+", or "*" at the end); "${partial}" would also match names that merely start alike`,
        );
      }
      if (String(props.name).startsWith('css-masters-') && /[*+]/.test(path)) {
        report(`${path}: the masters' policy names the shared credentials' paths exactly, without wildcards`);
      }
    }
    if (mounts.size > 1) report(`policy covers the mounts ${[...mounts].sort().join(', ')}; a policy reads one space`);
  },
);

export const vaultRoleBoundToEso = forType(
  'vault-role-bound-to-eso',
  'Kubernetes auth roles bind exactly one ServiceAccount in one namespace, and require an audience.',
  'vault:kubernetes/authBackendRole:AuthBackendRole',
  (props, report) => {
    for (const field of ['boundServiceAccountNames', 'boundServiceAccountNamespaces']) {
      const values = props[field];
      if (!Array.isArray(values) || values.length !== 1 || /[*]/.test(String(values[0])))
        report(`${field} must name exactly one, without wildcards, got ${JSON.stringify(values)}`);
    }
    if (typeof props.audience !== 'string' || props.audience === '')
      report('audience must be set, so that a token requested for another role is refused');
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
  vaultPolicyConfined,
  vaultRoleBoundToEso,
];
