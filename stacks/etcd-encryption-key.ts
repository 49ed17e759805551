import * as authorization from '@pulumi/azure-native/authorization';
import * as keyvault from '@pulumi/azure-native/keyvault';
import * as pulumi from '@pulumi/pulumi';
import { KEY_VAULT_CRYPTO_USER_ROLE, roleDefinitionId, stableUuid } from './names';

export interface EtcdEncryptionKeyArgs {
  /** The catalogue cluster. */
  readonly cluster: string;
  /** The environment's vault. */
  readonly vaultName: string;
  readonly vaultResourceGroupName: pulumi.Input<string>;
  readonly subscriptionId: pulumi.Input<string>;
  /** Principal of the AKS cluster's (control plane) identity, which wraps and unwraps with the key. */
  readonly clusterPrincipalId: pulumi.Input<string>;
  /**
   * How often Key Vault rotates the key (ISO 8601 duration).
   * @default 'P90D'
   */
  readonly rotateAfter?: string;
}

/**
 * The Key Vault key an AKS cluster encrypts etcd with (KMS v2, "Good practices for Kubernetes Secrets":
 * encryption at rest), rotated by Key Vault, and the cluster identity's "Key Vault Crypto User" role on that
 * key alone. The stack does not own the AKS cluster, so turning KMS on is one `az aks update` with `keyId`
 * (docs/architecture.md, "Encryption at rest"); the key and the grant are what that command needs.
 */
export class EtcdEncryptionKey extends pulumi.ComponentResource {
  /** Versionless key id, e.g. https://<vault>.vault.azure.net/keys/<name>. */
  readonly keyId: pulumi.Output<string>;

  constructor(name: string, args: EtcdEncryptionKeyArgs, opts?: pulumi.ComponentResourceOptions) {
    super('central-secret-store:azure:EtcdEncryptionKey', name, {}, opts);
    const key = new keyvault.Key(
      name,
      {
        vaultName: args.vaultName,
        resourceGroupName: args.vaultResourceGroupName,
        keyName: `etcd-kms-${args.cluster}`,
        properties: {
          kty: 'RSA',
          keySize: 2048,
          keyOps: ['encrypt', 'decrypt', 'wrapKey', 'unwrapKey'],
          rotationPolicy: {
            attributes: { expiryTime: 'P1Y' },
            lifetimeActions: [{ action: { type: 'rotate' }, trigger: { timeAfterCreate: args.rotateAfter ?? 'P90D' } }],
          },
        },
      },
      // Losing this key makes every Secret in etcd unreadable.
      { parent: this, protect: true },
    );
    new authorization.RoleAssignment(
      `${name}-crypto-user`,
      {
        roleAssignmentName: stableUuid('central-secret-store', args.cluster, args.vaultName, 'etcd-kms', KEY_VAULT_CRYPTO_USER_ROLE),
        principalId: args.clusterPrincipalId,
        principalType: 'ServicePrincipal',
        roleDefinitionId: pulumi.output(args.subscriptionId).apply((sub) => roleDefinitionId(sub, KEY_VAULT_CRYPTO_USER_ROLE)),
        scope: key.id,
        description: `AKS ${args.cluster} encrypts etcd with its KMS key`,
      },
      { parent: this },
    );
    this.keyId = key.keyUri;
    this.registerOutputs({ keyId: this.keyId });
  }
}
