import { createHash } from 'node:crypto';
import * as keyvault from '@pulumi/azure-native/keyvault';
import * as pulumi from '@pulumi/pulumi';
import * as vault from '@pulumi/vault';
import { App, Chart } from 'cdk8s';
import { CanaryCheck, type CanaryCheckProps } from '../constructs/src';
import type { ClusterManifests } from '../plane';
import { CANARY_KEY, type VaultSettings, canaryKeyVaultSecretName, canaryVaultPath, sharedSpaceOf } from '../tenants/lib';

/**
 * The content type of the canary's Key Vault secret. The policy pack exempts a secret named `css-canary-*` of
 * this type from the expiry rule: the canary is a marker, not a secret, and an expired canary would stop ESO
 * reading it between deployments.
 */
export const CANARY_CONTENT_TYPE = 'central-secret-store canary marker';

/** Hex digits of the sha256 the canary's value keeps: plenty to tell deployments apart, short to read in a log. */
const CANARY_VALUE_LENGTH = 16;

/**
 * The canary's value for a deployment: a digest of what it deploys, the cluster's synthesized manifests and
 * the stack's non-secret settings. Every deployment that changes either writes a new value, and one that
 * changes nothing writes the same value, so a second `pulumi up` or a preview stays quiet.
 */
export function canaryValue(manifests: ClusterManifests, settings: Readonly<Record<string, unknown>>): string {
  return createHash('sha256').update(JSON.stringify({ manifests, settings })).digest('hex').slice(0, CANARY_VALUE_LENGTH);
}

/** The sha256 (hex) of a canary value: what the in-cluster check compares the copy's value with. */
export function canaryValueSha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/** The in-cluster canary check (CanaryCheck), as the objects Pulumi applies. */
export function canaryCheckObjects(props: CanaryCheckProps): Record<string, unknown>[] {
  const chart = new Chart(new App(), 'canary-check', { disableResourceNameHashes: true });
  new CanaryCheck(chart, 'check', props);
  return chart.toJson();
}

/** Where the canary is written: the environment's Azure Key Vault or HashiCorp Vault. */
export type CanaryVault =
  | { readonly kind: 'keyVault'; readonly vaultName: string; readonly resourceGroupName: pulumi.Input<string> }
  | {
      readonly kind: 'vault';
      readonly settings: VaultSettings;
      readonly provider: vault.Provider;
      readonly dependsOn?: readonly pulumi.Resource[];
    };

export interface CanaryArgs {
  /** The catalogue cluster; names the canary's vault secret. */
  readonly cluster: string;
  /** See canaryValue. */
  readonly value: string;
  readonly vault: CanaryVault;
}

/**
 * Writes the cluster's canary value into its environment's vault, where the cluster's canary master reads it
 * (`css-canary-<cluster>` in Key Vault, `canary/<cluster>` in the shared mount in HashiCorp Vault).
 */
export class CanarySecret extends pulumi.ComponentResource {
  /** The value written, the stack output `canary` that the canary check expects. */
  readonly value: pulumi.Output<string>;

  constructor(name: string, args: CanaryArgs, opts?: pulumi.ComponentResourceOptions) {
    super('central-secret-store:index:CanarySecret', name, {}, opts);
    const target = args.vault;
    if (target.kind === 'keyVault') {
      new keyvault.Secret(
        name,
        {
          vaultName: target.vaultName,
          resourceGroupName: target.resourceGroupName,
          secretName: canaryKeyVaultSecretName(args.cluster),
          properties: { value: args.value, contentType: CANARY_CONTENT_TYPE, attributes: { enabled: true } },
        },
        { parent: this },
      );
    } else {
      const space = sharedSpaceOf(target.settings);
      new vault.kv.SecretV2(
        name,
        {
          mount: space.mount,
          name: canaryVaultPath(args.cluster),
          dataJson: JSON.stringify({ [CANARY_KEY]: args.value }),
          ...(space.namespace ? { namespace: space.namespace } : {}),
        },
        { parent: this, provider: target.provider, dependsOn: [...(target.dependsOn ?? [])] },
      );
    }
    this.value = pulumi.output(args.value);
    this.registerOutputs({ value: this.value });
  }
}
