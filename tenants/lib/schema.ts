/**
 * The catalogue schema: clusters and environments, shared credentials, and tenants with their namespaces,
 * credential requests and own secrets. YAML files and TypeScript modules both pass through these schemas,
 * and `npm run schema` exports them as JSON Schema for editors.
 *
 * The catalogue never holds a secret value: every secret is a reference, to a Key Vault secret name or to a
 * path in HashiCorp Vault, and the schemas reject unknown fields, so a stray `value:` is an error rather than
 * a leak into git.
 */
import { z } from 'zod';
import {
  CANARY_BOUND,
  CANARY_NAMESPACE,
  COPY_REFRESH_INTERVAL,
  GoDuration,
  identityNameProblem,
} from '@central-secret-store/constructs/vocabulary';
import { canonicalVaultAddress, endpointUrlProblem, registryHostProblem, repositoryUrlProblem, vaultAddressProblem } from './addresses';
import { certificateBundleProblem } from './certificates';
import { quoted, secretInsteadOfNameProblem } from './secret-like';
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
  isVaultMountPath,
  isVaultReference,
  isVaultTenantPrefix,
} from './names';

const dns1123Label = z.string().refine(isDns1123Label, NAME_RULES.dns1123Label);
const dns1123Subdomain = z.string().refine(isDns1123Subdomain, NAME_RULES.dns1123Subdomain);
const labelKey = z.string().refine(isLabelKey, NAME_RULES.labelKey);
/** A name that passes its rule but reads as a pasted secret is refused too, without repeating it (secret-like.ts). */
const nameNotSecret = (isName: (text: string) => boolean, rule: string) =>
  z.string().superRefine((text, ctx) => {
    const problem = isName(text) ? secretInsteadOfNameProblem(text) : rule;
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });
const keyVaultSecretName = nameNotSecret(isKeyVaultSecretName, NAME_RULES.keyVaultSecretName);
const sharedVaultSecretName = keyVaultSecretName.refine((name) => !name.includes(TENANT_SPACE_SEPARATOR), NAME_RULES.sharedVaultSecretName);
const tenantName = dns1123Label.refine((name) => !name.includes(TENANT_SPACE_SEPARATOR), NAME_RULES.tenantName);
const secretDataKey = z.string().refine(isSecretDataKey, NAME_RULES.secretDataKey);
const vaultReference = nameNotSecret(isVaultReference, NAME_RULES.vaultReference);
const vaultMountPath = z.string().refine(isVaultMountPath, NAME_RULES.vaultMountPath);
const timestamp = z.iso.datetime({ offset: true, message: 'must be an ISO 8601 timestamp such as 2027-01-31T00:00:00Z' });
/**
 * A Go duration of at least one second, in the canonical form ESO stores (`5m` becomes `5m0s`), so that what
 * is applied is what ESO writes back.
 */
const goDuration = z
  .string()
  .refine((text) => GoDuration.tryParse(text) !== undefined, { message: 'must be a Go duration such as 30s, 5m or 1h30m', abort: true })
  .refine((text) => (GoDuration.tryParse(text)?.seconds ?? 0) >= 1, 'must be at least 1s: 0 would read the master once and never again')
  .transform((text) => GoDuration.parse(text).toString());
/** A user or group the API server authenticates; never one that stands for everyone (identities.ts). */
const identityName = z
  .string()
  .min(1, 'must not be blank')
  .superRefine((name, ctx) => {
    // An empty name has its message from min(1), which editors also see in the JSON Schema.
    const problem = name === '' ? undefined : identityNameProblem(name);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

/** Reports every entry after the first of the same identity, at that entry. */
function refuseRepeated<T>(
  items: readonly T[],
  ctx: z.RefinementCtx,
  identity: (item: T) => string,
  message: (item: T) => string,
  at: (index: number) => PropertyKey[] = (i) => [i],
): void {
  const seen = new Set<string>();
  items.forEach((item, i) => {
    const id = identity(item);
    if (seen.has(id)) ctx.addIssue({ code: 'custom', path: at(i), message: message(item) });
    seen.add(id);
  });
}
/** A string checked by one of the rules of addresses.ts, whose messages never repeat the address. */
const checked = (problem: (text: string) => string | undefined) =>
  z.string().superRefine((text, ctx) => {
    const found = problem(text);
    if (found) ctx.addIssue({ code: 'custom', message: found });
  });
const endpointUrl = checked(endpointUrlProblem);
const repositoryUrl = checked(repositoryUrlProblem);

export const labels = z.record(labelKey, z.string().refine(isLabelValue, NAME_RULES.labelValue));
export const annotations = z.record(labelKey, z.string());

/** Maps the keys of a Secret to the Key Vault secrets (or Vault paths) holding their values. */
const vaultKeys = (name: z.ZodType<string>, what = 'a Key Vault secret name') =>
  z.record(secretDataKey, name).refine((m) => Object.keys(m).length > 0, { message: `must map at least one key to ${what}` });
const keyVaultKeys = vaultKeys(keyVaultSecretName);
const vaultPathKeys = vaultKeys(vaultReference, 'a Vault path');

// ---------------------------------------------------------------------------------------------------------
// Clusters and environments
// ---------------------------------------------------------------------------------------------------------

const keyVaultSettingsSchema = z.strictObject({
  name: z.string().refine(isKeyVaultName, NAME_RULES.keyVaultName).describe('Name of the Azure Key Vault'),
  tenantId: z.uuid({ message: 'must be the Azure AD (Entra ID) tenant id, a UUID' }).describe('Azure AD tenant of the vault'),
  resourceGroup: z.string().min(1).max(90).optional().describe('Resource group of the vault. Default css-<environment>'),
  managedBy: dns1123Label
    .optional()
    .describe(
      'The cluster whose Pulumi stack creates and owns the vault; the others look it up. Default: the first cluster of the environment by name',
    ),
});

/**
 * A HashiCorp Vault backend. Every tenant gets a space of its own, a KV v2 mount or a Vault Enterprise
 * namespace named `<tenantPrefix><tenant>`, and tenants name paths *inside* their space only, so no name can
 * reach another tenant's space, whatever the tenant names (see vault-layout.ts).
 */
export const vaultSettingsSchema = z
  .strictObject({
    address: checked(vaultAddressProblem)
      .transform(canonicalVaultAddress)
      .describe('Address of the Vault server, as ESO reaches it: https://<host>[:<port>], no user name, password, path, query or fragment'),
    caBundle: z
      .string()
      .superRefine((pem, ctx) => {
        const problem = certificateBundleProblem(pem);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      })
      .optional()
      .describe("PEM of the CA certificate(s) that sign the Vault server's certificate; ESO trusts only these. Default: the system roots"),
    namespace: vaultMountPath
      .optional()
      .describe('Vault Enterprise namespace holding everything of this environment, e.g. admin/contoso. Default: the root namespace'),
    tenantSpaces: z
      .enum(['mounts', 'namespaces'])
      .default('mounts')
      .describe(
        "mounts: a KV v2 mount per tenant and a policy reading only that mount (any Vault). namespaces: a Vault Enterprise namespace per tenant, holding the tenant's KV v2 mount, logins and policy. Default mounts",
      ),
    sharedMount: vaultMountPath.default('css-shared').describe("KV v2 mount of the shared credentials' masters. Default css-shared"),
    tenantPrefix: z
      .string()
      .refine(isVaultTenantPrefix, NAME_RULES.vaultTenantPrefix)
      .default('css-tenant-')
      .describe("A tenant's mount (mounts) or namespace (namespaces) is <tenantPrefix><tenant>. Default css-tenant-"),
    managedBy: dns1123Label
      .optional()
      .describe(
        "The cluster whose Pulumi stack creates the mounts, namespaces and tenant policies; every stack adds its own cluster's login. Default: the first cluster of the environment by name",
      ),
  })
  .superRefine((vault, ctx) => {
    if (vault.tenantSpaces === 'namespaces' && vault.tenantPrefix.includes('/')) {
      ctx.addIssue({
        code: 'custom',
        path: ['tenantPrefix'],
        message:
          'must be one namespace segment with tenantSpaces: namespaces (no "/"): tenant namespaces are children of the environment\'s namespace',
      });
    }
    if (vault.sharedMount.startsWith(vault.tenantPrefix)) {
      ctx.addIssue({
        code: 'custom',
        path: ['sharedMount'],
        message: `must not start with tenantPrefix ${quoted(vault.tenantPrefix)}: it would be the space of tenant ${quoted(vault.sharedMount.slice(vault.tenantPrefix.length))}`,
      });
    }
    if (vault.tenantPrefix.startsWith(`${vault.sharedMount}/`)) {
      ctx.addIssue({
        code: 'custom',
        path: ['tenantPrefix'],
        message: `must not start with ${quoted(`${vault.sharedMount}/`)}: tenant spaces would lie inside the shared mount`,
      });
    }
  });

export const environmentSchema = z
  .strictObject({
    name: dns1123Label.describe(
      'Environment name, e.g. prod. Clusters of one environment share one vault: an Azure Key Vault or a HashiCorp Vault.',
    ),
    keyVault: keyVaultSettingsSchema.optional().describe('Azure Key Vault backend'),
    vault: vaultSettingsSchema.optional().describe('HashiCorp Vault backend'),
  })
  .refine((environment) => (environment.keyVault === undefined) !== (environment.vault === undefined), {
    message: 'needs exactly one backend: keyVault (Azure Key Vault) or vault (HashiCorp Vault)',
  });

/**
 * The cluster's canary (docs/operations.md, "Canary"): a credential of the
 * platform, distributed like any other to a namespace of its own, whose value the stack changes with every
 * deployment, so that a check can tell the whole path from the vault to a namespace works within a bound.
 */
export const canarySchema = z.strictObject({
  enabled: z.boolean().default(true).describe('Whether the cluster has a canary. Default true'),
  namespace: dns1123Label
    .default(CANARY_NAMESPACE)
    .describe(`The namespace the canary is distributed to; no tenant may claim it. Default ${CANARY_NAMESPACE}`),
  bound: goDuration
    .default(CANARY_BOUND)
    .describe(
      `How soon after a deployment its canary value must reach the canary namespace; the canary check's deadline and its alert's threshold. Default ${CANARY_BOUND}`,
    ),
});

export const clusterSchema = z.strictObject({
  name: dns1123Label.describe('Cluster name; also the Pulumi stack name and the dist/<cluster> folder'),
  environment: dns1123Label.describe('The environment this cluster belongs to'),
  kind: z
    .enum(['aks', 'generic'])
    .describe(
      'aks: reached through Azure, Key Vault read with workload identity; generic (e.g. edge k3s): reached by kubeconfig, Key Vault read with a service principal. With HashiCorp Vault, ESO logs in with its ServiceAccount either way',
    ),
  region: z.string().min(1).describe('Azure region or site of the cluster, e.g. westeurope'),
  refreshInterval: goDuration.optional().describe(`How often each tenant copy re-reads its master. Default ${COPY_REFRESH_INTERVAL}`),
  trustDomain: dns1123Subdomain
    .optional()
    .describe('SPIFFE trust domain of workloads on this cluster. Default <cluster>.<environment>.local'),
  deployers: z
    .strictObject({
      users: z.array(identityName).default([]).describe('Usernames, as the API server authenticates them (`kubectl auth whoami`)'),
      groups: z.array(identityName).default([]).describe('Groups; on AKS with Entra ID, the object ids of Entra ID groups'),
    })
    .refine((d) => d.users.length + d.groups.length > 0, 'must name at least one user or group')
    .superRefine((d, ctx) => {
      refuseRepeated(
        d.users,
        ctx,
        (name) => name,
        (name) => `user ${quoted(name)} is listed twice`,
        (i) => ['users', i],
      );
      refuseRepeated(
        d.groups,
        ctx,
        (name) => name,
        (name) => `group ${quoted(name)} is listed twice`,
        (i) => ['groups', i],
      );
    })
    .optional()
    .describe(
      'Who deploys the platform (Pulumi or GitOps): only they may change tenant and request labels and point ExternalSecrets at shared stores. Default: the user central-secret-store-deployer',
    ),
  canary: canarySchema
    .optional()
    .describe(`The canary credential of the cluster. Default: enabled, in namespace ${CANARY_NAMESPACE}, bound ${CANARY_BOUND}`),
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
    url: repositoryUrl.min(1).optional().describe('Repository URL (or URL prefix for repo-creds). Default the credential URL'),
  }),
  z.strictObject({
    type: z.literal('kargo'),
    ...formatBase,
    credType: z.enum(['image', 'git', 'helm']).optional().describe('Kargo cred-type label. Default image for registries, git for git'),
    repoURL: repositoryUrl.min(1).optional().describe('repoURL (or pattern) Kargo matches. Default the credential URL or registry'),
  }),
  z.strictObject({
    type: z.literal('mapping'),
    ...formatBase,
    secretType: z.string().min(1).default('Opaque').describe('Kubernetes Secret type of the result'),
    keys: z
      .array(z.strictObject({ from: secretDataKey, to: secretDataKey }))
      .min(1)
      .describe('Which master key becomes which Secret key (a key mapping)'),
  }),
]);

const credentialBase = {
  name: dns1123Label.describe('Credential name; namespaces request it with the label secrets/<name>: "true"'),
  description: z.string().optional(),
  allowedTenants: z.array(dns1123Label).min(1).describe('Tenants that may request this credential'),
  formats: z.array(formatSchema).min(1).optional().describe('Output formats. Default: the natural format of the kind'),
};

/**
 * Where a credential's master lives, in each backend the credential is offered from: Key Vault secret names
 * and Vault paths in the shared mount. Validation asks for the backend of every environment that offers it.
 */
function masterSecrets<T extends z.ZodType>(shape: (name: z.ZodType<string>) => T) {
  return {
    keyVault: shape(sharedVaultSecretName).optional().describe('Key Vault secret names, for environments with keyVault'),
    vault: shape(vaultReference)
      .optional()
      .describe('KV paths in the shared mount, <path> or <path>#<field> (field default: the key), for environments with vault'),
  };
}
const namesItsMaster = (credential: { keyVault?: unknown; vault?: unknown }) =>
  credential.keyVault !== undefined || credential.vault !== undefined;
const MASTER_REQUIRED = { message: 'must name where its master lives: keyVault (Key Vault secret names), vault (Vault paths) or both' };

const userPassword = (name: z.ZodType<string>) => z.strictObject({ username: name, password: name });

export const credentialSchema = z.discriminatedUnion('kind', [
  z
    .strictObject({
      kind: z.literal('docker-registry'),
      ...credentialBase,
      registries: z.array(checked(registryHostProblem).min(1)).min(1).describe('Registry hosts the credential logs in to, e.g. ghcr.io'),
      ...masterSecrets(userPassword),
    })
    .refine(namesItsMaster, MASTER_REQUIRED),
  z
    .strictObject({
      kind: z.literal('git'),
      ...credentialBase,
      url: repositoryUrl.min(1).describe('Repository URL or URL prefix (https:// or ssh)'),
      ...masterSecrets((name) => z.union([userPassword(name), z.strictObject({ sshPrivateKey: name })])),
    })
    .refine(namesItsMaster, MASTER_REQUIRED),
  z
    .strictObject({
      kind: z.literal('oauth'),
      ...credentialBase,
      issuerUrl: endpointUrl.optional().describe('OpenID Connect issuer (https)'),
      tokenUrl: endpointUrl.optional().describe('OAuth 2.0 token endpoint (https)'),
      ...masterSecrets((name) => z.strictObject({ clientId: name, clientSecret: name })),
    })
    .refine(namesItsMaster, MASTER_REQUIRED),
  z
    .strictObject({
      kind: z.literal('tls'),
      ...credentialBase,
      ...masterSecrets((name) =>
        z.union([
          z.strictObject({ 'tls.crt': name, 'tls.key': name, 'ca.crt': name.optional() }),
          z.strictObject({ bundle: name.describe('One PEM holding the certificate chain and the private key') }),
        ]),
      ),
    })
    .refine(namesItsMaster, MASTER_REQUIRED),
  z
    .strictObject({
      kind: z.literal('generic'),
      ...credentialBase,
      ...masterSecrets((name) => vaultKeys(name, 'a vault secret')),
    })
    .refine(namesItsMaster, MASTER_REQUIRED),
]);

export const credentialsFileSchema = z.strictObject({
  credentials: z.array(credentialSchema),
});

// ---------------------------------------------------------------------------------------------------------
// Tenants (their own secrets: workload, kubernetes and raw; docs/catalogue.md, "Tenants' own secrets")
// ---------------------------------------------------------------------------------------------------------

const ownSecretBase = {
  name: dns1123Subdomain.describe('Name of the Secret'),
  keyVault: keyVaultKeys
    .optional()
    .describe(
      "Secret key -> Key Vault secret name; names must start with <tenant>-- (the tenant's vault space). On clusters of Key Vault environments",
    ),
  vault: vaultPathKeys
    .optional()
    .describe(
      "Secret key -> KV path in the tenant's own Vault space, <path> or <path>#<field> (field default: the key). On clusters of Vault environments",
    ),
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
      .describe(
        'Deliver all keys as one JSON document under this key, the form operators such as VSecM read. Default: one Secret key per key',
      ),
  }),
]);

/** Seed 003: a requested registry credential set as the pull secret of ServiceAccounts, so pods need none. */
export const imagePullSecretSchema = z.strictObject({
  credential: dns1123Label.describe('A docker-registry credential this namespace requests'),
  format: dns1123Label.optional().describe('Which of its dockerconfigjson formats, by name. Default: its only dockerconfigjson format'),
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
  secrets: z.array(ownSecretSchema).optional().describe("The tenant's own secrets in this namespace"),
  labels: labels.optional().describe('Extra labels on the namespace'),
});

export const ownerSchema = z.strictObject({
  kind: z.enum(['Group', 'User']),
  name: identityName.describe(
    'Group or user name as the API server authenticates it; never one that stands for everyone (system:authenticated, system:serviceaccounts...)',
  ),
});

export const tenantSchema = z.strictObject({
  name: tenantName.describe('Tenant (team) name'),
  description: z.string().optional(),
  owners: z
    .array(ownerSchema)
    .min(1)
    .superRefine((owners, ctx) =>
      refuseRepeated(
        owners,
        ctx,
        (o) => `${o.kind}\0${o.name}`,
        (o) => `owner ${o.kind} ${quoted(o.name)} is listed twice`,
      ),
    )
    .describe("Who may administer the tenant's namespaces"),
  clusters: z.record(
    dns1123Label,
    z.strictObject({
      namespaces: z.array(tenantNamespaceSchema).min(1),
      globalSecrets: z.array(ownSecretSchema).optional().describe('Secrets delivered to every namespace of the tenant on this cluster'),
    }),
  ),
});

export type Environment = z.infer<typeof environmentSchema>;
export type VaultSettings = z.infer<typeof vaultSettingsSchema>;
export type Cluster = z.infer<typeof clusterSchema>;
export type CanarySettings = z.infer<typeof canarySchema>;
export type ClustersFile = z.infer<typeof clustersFileSchema>;
export type Format = z.infer<typeof formatSchema>;
export type FormatInput = z.input<typeof formatSchema>;
export type Credential = z.infer<typeof credentialSchema>;
export type CredentialsFile = z.infer<typeof credentialsFileSchema>;
export type OwnSecret = z.infer<typeof ownSecretSchema>;
export type TenantNamespace = z.infer<typeof tenantNamespaceSchema>;
export type ImagePullSecret = z.infer<typeof imagePullSecretSchema>;
export type Owner = z.infer<typeof ownerSchema>;
export type Tenant = z.infer<typeof tenantSchema>;
/** What a tenant author writes: defaults may be left out. */
export type TenantInput = z.input<typeof tenantSchema>;
