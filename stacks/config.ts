import * as pulumi from '@pulumi/pulumi';
import { z } from 'zod';
import {
  type Catalogue,
  type Cluster,
  type Environment,
  type KeyVaultEnvironment,
  type VaultEnvironment,
  backendNameOf,
  canaryOf,
  environmentOf,
  isVaultEnvironment,
  loadCatalogue,
  ownSecretsOf,
  validityOfVaultSecret,
  validityReport,
  vaultOwnerOf,
} from '../tenants/lib';
import type { VaultSecretArgs } from './key-vault';
import { chartSourceSchema } from './pinned-chart';

/** Pulumi config namespace of this project (`central-secret-store:<key>` in Pulumi.<cluster>.yaml). */
export const PROJECT = 'central-secret-store';

/** Azure's region is azure-native's own setting, which Key Vault environments need. */
const LOCATION_KEY = 'azure-native:location';

const RFC3339 = 'must be an RFC 3339 timestamp such as 2027-05-31T00:00:00Z';
const rfc3339 = z.iso.datetime({ offset: true, message: RFC3339 });

/** Zod's message for a setting that was left out, replaced by what needs it and why; `otherwise` for bad values. */
const requiredFor = (why: string, otherwise?: string) => ({
  error: (issue: { readonly input?: unknown }) => (issue.input === undefined ? `required ${why}` : otherwise),
});

/** A setting read as a secret (`pulumi config set --secret`): only its presence is checked. */
const secretSetting = <T>(params?: ReturnType<typeof requiredFor>) =>
  z.custom<pulumi.Output<T>>((value) => pulumi.Output.isInstance(value), params);

/** What the stack deploys: read first, since every other setting is checked against that cluster. */
const target = {
  cluster: z.string().min(1).describe('Catalogue cluster this stack deploys. Default: the stack name'),
  catalogue: z
    .string()
    .min(1)
    .optional()
    .describe(
      "Catalogue folder, absolute or relative to the repository root (where Pulumi runs the program). Default: the repository's tenants/ folder",
    ),
};

/** Settings of every stack. Their defaults are the components' (ClusterKubernetes and what it installs). */
const everyStack = {
  esoReplicas: z.number().int().min(1).max(5).optional().describe("Replicas of ESO's controller and webhook. Default 1"),
  esoConcurrency: z
    .number()
    .int()
    .min(1)
    .max(64)
    .optional()
    .describe("Reconciles ESO runs in parallel per controller (--concurrent). Default: sized by the cluster's copies (esoTuningFor)"),
  esoClientQps: z
    .number()
    .int()
    .min(1)
    .max(5000)
    .optional()
    .describe("Requests a second ESO's API client may make (--client-qps). Default: sized by the cluster's copies (esoTuningFor)"),
  esoClientBurst: z
    .number()
    .int()
    .min(1)
    .max(10000)
    .optional()
    .describe(
      "Requests ESO's API client may make at once above esoClientQps (--client-burst). Default: sized by the cluster's copies (esoTuningFor)",
    ),
  serviceMonitor: z.boolean().optional().describe("ESO's ServiceMonitor, where the Prometheus Operator's CRDs exist. Default true"),
  alerts: z
    .boolean()
    .optional()
    .describe("The product's PrometheusRule beside ESO (needs the Prometheus Operator's CRDs). Default: the value of serviceMonitor"),
  reloader: z.boolean().optional().describe('stakater Reloader beside ESO; false where the platform already runs Reloader. Default true'),
  esoChart: chartSourceSchema
    .optional()
    .describe("ESO's chart from a local folder ({ path }) or an OCI mirror ({ repo: oci://... }). Default: ESO's public repository"),
  reloaderChart: chartSourceSchema
    .optional()
    .describe(
      "Reloader's chart from a local folder ({ path }) or an OCI mirror ({ repo: oci://... }). Default: stakater's public repository",
    ),
  canaryCheckImage: z
    .string()
    .min(1)
    .optional()
    .describe(
      'Image of the in-cluster canary check (a shell with kubectl, wget, base64, sha256sum and date), pinned by digest: <repository>@sha256:<digest>. With canaryPushgateway; default: no in-cluster check',
    ),
  canaryPushgateway: z
    .url()
    .optional()
    .describe(
      "Pushgateway the in-cluster canary check pushes the canary's last refresh to, such as http://pushgateway.monitoring:9091. With canaryCheckImage",
    ),
  canaryCheckSchedule: z.string().min(1).optional().describe('When the in-cluster canary check runs, in cron syntax. Default */5 * * * *'),
  esoValues: z
    .record(z.string(), z.unknown())
    .optional()
    .describe(
      "Helm values laid over the product's ESO values, for a node's needs (image mirror, pull policy); they override the hardened defaults, at the operator's risk",
    ),
};

/** An AKS cluster, reached through Azure. */
const aksCluster = {
  aksResourceGroup: z
    .string(requiredFor('for an aks cluster: the resource group of the AKS cluster'))
    .min(1)
    .describe('Resource group of the AKS cluster'),
  aksName: z.string().min(1).optional().describe('Name of the AKS cluster. Default: the catalogue cluster name'),
};

/** A cluster outside Azure, reached by its kubeconfig. */
const genericCluster = {
  kubeconfig: secretSetting<string>(
    requiredFor('for a generic cluster, as a secret: pulumi config set --secret kubeconfig < kubeconfig.yaml'),
  ).describe('kubeconfig of the cluster, as a secret: pulumi config set --secret kubeconfig < kubeconfig.yaml'),
};

/** Outside Azure, ESO signs in to Key Vault with a service principal's password. */
const servicePrincipal = {
  servicePrincipalPasswordEndDate: z.iso
    .datetime({
      offset: true,
      ...requiredFor('for a generic cluster of a Key Vault environment: ESO signs in with a service principal', RFC3339),
    })
    .describe('End date of the ESO service principal password; change it to rotate'),
};

const keyVaultBackend = {
  location: z
    .string(requiredFor("in a Key Vault environment: the region of the Key Vault and of ESO's identity"))
    .min(1)
    .describe("Region of the Key Vault and of ESO's identity"),
  keyVaultSku: z.enum(['standard', 'premium']).optional().describe('Default standard'),
  keyVaultAllowedIpRanges: z
    .array(z.string().regex(/^[0-9.]+(\/[0-9]{1,2})?$/, 'must be an IPv4 address or CIDR range'))
    .optional()
    .describe('IPv4 addresses or CIDR ranges the Key Vault firewall lets in. Default: none, no public access'),
  keyVaultAllowedSubnetIds: z
    .array(z.string().startsWith('/subscriptions/'))
    .optional()
    .describe('Subnet ids the Key Vault firewall lets in. Default: none'),
  logAnalyticsWorkspaceId: z
    .string()
    .startsWith('/subscriptions/')
    .optional()
    .describe('Log Analytics workspace that receives the audit log of every secret read. Default: none'),
  vaultSecrets: z
    .array(z.strictObject({ name: z.string().regex(/^[0-9A-Za-z-]{1,127}$/), expires: rfc3339.optional(), notBefore: rfc3339.optional() }))
    .default([])
    .describe(
      'Key Vault secrets this stack writes; each value comes from the secret config vaultSecretValues.<name>. expires/notBefore default to the catalogue window of the tenant secret that reads it',
    ),
  vaultSecretValues: secretSetting<Record<string, string>>()
    .optional()
    .describe("Values of vaultSecrets, as secrets: pulumi config set --secret --path 'vaultSecretValues.<name>' <value>"),
};

const vaultBackend = {
  vaultKubernetesHost: z
    .url({ message: 'must be the URL of the API server, such as https://10.0.0.1:6443' })
    .optional()
    .describe('The API server as Vault reaches it, to review the tokens ESO presents. Default: the server of the kubeconfig'),
  vaultCaCertFile: z.string().min(1).optional().describe('CA file Pulumi trusts for Vault. Default: VAULT_CACERT, else the system roots'),
  vaultToken: secretSetting<string>().optional().describe('Token Pulumi configures Vault with, as a secret. Default: VAULT_TOKEN'),
  esoVaultTokenCache: z
    .boolean()
    .optional()
    .describe("Reuse ESO's HashiCorp Vault token across syncs (ESO's experimental vault.enableTokenCache). Default true"),
};

/**
 * Where a setting that not every stack takes applies, for a stack it does not apply to: there it would do
 * nothing, which is refused rather than left to surprise. The type checker sees that each has its entry.
 */
const ONLY_FOR: Readonly<Record<string, string>> = {
  aksResourceGroup: 'aks clusters',
  aksName: 'aks clusters',
  kubeconfig: "generic clusters (an aks cluster's comes from Azure)",
  servicePrincipalPasswordEndDate: 'generic clusters of Key Vault environments',
  keyVaultSku: 'Key Vault environments',
  keyVaultAllowedIpRanges: 'Key Vault environments',
  keyVaultAllowedSubnetIds: 'Key Vault environments',
  logAnalyticsWorkspaceId: 'Key Vault environments',
  vaultSecrets: 'Key Vault environments; in HashiCorp Vault, write the values with vault kv put',
  vaultSecretValues: 'Key Vault environments',
  vaultKubernetesHost: 'HashiCorp Vault environments',
  vaultCaCertFile: 'HashiCorp Vault environments',
  vaultToken: 'HashiCorp Vault environments',
  esoVaultTokenCache: 'HashiCorp Vault environments: Key Vault stores have no token to keep',
} satisfies Record<
  Exclude<
    keyof (typeof aksCluster & typeof genericCluster & typeof servicePrincipal & typeof keyVaultBackend & typeof vaultBackend),
    'location'
  >,
  string
>;

/** Settings read as secrets, each as Pulumi hands it to the program. */
const SECRET_READERS = {
  kubeconfig: (config: pulumi.Config) => config.requireSecret('kubeconfig'),
  vaultSecretValues: (config: pulumi.Config) => config.requireSecretObject<Record<string, string>>('vaultSecretValues'),
  vaultToken: (config: pulumi.Config) => config.requireSecret('vaultToken'),
};

/**
 * Every setting a stack file may hold, keyed as there, with what it does, where it applies and whether it is a
 * secret: Pulumi.yaml's `template.config`, which `pulumi new` shows (`npm run pulumi:template` writes it; a
 * test keeps the file equal to this). Not typed `config:` declarations: Pulumi makes every typed key of the
 * project's namespace without a default required on every stack, while these default per stack (the cluster
 * to the stack's name, ESO's sizing to its catalogue) or apply to some stacks only; readStackConfig checks them.
 */
export function stackSettingsTemplate(): Record<string, { readonly description: string; readonly secret?: true }> {
  const shapes: Record<string, z.ZodType> = {
    ...target,
    ...everyStack,
    ...aksCluster,
    ...genericCluster,
    ...servicePrincipal,
    ...keyVaultBackend,
    ...vaultBackend,
  };
  return Object.fromEntries(
    Object.entries(shapes).map(([key, schema]) => {
      const where = ONLY_FOR[key] ? ` (only for ${ONLY_FOR[key]})` : key === 'location' ? ' (Key Vault environments)' : '';
      if (!schema.description) throw new Error(`stack setting ${key} has no description`);
      return [
        key === 'location' ? LOCATION_KEY : `${PROJECT}:${key}`,
        { description: `${schema.description}${where}`, ...(key in SECRET_READERS ? { secret: true as const } : {}) },
      ];
    }),
  );
}

/** Keys of this project that a stack file may hold in plain text. */
export const STACK_SETTING_KEYS: readonly string[] = Object.keys({
  ...target,
  ...everyStack,
  ...aksCluster,
  ...genericCluster,
  ...servicePrincipal,
  ...keyVaultBackend,
  ...vaultBackend,
}).filter((key) => key !== 'location' && !(key in SECRET_READERS));

/** Keys of this project that a stack file may hold only encrypted (`secure:`). */
export const SECRET_STACK_SETTING_KEYS: readonly string[] = Object.keys(SECRET_READERS);

type Settings<S extends z.ZodRawShape> = Readonly<z.output<z.ZodObject<S>>>;

/** What every stack's config holds, whatever its cluster and backend. */
type StackConfigBase = Settings<typeof everyStack> & {
  /** The catalogue the stack deploys from. */
  readonly catalogue: Catalogue;
  /** The catalogue cluster this stack deploys. */
  readonly cluster: Cluster;
  /**
   * The stack's settings that are not secret, as checked (with Azure's region where it counts): what a digest
   * of the deployment may include (see canaryValue).
   */
  readonly settings: Readonly<Record<string, unknown>>;
};

/** An AKS cluster: Pulumi reaches it through Azure. */
export type AksClusterConfig = { readonly kind: 'aks' } & Settings<typeof aksCluster>;

/** A cluster outside Azure (edge k3s, data centre): Pulumi reaches it with its kubeconfig. */
export type GenericClusterConfig = { readonly kind: 'generic' } & Settings<typeof genericCluster>;

/** The stack of a cluster whose environment keeps its secrets in Azure Key Vault. */
export type KeyVaultStackConfig = StackConfigBase &
  Omit<Settings<typeof keyVaultBackend>, 'vaultSecrets'> & {
    readonly backend: 'keyVault';
    readonly environment: KeyVaultEnvironment;
    /** Whether this stack creates the environment's Key Vault; the others look it up. */
    readonly ownsVault: boolean;
    /** The secrets this stack writes, each with its validity window: the stack's, else the catalogue's. */
    readonly vaultSecrets: readonly Omit<VaultSecretArgs, 'value'>[];
  } & (AksClusterConfig | (GenericClusterConfig & Settings<typeof servicePrincipal>));

/** The stack of a cluster whose environment keeps its secrets in HashiCorp Vault. */
export type VaultStackConfig = StackConfigBase &
  Settings<typeof vaultBackend> & {
    readonly backend: 'vault';
    readonly environment: VaultEnvironment;
    /** Whether this stack creates the environment's spaces and tenant policies; the others add logins only. */
    readonly ownsSpaces: boolean;
  } & (AksClusterConfig | GenericClusterConfig);

/** A stack's config, checked: one of four shapes, by the backend of its environment and the kind of its cluster. */
export type StackConfig = KeyVaultStackConfig | VaultStackConfig;

/**
 * Reads the stack's config, loads the catalogue it names and checks every setting against what the stack's
 * cluster and backend need. Every problem is reported at once, by config key, before any resource is
 * declared.
 */
export function readStackConfig(load: (folder?: string) => Catalogue = loadCatalogue): StackConfig {
  const stack = pulumi.getStack();
  const { cluster: clusterName = stack, catalogue: folder, location, ...given } = givenConfig();
  const where = z.object(target).safeParse({ cluster: clusterName, catalogue: folder });
  if (!where.success) throw cannotDeploy(stack, where.error.issues.map(problemOf));
  const catalogue = load(where.data.catalogue);
  const cluster = catalogue.clusters.find((c) => c.name === where.data.cluster);
  if (!cluster) {
    throw cannotDeploy(stack, [
      `${PROJECT}:cluster: the catalogue has no cluster "${where.data.cluster}" (the stack name, unless set); it has ${catalogue.clusters.map((c) => c.name).join(', ')}`,
    ]);
  }
  const environment = environmentOf(catalogue, cluster);
  const hasCanary = canaryOf(cluster) !== undefined;
  const owns = vaultOwnerOf(catalogue, environment) === cluster.name;
  const tagged = backendOf(environment);
  const stackIs = `${cluster.name} is ${cluster.kind === 'aks' ? 'an aks' : 'a generic'} cluster of environment ${environment.name}, which uses ${backendNameOf(environment)}`;
  // An expired tenant secret stops the deploy, as it stops the synth.
  const expired = validityReport(catalogue, { now: new Date(), warnWithinDays: 0 }).errors.map(
    (issue) => `${issue.file}: ${issue.path}: ${issue.message}`,
  );

  /** The settings `schema` takes from what was given, and the digest of those that are not secret. */
  const checked = <S extends z.ZodType<Record<string, unknown>>>(schema: S, input: Record<string, unknown>) => {
    const result = schema.safeParse(input);
    const refused = (keys: readonly string[]) =>
      keys.map((key) => `${PROJECT}:${key}: not for this stack (${stackIs}): only for ${ONLY_FOR[key]}`);
    const issues = result.success ? [] : result.error.issues;
    const problems = [
      ...issues.flatMap((issue) => (issue.code === 'unrecognized_keys' ? refused(issue.keys) : [problemOf(issue)])),
      ...expired,
    ];
    if (!result.success || problems.length > 0) throw cannotDeploy(stack, problems);
    const data: z.output<S> = result.data;
    const plain = Object.entries(data).filter(([, value]) => !pulumi.Output.isInstance(value));
    return { ...data, settings: { cluster: cluster.name, catalogue: folder, ...Object.fromEntries(plain) } };
  };

  if (tagged.backend === 'vault') {
    const vault = { catalogue, cluster, backend: tagged.backend, environment: tagged.environment, ownsSpaces: owns };
    if (cluster.kind === 'aks')
      return {
        ...vault,
        kind: cluster.kind,
        ...checked(withCanaryCheck(withReloader(z.strictObject({ ...everyStack, ...vaultBackend, ...aksCluster })), hasCanary), given),
      };
    return {
      ...vault,
      kind: cluster.kind,
      ...checked(withCanaryCheck(withReloader(z.strictObject({ ...everyStack, ...vaultBackend, ...genericCluster })), hasCanary), given),
    };
  }
  const keyVault = { catalogue, cluster, backend: tagged.backend, environment: tagged.environment, ownsVault: owns };
  const keyVaultSettings = {
    ...everyStack,
    ...keyVaultBackend,
    vaultSecrets: keyVaultBackend.vaultSecrets.transform(windowsOf(catalogue, owns)),
  };
  const input = { ...given, location };
  if (cluster.kind === 'aks')
    return {
      ...keyVault,
      kind: cluster.kind,
      ...checked(withSecretValues(withCanaryCheck(withReloader(z.strictObject({ ...keyVaultSettings, ...aksCluster })), hasCanary)), input),
    };
  return {
    ...keyVault,
    kind: cluster.kind,
    ...checked(
      withSecretValues(
        withCanaryCheck(withReloader(z.strictObject({ ...keyVaultSettings, ...genericCluster, ...servicePrincipal })), hasCanary),
      ),
      input,
    ),
  };
}

/** The stack's config as Pulumi holds it, unchecked: plain values parsed from their text, secret ones as secret Outputs. */
function givenConfig(): Record<string, unknown> {
  const config = new pulumi.Config(PROJECT);
  const given: Record<string, unknown> = {};
  for (const key of STACK_SETTING_KEYS) {
    const text = config.get(key);
    if (text !== undefined) given[key] = parseConfigValue(text);
  }
  for (const [key, read] of Object.entries(SECRET_READERS)) {
    if (config.get(key) !== undefined) given[key] = read(config);
  }
  const location = new pulumi.Config('azure-native').get('location');
  if (location !== undefined) given.location = location;
  return given;
}

/** Pulumi stores structured config as JSON text and plain values as text. */
function parseConfigValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** The environment with its one backend as a tag. */
function backendOf(
  environment: Environment,
):
  | { readonly backend: 'vault'; readonly environment: VaultEnvironment }
  | { readonly backend: 'keyVault'; readonly environment: KeyVaultEnvironment } {
  if (isVaultEnvironment(environment)) return { backend: 'vault', environment };
  const { keyVault } = environment;
  // The catalogue's schema gives every environment exactly one backend; this tells the type checker.
  if (keyVault === undefined) throw new Error(`environment ${environment.name} has neither keyVault nor vault`);
  return { backend: 'keyVault', environment: { ...environment, keyVault } };
}

/**
 * The vault secrets a Key Vault stack writes, each with its validity window: the stack's, else the catalogue's
 * (its tenant secret's). Only the owning stack writes, and only what the catalogue references.
 */
function windowsOf(catalogue: Catalogue, ownsVault: boolean) {
  const referenced = new Set(referencedVaultSecrets(catalogue));
  return (
    secrets: readonly { name: string; expires?: string; notBefore?: string }[],
    ctx: z.core.$RefinementCtx,
  ): Omit<VaultSecretArgs, 'value'>[] => {
    const problem = (message: string) => ctx.issues.push({ code: 'custom', message, input: secrets });
    if (secrets.length > 0 && !ownsVault) problem("can only be set on the stack that owns the environment's Key Vault");
    return secrets.flatMap((secret) => {
      const before = ctx.issues.length;
      if (!referenced.has(secret.name)) problem(`"${secret.name}" is not a Key Vault secret the catalogue references`);
      const window = validityOfVaultSecret(catalogue, secret.name);
      if (secret.expires && window?.expires && secret.expires !== window.expires) {
        problem(`"${secret.name}" expires ${secret.expires}, but the catalogue says ${window.expires}; remove it from the stack config`);
      }
      const expires = secret.expires ?? window?.expires;
      if (expires === undefined) problem(`"${secret.name}" needs expires (the catalogue gives it no validity window)`);
      if (expires === undefined || ctx.issues.length > before) return [];
      return [{ name: secret.name, expires, notBefore: secret.notBefore ?? window?.notBefore }];
    });
  };
}

/**
 * reloaderChart means nothing without Reloader. ClusterKubernetes refuses the pair too; refused here, the stack
 * stops before any resource is declared.
 */
/** The in-cluster canary check needs both its image and its Pushgateway, and a cluster with a canary. */
function withCanaryCheck<
  S extends z.ZodType<{ readonly canaryCheckImage?: string; readonly canaryPushgateway?: string; readonly canaryCheckSchedule?: string }>,
>(schema: S, hasCanary: boolean) {
  return schema.superRefine((settings, context) => {
    const given = (['canaryCheckImage', 'canaryPushgateway', 'canaryCheckSchedule'] as const).filter((key) => settings[key] !== undefined);
    if (given.length > 0 && !hasCanary) {
      for (const key of given)
        context.addIssue({
          code: 'custom',
          path: [key],
          message: "the catalogue gives this cluster no canary (its canary is disabled): remove it, or enable the cluster's canary",
        });
      return;
    }
    for (const [key, other] of [
      ['canaryCheckImage', 'canaryPushgateway'],
      ['canaryPushgateway', 'canaryCheckImage'],
    ] as const) {
      if (settings[key] === undefined && settings[other] !== undefined)
        context.addIssue({ code: 'custom', path: [key], message: `required with ${other}: the in-cluster canary check needs both` });
    }
    if (settings.canaryCheckSchedule !== undefined && settings.canaryCheckImage === undefined && settings.canaryPushgateway === undefined) {
      context.addIssue({
        code: 'custom',
        path: ['canaryCheckSchedule'],
        message: 'given without canaryCheckImage and canaryPushgateway: there is no in-cluster canary check to schedule',
      });
    }
  });
}

function withReloader<S extends z.ZodType<{ readonly reloader?: boolean; readonly reloaderChart?: unknown }>>(schema: S) {
  return schema.refine((settings) => settings.reloader !== false || settings.reloaderChart === undefined, {
    message: 'given while reloader is false: remove it, or turn reloader on',
    path: ['reloaderChart'],
    when: (payload) => payload.issues.every((issue) => issue.path?.[0] !== 'reloader' && issue.path?.[0] !== 'reloaderChart'),
  });
}

/** Secrets listed in vaultSecrets need their values; reported whatever else is wrong. */
function withSecretValues<S extends z.ZodType<{ readonly vaultSecrets: readonly unknown[]; readonly vaultSecretValues?: unknown }>>(
  schema: S,
) {
  return schema.refine((settings) => settings.vaultSecrets.length === 0 || settings.vaultSecretValues !== undefined, {
    message: "required while vaultSecrets lists secrets, as a secret: pulumi config set --secret --path 'vaultSecretValues.<name>' <value>",
    path: ['vaultSecretValues'],
    when: (payload) => payload.issues.every((issue) => issue.path?.[0] !== 'vaultSecrets'),
  });
}

/** Every Key Vault secret name the catalogue references, credentials and tenants' own secrets alike. */
function referencedVaultSecrets(catalogue: Catalogue): string[] {
  const fromCredentials = catalogue.credentials.flatMap((c) => Object.values<string>(c.keyVault ?? {}));
  const fromTenants = ownSecretsOf(catalogue).flatMap(({ secret }) => Object.values(secret.keyVault ?? {}));
  return [...fromCredentials, ...fromTenants];
}

/** A zod issue as a problem with its config key. */
function problemOf(issue: z.core.$ZodIssue): string {
  const [key, ...rest] = issue.path.map(String);
  const at = key === 'location' ? LOCATION_KEY : [`${PROJECT}:${key}`, ...rest].join('.');
  return `${at}: ${issue.message}`;
}

function cannotDeploy(stack: string, problems: readonly string[]): Error {
  return new Error(`Stack ${stack} cannot be deployed:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
}
