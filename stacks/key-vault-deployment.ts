import * as authorization from '@pulumi/azure-native/authorization';
import * as containerservice from '@pulumi/azure-native/containerservice';
import * as pulumi from '@pulumi/pulumi';
import { ESO_NAMESPACE, ESO_SERVICE_ACCOUNT } from '../constructs/src';
import { keyVaultResourceGroupOf } from '../tenants/lib';
import { aksClusterOf } from './aks-cluster';
import type { BackendDeployment } from './backend-deployment';
import { CanarySecret } from './canary';
import type { KeyVaultStackConfig } from './config';
import { EsoIdentity } from './eso-identity';
import { EtcdEncryptionKey } from './etcd-encryption-key';
import { KeyVault } from './key-vault';
import { movedChild } from './moved-children';

export interface KeyVaultDeploymentArgs {
  /** The stack's config: a cluster of an Azure Key Vault environment. */
  readonly config: KeyVaultStackConfig;
  /**
   * The canary value to write into the vault (see canaryValue).
   * @default - none: the cluster has no canary
   */
  readonly canary?: string;
}

/**
 * A cluster's Azure Key Vault side: the environment's vault (created by the owning stack, with the secrets it
 * writes, looked up by the others), the cluster's canary in it, the identity ESO reads it with and its one role
 * assignment (workload identity on AKS, a service principal elsewhere), and on AKS the key etcd is encrypted
 * with.
 */
export class KeyVaultDeployment extends pulumi.ComponentResource implements BackendDeployment {
  readonly vaultUri: pulumi.Output<string>;
  readonly esoIdentity: EsoIdentity;
  readonly canary?: pulumi.Output<string>;
  readonly etcdKmsKeyId?: pulumi.Output<string>;

  constructor(name: string, args: KeyVaultDeploymentArgs, opts?: pulumi.ComponentResourceOptions) {
    super('central-secret-store:azure:KeyVaultDeployment', name, {}, opts);
    const { config } = args;
    const { cluster, environment } = config;
    const { keyVault } = environment;
    const client = authorization.getClientConfigOutput({ parent: this });
    const vault = new KeyVault(
      `${name}-vault`,
      {
        vaultName: keyVault.name,
        resourceGroupName: keyVaultResourceGroupOf(environment),
        tenantId: keyVault.tenantId,
        create: config.ownsVault,
        location: config.location,
        sku: config.keyVaultSku,
        allowedIpRanges: config.keyVaultAllowedIpRanges,
        allowedSubnetIds: config.keyVaultAllowedSubnetIds,
        logAnalyticsWorkspaceId: config.logAnalyticsWorkspaceId,
        secrets: config.vaultSecrets.map((secret) => ({ ...secret, value: secretValue(config.vaultSecretValues, secret.name) })),
      },
      movedChild(this, opts),
    );
    // After the vault exists: the owning stack creates it in this same run.
    const vaultResourceGroupName = vault.vaultId.apply(() => keyVaultResourceGroupOf(environment));
    if (args.canary !== undefined) {
      this.canary = new CanarySecret(
        `${name}-canary`,
        {
          cluster: cluster.name,
          value: args.canary,
          vault: { kind: 'keyVault', vaultName: keyVault.name, resourceGroupName: vaultResourceGroupName },
        },
        movedChild(this, opts),
      ).value;
    }

    const identityBase = { cluster: cluster.name, vaultId: vault.vaultId, vaultName: keyVault.name, subscriptionId: client.subscriptionId };
    if (config.kind === 'aks') {
      const aks = aksClusterOf(config);
      const managed = containerservice.getManagedClusterOutput(aks, { parent: this });
      this.esoIdentity = new EsoIdentity(
        `${name}-eso-identity`,
        {
          ...identityBase,
          kind: 'workload-identity',
          resourceGroupName: aks.resourceGroupName,
          location: config.location,
          oidcIssuerUrl: managed.apply((m) => {
            if (!m.oidcIssuerProfile?.issuerURL)
              throw new Error(`AKS cluster ${aks.resourceName} has no OIDC issuer; enable oidcIssuerProfile and workload identity on it`);
            return m.oidcIssuerProfile.issuerURL;
          }),
          subjects: [`system:serviceaccount:${ESO_NAMESPACE}:${ESO_SERVICE_ACCOUNT}`],
        },
        movedChild(this, opts),
      );
      this.etcdKmsKeyId = new EtcdEncryptionKey(
        `${name}-etcd-kms`,
        {
          cluster: cluster.name,
          vaultName: keyVault.name,
          vaultResourceGroupName,
          subscriptionId: client.subscriptionId,
          clusterPrincipalId: managed.apply((m) => {
            if (!m.identity?.principalId)
              throw new Error(`AKS cluster ${aks.resourceName} has no managed identity; KMS etcd encryption needs one`);
            return m.identity.principalId;
          }),
        },
        movedChild(this, opts),
      ).keyId;
    } else {
      this.esoIdentity = new EsoIdentity(
        `${name}-eso-identity`,
        { ...identityBase, kind: 'service-principal', passwordEndDate: config.servicePrincipalPasswordEndDate },
        movedChild(this, opts),
      );
    }

    this.vaultUri = vault.vaultUri;
    this.registerOutputs({
      vaultUri: this.vaultUri,
      esoClientId: this.esoIdentity.clientId,
      etcdKmsKeyId: this.etcdKmsKeyId,
      canary: this.canary,
    });
  }
}

/** The value of a secret Pulumi writes, from the secret config; the parse has made sure the config is there. */
function secretValue(values: pulumi.Output<Record<string, string>> | undefined, name: string): pulumi.Output<string> {
  return pulumi.output(values).apply((given) => {
    const value = given?.[name];
    if (value === undefined)
      throw new Error(
        `vaultSecretValues has no value for "${name}"; set it with pulumi config set --secret --path 'vaultSecretValues.${name}'`,
      );
    return value;
  });
}
