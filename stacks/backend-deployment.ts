import type * as pulumi from '@pulumi/pulumi';
import type { VaultLogins } from './cluster-kubernetes';

/**
 * What a cluster's backend, the vault of its environment, contributes to the cluster's deployment
 * (ClusterDeployment): declared from the stack's config before the cluster's Kubernetes half
 * (ClusterKubernetes), which takes its identity or its Vault logins. One implementation per backend:
 * KeyVaultDeployment (Azure Key Vault) and VaultDeployment (HashiCorp Vault).
 */
export interface BackendDeployment {
  /** The vault's address: a Key Vault URI or the Vault server's address (stack output `vaultUri`). */
  readonly vaultUri: pulumi.Output<string>;
  /**
   * The identity ESO reads the vault with, for its identity Secret (stack output `esoClientId`).
   * @default - none: ESO logs in with its ServiceAccount
   */
  readonly esoIdentity?: { readonly clientId: pulumi.Output<string>; readonly clientSecret?: pulumi.Output<string> };
  /**
   * The canary value the backend wrote into the vault (stack output `canary`).
   * @default - none: the cluster has no canary
   */
  readonly canary?: pulumi.Output<string>;
  /**
   * Vault's side of ESO's logins, which needs the cluster's token reviewer; the secret plane waits for it.
   * @default - none: ESO's identity Secret is all the stores need
   */
  readonly vaultLogins?: VaultLogins;
  /**
   * Key id for AKS KMS etcd encryption (stack output `etcdKmsKeyId`).
   * @default - none: only aks clusters of Key Vault environments have one
   */
  readonly etcdKmsKeyId?: pulumi.Output<string>;
}
