/**
 * The catalogue schema: clusters and environments, shared credentials, and tenants with their namespaces,
 * credential requests and own secrets. YAML files and TypeScript modules both pass through these schemas,
 * and `npm run schema` exports them as JSON Schema for editors.
 *
 * The catalogue never holds a secret value: every secret is a reference to a Key Vault secret name, and the
 * schemas reject unknown fields, so a stray `value:` is an error rather than a leak into git.
 */
import { z } from 'zod';
import { formatGoDuration, parseGoDuration } from '../../constructs/src/duration';
import {
  NAME_RULES,
  TENANT_SPACE_SEPARATOR,
  isDns1123Label,
  isDns1123Subdomain,
  isKeyVaultName,
  isKeyVaultSecretName,
  isLabelKey,
  isLabelValue,
  isSecretDataKey,
} from './names';

const dns1123Label = z.string().refine(isDns1123Label, NAME_RULES.dns1123Label);
const dns1123Subdomain = z.string().refine(isDns1123Subdomain, NAME_RULES.dns1123Subdomain);
const labelKey = z.string().refine(isLabelKey, NAME_RULES.labelKey);
const keyVaultSecretName = z.string().refine(isKeyVaultSecretName, NAME_RULES.keyVaultSecretName);
const sharedVaultSecretName = keyVaultSecretName.refine((name) => !name.includes(TENANT_SPACE_SEPARATOR), NAME_RULES.sharedVaultSecretName);
const tenantName = dns1123Label.refine((name) => !name.includes(TENANT_SPACE_SEPARATOR), NAME_RULES.tenantName);
const secretDataKey = z.string().refine(isSecretDataKey, NAME_RULES.secretDataKey);
const timestamp = z.iso.datetime({ offset: true, message: 'must be an ISO 8601 timestamp such as 2027-01-31T00:00:00Z' });
/**
 * A Go duration of at least one second, in the canonical form ESO stores (`5m` becomes `5m0s`), so that what
 * is applied is what ESO writes back.
 */
const goDuration = z
  .string()
  .refine((text) => parseGoDuration(text) !== undefined, { message: 'must be a Go duration such as 30s, 5m or 1h30m', abort: true })
  .refine((text) => (parseGoDuration(text) ?? 0n) >= 1_000_000_000n, 'must be at least 1s: 0 would read the master once and never again')
  .transform((text) => formatGoDuration(parseGoDuration(text)!));
const identityName = z.string().min(1);
const url = z.url({ message: 'must be an absolute URL' });

export const labels = z.record(labelKey, z.string().refine(isLabelValue, NAME_RULES.labelValue));
export const annotations = z.record(labelKey, z.string());

/** Maps the keys of a Secret to the Key Vault secrets holding their values. */
const vaultKeys = (name: z.ZodType<string>) =>
  z.record(secretDataKey, name).refine((m) => Object.keys(m).length > 0, { message: 'must map at least one key to a Key Vault secret name' });
const keyVaultKeys = vaultKeys(keyVaultSecretName);

// ---------------------------------------------------------------------------------------------------------
// Clusters and environments
// ---------------------------------------------------------------------------------------------------------

export const environmentSchema = z.strictObject({
  name: dns1123Label.describe('Environment name, e.g. prod. Clusters of one environment share one Key Vault.'),
  keyVault: z.strictObject({
    name: z.string().refine(isKeyVaultName, NAME_RULES.keyVaultName).describe('Name of the Azure Key Vault'),
    tenantId: z.uuid({ message: 'must be the Azure AD (Entra ID) tenant id, a UUID' }).describe('Azure AD tenant of the vault'),
    resourceGroup: z.string().min(1).max(90).optional().describe('Resource group of the vault. Default css-<environment>'),
    managedBy: dns1123Label
      .optional()
      .describe('The cluster whose Pulumi stack creates and owns the vault; the others look it up. Default: the first cluster of the environment by name'),
  }),
});

export const clusterSchema = z.strictObject({
  name: dns1123Label.describe('Cluster name; also the Pulumi stack name and the dist/<cluster> folder'),
  environment: dns1123Label.describe('The environment this cluster belongs to'),
  kind: z.enum(['aks', 'generic']).describe('aks: Azure workload identity; generic (e.g. edge k3s): a service principal'),
  region: z.string().min(1).describe('Azure region or site of the cluster, e.g. westeurope'),
  refreshInterval: goDuration.optional().describe('How often each tenant copy re-reads its master. Default 1m'),
  trustDomain: dns1123Subdomain.optional().describe('SPIFFE trust domain of workloads on this cluster. Default <cluster>.<environment>.local'),
  deployers: z
    .strictObject({
      users: z.array(identityName).default([]).describe('Usernames, as the API server authenticates them (`kubectl auth whoami`)'),
      groups: z.array(identityName).default([]).describe('Groups; on AKS with Entra ID, the object ids of Entra ID groups'),
    })
    .refine((d) => d.users.length + d.groups.length > 0, 'must name at least one user or group')
    .optional()
    .describe('Who deploys the platform (Pulumi or GitOps): only they may change tenant and request labels and point ExternalSecrets at shared stores. Default: the user central-secret-store-deployer'),
});

export const clustersFileSchema = z.strictObject({
  environments: z.array(environmentSchema).min(1),
  clusters: z.array(clusterSchema).min(1),
});

// ---------------------------------------------------------------------------------------------------------
// Shared credentials and their output formats
// ---------------------------------------------------------------------------------------------------------

const formatBase = {
  name: dns1123Label.optional().describe('Distinguishes two formats of one type; defaults to the type'),
  secretName: dns1123Subdomain.optional().describe('Name of the Secret in tenant namespaces. Default <credential>-<format name>'),
};

export const formatSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('dockerconfigjson'), ...formatBase }),
  z.strictObject({ type: z.literal('basic-auth'), ...formatBase }),
  z.strictObject({ type: z.literal('ssh-auth'), ...formatBase }),
  z.strictObject({ type: z.literal('oauth'), ...formatBase }),
  z.strictObject({ type: z.literal('tls'), ...formatBase }),
  z.strictObject({ type: z.literal('opaque'), ...formatBase }),
  z.strictObject({
    type: z.literal('argocd'),
    ...formatBase,
    secretType: z.enum(['repository', 'repo-creds']).default('repository').describe('Argo CD secret-type label'),
    url: z.string().min(1).optional().describe('Repository URL (or URL prefix for repo-creds). Default the credential URL'),
  }),
  z.strictObject({
    type: z.literal('kargo'),
    ...formatBase,
    credType: z.enum(['image', 'git', 'helm']).optional().describe('Kargo cred-type label. Default image for registries, git for git'),
    repoURL: z.string().min(1).optional().describe('repoURL (or pattern) Kargo matches. Default the credential URL or registry'),
  }),
  z.strictObject({
    type: z.literal('mapping'),
    ...formatBase,
    secretType: z.string().min(1).default('Opaque').describe('Kubernetes Secret type of the result'),
    keys: z
      .array(z.strictObject({ from: secretDataKey, to: secretDataKey }))
      .min(1)
      .describe('Which master key becomes which Secret key (seed 002 key mapping)'),
  }),
]);

const credentialBase = {
  name: dns1123Label.describe('Credential name; namespaces request it with the label secrets/<name>: "true"'),
  description: z.string().optional(),
  allowedTenants: z
    .array(dns1123Label)
    .min(1)
    .describe('Tenants that may request this credential'),
  formats: z.array(formatSchema).min(1).optional().describe('Output formats. Default: the natural format of the kind'),
};

export const credentialSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('docker-registry'),
    ...credentialBase,
    registries: z.array(z.string().min(1)).min(1).describe('Registry hosts the credential logs in to, e.g. ghcr.io'),
    keyVault: z.strictObject({ username: sharedVaultSecretName, password: sharedVaultSecretName }),
  }),
  z.strictObject({
    kind: z.literal('git'),
    ...credentialBase,
    url: z.string().min(1).describe('Repository URL or URL prefix (https:// or ssh)'),
    keyVault: z.union([
      z.strictObject({ username: sharedVaultSecretName, password: sharedVaultSecretName }),
      z.strictObject({ sshPrivateKey: sharedVaultSecretName }),
    ]),
  }),
  z.strictObject({
    kind: z.literal('oauth'),
    ...credentialBase,
    issuerUrl: url.optional().describe('OpenID Connect issuer'),
    tokenUrl: url.optional().describe('OAuth 2.0 token endpoint'),
    keyVault: z.strictObject({ clientId: sharedVaultSecretName, clientSecret: sharedVaultSecretName }),
  }),
  z.strictObject({
    kind: z.literal('tls'),
    ...credentialBase,
    keyVault: z.union([
      z.strictObject({ 'tls.crt': sharedVaultSecretName, 'tls.key': sharedVaultSecretName, 'ca.crt': sharedVaultSecretName.optional() }),
      z.strictObject({ bundle: sharedVaultSecretName.describe('One PEM holding the certificate chain and the private key') }),
    ]),
  }),
  z.strictObject({
    kind: z.literal('generic'),
    ...credentialBase,
    keyVault: vaultKeys(sharedVaultSecretName),
  }),
]);

export const credentialsFileSchema = z.strictObject({
  credentials: z.array(credentialSchema),
});

// ---------------------------------------------------------------------------------------------------------
// Tenants (seed 000: workload, kubernetes and raw secrets)
// ---------------------------------------------------------------------------------------------------------

const ownSecretBase = {
  name: dns1123Subdomain.describe('Name of the Secret'),
  keyVault: keyVaultKeys.describe('Secret key -> Key Vault secret name; names must start with <tenant>-- (the tenant\'s vault space)'),
  labels: labels.optional(),
  annotations: annotations.optional(),
  notBefore: timestamp.optional().describe('The secret is not valid before this time'),
  expires: timestamp.optional().describe('The secret is not valid after this time'),
};

export const ownSecretSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('workload'),
    ...ownSecretBase,
    serviceAccount: dns1123Subdomain.describe('The only ServiceAccount that may read this Secret'),
    spiffeId: z
      .string()
      .regex(/^spiffe:\/\/[a-z0-9._-]+(\/[A-Za-z0-9._~!$&'()*+,;=:@%-]+)+$/, 'must be a SPIFFE ID: spiffe://<trust-domain>/<path>')
      .describe('SPIFFE ID of the workload, spiffe://<trust-domain>/ns/<namespace>/sa/<serviceAccount>'),
  }),
  z.strictObject({
    type: z.literal('kubernetes'),
    ...ownSecretBase,
    secretType: z.string().min(1).default('Opaque').describe('Kubernetes Secret type'),
  }),
  z.strictObject({
    type: z.literal('raw'),
    ...ownSecretBase,
    operator: dns1123Label.describe('The operator that consumes this secret, e.g. vsecm'),
    jsonKey: z
      .string()
      .regex(/^[-._a-zA-Z0-9]{1,253}$/, 'must be a Secret data key')
      .optional()
      .describe('Deliver all keys as one JSON document under this key, the form operators such as VSecM read. Default: one Secret key per key'),
  }),
]);

/** Seed 003: a requested registry credential set as the pull secret of ServiceAccounts, so pods need none. */
export const imagePullSecretSchema = z.strictObject({
  credential: dns1123Label.describe('A docker-registry credential this namespace requests'),
  format: dns1123Label
    .optional()
    .describe('Which of its dockerconfigjson formats, by name. Default: its only dockerconfigjson format'),
  serviceAccounts: z
    .array(dns1123Subdomain)
    .min(1)
    .default(['default'])
    .describe('ServiceAccounts whose imagePullSecrets name it. Default: default'),
});

export const tenantNamespaceSchema = z.strictObject({
  name: dns1123Label.describe('Namespace name'),
  requests: z.array(dns1123Label).optional().describe('Shared credentials this namespace receives'),
  imagePullSecrets: z
    .array(imagePullSecretSchema)
    .optional()
    .describe('Requested registry credentials to set as imagePullSecrets on ServiceAccounts of the namespace'),
  secrets: z.array(ownSecretSchema).optional().describe('The tenant\'s own secrets in this namespace'),
  labels: labels.optional().describe('Extra labels on the namespace'),
});

export const ownerSchema = z.strictObject({
  kind: z.enum(['Group', 'User']),
  name: z.string().min(1).describe('Group or user name as the API server authenticates it'),
});

export const tenantSchema = z.strictObject({
  name: tenantName.describe('Tenant (team) name'),
  description: z.string().optional(),
  owners: z.array(ownerSchema).min(1).describe('Who may administer the tenant\'s namespaces'),
  clusters: z.record(
    dns1123Label,
    z.strictObject({
      namespaces: z.array(tenantNamespaceSchema).min(1),
      globalSecrets: z.array(ownSecretSchema).optional().describe('Secrets delivered to every namespace of the tenant on this cluster'),
    }),
  ),
});

export type Environment = z.infer<typeof environmentSchema>;
export type Cluster = z.infer<typeof clusterSchema>;
export type ClustersFile = z.infer<typeof clustersFileSchema>;
export type Format = z.infer<typeof formatSchema>;
export type FormatInput = z.input<typeof formatSchema>;
export type Credential = z.infer<typeof credentialSchema>;
export type CredentialKind = Credential['kind'];
export type CredentialsFile = z.infer<typeof credentialsFileSchema>;
export type OwnSecret = z.infer<typeof ownSecretSchema>;
export type TenantNamespace = z.infer<typeof tenantNamespaceSchema>;
export type ImagePullSecret = z.infer<typeof imagePullSecretSchema>;
export type Owner = z.infer<typeof ownerSchema>;
export type Tenant = z.infer<typeof tenantSchema>;
/** What a tenant author writes: defaults may be left out. */
export type TenantInput = z.input<typeof tenantSchema>;
