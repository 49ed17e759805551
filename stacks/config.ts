import * as pulumi from '@pulumi/pulumi';
import { z } from 'zod';

/** Pulumi config namespace of this project (`central-secret-store:<key>` in Pulumi.<cluster>.yaml). */
export const PROJECT = 'central-secret-store';

const rfc3339 = z.iso.datetime({ offset: true, message: 'must be an RFC 3339 timestamp such as 2027-05-31T00:00:00Z' });

/** Non-secret stack settings. Secret ones (kubeconfig, vault secret values, Vault token) are read separately, as secrets. */
export const stackSettingsSchema = z.strictObject({
  cluster: z.string().min(1).describe('Catalogue cluster this stack deploys. Default: the stack name'),
  catalogue: z.string().min(1).optional().describe("Catalogue folder, absolute or relative to the repository root (where Pulumi runs the program). Default: the repository's tenants/ folder"),
  aksResourceGroup: z.string().min(1).optional().describe('Resource group of the AKS cluster (aks clusters)'),
  aksName: z.string().min(1).optional().describe('Name of the AKS cluster. Default: the catalogue cluster name'),
  keyVaultSku: z.enum(['standard', 'premium']).default('standard'),
  keyVaultAllowedIpRanges: z.array(z.string().regex(/^[0-9.]+(\/[0-9]{1,2})?$/, 'must be an IPv4 address or CIDR range')).default([]),
  keyVaultAllowedSubnetIds: z.array(z.string().startsWith('/subscriptions/')).default([]),
  logAnalyticsWorkspaceId: z.string().startsWith('/subscriptions/').optional(),
  servicePrincipalPasswordEndDate: rfc3339.optional().describe('End date of the ESO service principal password (generic clusters); change it to rotate'),
  vaultSecrets: z
    .array(z.strictObject({ name: z.string().regex(/^[0-9A-Za-z-]{1,127}$/), expires: rfc3339.optional(), notBefore: rfc3339.optional() }))
    .default([])
    .describe('Key Vault secrets this stack writes; each value comes from the secret config vaultSecretValues.<name>. expires/notBefore default to the catalogue window of the tenant secret that reads it'),
  vaultKubernetesHost: z
    .url({ message: 'must be the URL of the API server, such as https://10.0.0.1:6443' })
    .optional()
    .describe('HashiCorp Vault environments: the API server as Vault reaches it, to review the tokens ESO presents. Default: the server of the kubeconfig'),
  vaultCaCertFile: z.string().min(1).optional().describe('HashiCorp Vault environments: CA file Pulumi trusts for Vault. Default: VAULT_CACERT, else the system roots'),
  esoReplicas: z.number().int().min(1).max(5).default(1),
  esoConcurrency: z.number().int().min(1).max(20).default(4),
  serviceMonitor: z.boolean().default(true),
  alerts: z
    .boolean()
    .optional()
    .describe("The product's PrometheusRule beside ESO (needs the Prometheus Operator's CRDs). Default: the value of serviceMonitor"),
});

export type StackSettings = z.infer<typeof stackSettingsSchema>;

/** All settings of one stack, with the secret ones kept as secret Outputs. */
export interface StackConfig extends StackSettings {
  /** Azure region for everything this stack creates (`azure-native:location`); Key Vault environments need it. */
  readonly location?: string;
  /** kubeconfig for clusters outside Azure (secret config `kubeconfig`). */
  readonly kubeconfig?: pulumi.Output<string>;
  /** Values of `vaultSecrets`, by name (secret config `vaultSecretValues`). */
  readonly vaultSecretValues?: pulumi.Output<Record<string, string>>;
  /** Token Pulumi configures HashiCorp Vault with (secret config `vaultToken`); else the provider's VAULT_TOKEN. */
  readonly vaultToken?: pulumi.Output<string>;
}

/** Pulumi stores structured config as JSON text and plain values as text. */
function parseConfigValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

const SETTING_KEYS = Object.keys(stackSettingsSchema.shape) as (keyof StackSettings)[];

/** The settings of a stack that are not secret, with the region: what a digest of the deployment may include. */
export function stackSettingsOf(config: StackConfig): Record<string, unknown> {
  return { ...Object.fromEntries(SETTING_KEYS.map((key) => [key, config[key]])), location: config.location };
}

/**
 * Reads and validates the stack's config. Every problem is reported at once, by config key, before any
 * resource is declared.
 */
export function readStackConfig(): StackConfig {
  const config = new pulumi.Config(PROJECT);
  const raw: Record<string, unknown> = { cluster: pulumi.getStack() };
  for (const key of SETTING_KEYS) {
    const text = config.get(key);
    if (text !== undefined) raw[key] = parseConfigValue(text);
  }
  const parsed = stackSettingsSchema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${PROJECT}:${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid stack config for ${pulumi.getStack()}:\n${lines.join('\n')}`);
  }
  // Required for Key Vault environments only; the deployment checks it once it knows the backend.
  const location = new pulumi.Config('azure-native').get('location');
  const hasSecret = (key: string) => config.get(key) !== undefined;
  return {
    ...parsed.data,
    location,
    kubeconfig: hasSecret('kubeconfig') ? config.requireSecret('kubeconfig') : undefined,
    vaultSecretValues: hasSecret('vaultSecretValues') ? config.requireSecretObject<Record<string, string>>('vaultSecretValues') : undefined,
    vaultToken: hasSecret('vaultToken') ? config.requireSecret('vaultToken') : undefined,
  };
}
