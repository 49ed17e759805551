import * as pulumi from '@pulumi/pulumi';
import * as vault from '@pulumi/vault';
import type { BackendDeployment } from './backend-deployment';
import { CanarySecret } from './canary';
import type { VaultLogins } from './cluster-kubernetes';
import type { VaultStackConfig } from './config';
import { apiServerOf } from './kubeconfig';
import { VaultAccess, vaultScopeOf } from './vault-access';
import { VaultSpaces } from './vault-spaces';
import { movedChild } from './moved-children';

export interface VaultDeploymentArgs {
  /** The stack's config: a cluster of a HashiCorp Vault environment. */
  readonly config: VaultStackConfig;
  /** kubeconfig of the cluster: Vault reviews ESO's tokens at its API server, trusting its CA. */
  readonly kubeconfig: pulumi.Output<string>;
  /**
   * The canary value to write into the vault (see canaryValue).
   * @default - none: the cluster has no canary
   */
  readonly canary?: string;
}

/**
 * A cluster's HashiCorp Vault side, with no Azure resource: Vault at the catalogue's address, the
 * environment's spaces and tenant policies (owning stack, VaultSpaces), the cluster's canary in the shared
 * mount, and, once the cluster's token reviewer exists, the cluster's logins (VaultAccess, see vaultLogins).
 * Pulumi writes no secret values into Vault.
 */
export class VaultDeployment extends pulumi.ComponentResource implements BackendDeployment {
  readonly vaultUri: pulumi.Output<string>;
  readonly canary?: pulumi.Output<string>;
  readonly vaultLogins: VaultLogins;

  constructor(name: string, args: VaultDeploymentArgs, opts?: pulumi.ComponentResourceOptions) {
    super('central-secret-store:vault:VaultDeployment', name, {}, opts);
    const { config } = args;
    const { cluster, environment } = config;
    const provider = new vault.Provider(
      `${name}-vault`,
      {
        address: environment.vault.address,
        ...(config.vaultToken ? { token: config.vaultToken } : {}),
        ...(config.vaultCaCertFile ? { caCertFile: config.vaultCaCertFile } : {}),
      },
      movedChild(this, opts),
    );
    const scope = vaultScopeOf(config.catalogue, cluster, environment);
    const spaces = config.ownsSpaces
      ? new VaultSpaces(`${name}-vault-spaces`, { vault: environment.vault, tenants: scope.spaceTenants, provider }, movedChild(this, opts))
      : undefined;
    if (args.canary !== undefined) {
      this.canary = new CanarySecret(
        `${name}-canary`,
        {
          cluster: cluster.name,
          value: args.canary,
          vault: { kind: 'vault', settings: environment.vault, provider, dependsOn: spaces ? [spaces.sharedMount] : [] },
        },
        movedChild(this, opts),
      ).value;
    }

    // The API server's address and CA are not secret, though the kubeconfig is: previews show their changes.
    const apiServer = pulumi.unsecret(args.kubeconfig.apply((text) => apiServerOf(text)));
    this.vaultLogins = (tokenReviewer) =>
      new VaultAccess(
        `${name}-vault-access`,
        {
          vault: environment.vault,
          cluster: cluster.name,
          clusterTenants: scope.clusterTenants,
          masterPaths: scope.masterPaths,
          tenantPolicies: spaces?.tenantPolicies,
          kubernetesHost: config.vaultKubernetesHost ?? apiServer.apply((s) => s.server),
          kubernetesCaCert: apiServer.apply((s) => s.caCert),
          tokenReviewer,
          vaultProvider: provider,
        },
        movedChild(this, opts),
      ).ready;

    this.vaultUri = pulumi.output(environment.vault.address);
    this.registerOutputs({ vaultUri: this.vaultUri, canary: this.canary });
  }
}
