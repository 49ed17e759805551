import * as keyvault from '@pulumi/azure-native/keyvault';
import * as monitor from '@pulumi/azure-native/monitor';
import * as resources from '@pulumi/azure-native/resources';
import * as pulumi from '@pulumi/pulumi';

export interface VaultSecretArgs {
  /** Key Vault secret name. */
  readonly name: string;
  /** The value, always a secret Output so that it is encrypted in the Pulumi state. */
  readonly value: pulumi.Output<string>;
  /** Expiry (RFC 3339); Key Vault stores it as seconds since the epoch. */
  readonly expires: string;
  /** Not valid before (RFC 3339). */
  readonly notBefore?: string;
}

export interface KeyVaultArgs {
  /** Vault name, from the catalogue's environment. */
  readonly vaultName: string;

  /** Resource group of the vault. */
  readonly resourceGroupName: string;

  /** Azure AD tenant of the vault. */
  readonly tenantId: string;

  /**
   * Whether this stack creates the vault (and its resource group) or looks up the one its environment's
   * owner stack created. One vault per environment, one owning stack: rotating a credential is one write,
   * whatever the number of clusters.
   */
  readonly create: boolean;

  /** Azure region, when creating. */
  readonly location?: pulumi.Input<string>;

  /**
   * SKU, when creating.
   * @default 'standard'
   */
  readonly sku?: 'standard' | 'premium';

  /**
   * Public IPv4 ranges allowed through the vault firewall. Empty (the default) turns public network access
   * off entirely; with ranges, access stays on but the firewall denies everything else.
   * @default []
   */
  readonly allowedIpRanges?: readonly string[];

  /**
   * Subnets (service endpoints) allowed through the firewall.
   * @default []
   */
  readonly allowedSubnetIds?: readonly string[];

  /**
   * Log Analytics workspace receiving the vault's audit logs (every secret read, Property 9).
   * @default - no diagnostic settings
   */
  readonly logAnalyticsWorkspaceId?: string;

  /**
   * Secrets Pulumi writes. Only for values that arrive as secret config; everything else is filled out of
   * band, and this program never sees it.
   * @default []
   */
  readonly secrets?: readonly VaultSecretArgs[];
}

/**
 * An environment's Azure Key Vault with the secure defaults of Azure Verified Modules: RBAC authorization,
 * purge protection, 90 days of soft delete, no public access unless ranges are allowed (and then a firewall
 * that denies by default), no deployment or disk-encryption access, and audit logs when a workspace is given.
 */
export class KeyVault extends pulumi.ComponentResource {
  readonly vaultId: pulumi.Output<string>;
  readonly vaultUri: pulumi.Output<string>;

  constructor(name: string, args: KeyVaultArgs, opts?: pulumi.ComponentResourceOptions) {
    super('central-secret-store:azure:KeyVault', name, {}, opts);
    if (!args.create && (args.secrets?.length ?? 0) > 0) {
      throw new Error(
        `KeyVault ${args.vaultName}: this stack does not own the vault, so it cannot write secrets to it; set vaultSecrets on the owning stack`,
      );
    }

    if (args.create) {
      const group = new resources.ResourceGroup(
        `${name}-rg`,
        { resourceGroupName: args.resourceGroupName, location: args.location },
        { parent: this },
      );
      const ipRanges = [...(args.allowedIpRanges ?? [])];
      const subnets = [...(args.allowedSubnetIds ?? [])];
      const open = ipRanges.length > 0 || subnets.length > 0;
      const vault = new keyvault.Vault(
        name,
        {
          vaultName: args.vaultName,
          resourceGroupName: group.name,
          location: args.location,
          properties: {
            tenantId: args.tenantId,
            sku: { family: 'A', name: args.sku ?? 'standard' },
            enableRbacAuthorization: true,
            enablePurgeProtection: true,
            enableSoftDelete: true,
            softDeleteRetentionInDays: 90,
            enabledForDeployment: false,
            enabledForDiskEncryption: false,
            enabledForTemplateDeployment: false,
            publicNetworkAccess: open ? 'Enabled' : 'Disabled',
            networkAcls: {
              bypass: 'None',
              defaultAction: 'Deny',
              ipRules: ipRanges.map((value) => ({ value })),
              virtualNetworkRules: subnets.map((id) => ({ id })),
            },
          },
        },
        // Purge protection cannot be undone, and the vault holds every master: never delete it by accident.
        { parent: this, protect: true },
      );
      this.vaultId = vault.id;
      this.vaultUri = vault.properties.apply((p) => p.vaultUri ?? `https://${args.vaultName}.vault.azure.net/`);

      if (args.logAnalyticsWorkspaceId) {
        new monitor.DiagnosticSetting(
          `${name}-audit`,
          {
            name: 'central-secret-store-audit',
            resourceUri: vault.id,
            workspaceId: args.logAnalyticsWorkspaceId,
            logAnalyticsDestinationType: 'Dedicated',
            logs: [{ categoryGroup: 'allLogs', enabled: true }],
            metrics: [{ category: 'AllMetrics', enabled: true }],
          },
          { parent: this },
        );
      }

      for (const secret of args.secrets ?? []) {
        new keyvault.Secret(
          `${name}-${secret.name}`,
          {
            vaultName: vault.name,
            resourceGroupName: group.name,
            secretName: secret.name,
            properties: {
              value: pulumi.secret(secret.value),
              attributes: {
                enabled: true,
                expires: epochSeconds(secret.expires),
                ...(secret.notBefore ? { notBefore: epochSeconds(secret.notBefore) } : {}),
              },
            },
          },
          { parent: this, additionalSecretOutputs: ['properties'] },
        );
      }
    } else {
      const vault = keyvault.getVaultOutput({ vaultName: args.vaultName, resourceGroupName: args.resourceGroupName }, { parent: this });
      this.vaultId = vault.id;
      this.vaultUri = vault.properties.apply((p) => p.vaultUri ?? `https://${args.vaultName}.vault.azure.net/`);
    }
    this.registerOutputs({ vaultId: this.vaultId, vaultUri: this.vaultUri });
  }
}

function epochSeconds(rfc3339: string): number {
  return Math.floor(Date.parse(rfc3339) / 1000);
}
