import * as authorization from '@pulumi/azure-native/authorization';
import * as managedidentity from '@pulumi/azure-native/managedidentity';
import * as azuread from '@pulumi/azuread';
import * as pulumi from '@pulumi/pulumi';
import { AZURE_TOKEN_EXCHANGE_AUDIENCE, KEY_VAULT_SECRETS_USER_ROLE, roleDefinitionId, stableUuid } from './names';

interface IdentityBase {
  /** The catalogue cluster; part of every name. */
  readonly cluster: string;
  /** The vault ESO reads; the only scope the role is granted on. */
  readonly vaultId: pulumi.Input<string>;
  /** Vault name, for the stable role assignment name. */
  readonly vaultName: string;
  /** Subscription of the vault, for the role definition id. */
  readonly subscriptionId: pulumi.Input<string>;
}

/** Azure workload identity: a user-assigned managed identity trusted for ESO's ServiceAccount tokens. */
export interface WorkloadIdentityArgs extends IdentityBase {
  readonly kind: 'workload-identity';
  readonly resourceGroupName: pulumi.Input<string>;
  readonly location?: pulumi.Input<string>;
  /** The cluster's OIDC issuer URL. */
  readonly oidcIssuerUrl: pulumi.Input<string>;
  /**
   * ServiceAccounts whose tokens the identity accepts, as `system:serviceaccount:<namespace>:<name>`.
   * Azure rejects concurrent credential writes on one identity, so they are created one after another.
   */
  readonly subjects: readonly string[];
}

/** A service principal with an expiring password, outside Azure (docs/deploying.md, "What a stack does"). */
export interface ServicePrincipalArgs extends IdentityBase {
  readonly kind: 'service-principal';
  /** When the password expires (RFC 3339). Changing it rotates the password. */
  readonly passwordEndDate: string;
}

export type EsoIdentityArgs = WorkloadIdentityArgs | ServicePrincipalArgs;

/**
 * The identity ESO uses to read Key Vault, granted "Key Vault Secrets User" on that vault and nowhere else.
 */
export class EsoIdentity extends pulumi.ComponentResource {
  /** Application (client) id ESO presents. */
  readonly clientId: pulumi.Output<string>;
  /** Client secret, for a service principal only; a secret Output. */
  readonly clientSecret?: pulumi.Output<string>;

  constructor(name: string, args: EsoIdentityArgs, opts?: pulumi.ComponentResourceOptions) {
    super('central-secret-store:azure:EsoIdentity', name, {}, opts);
    let principalId: pulumi.Output<string>;

    if (args.kind === 'workload-identity') {
      if (args.subjects.length === 0) throw new Error(`EsoIdentity ${name}: subjects must name ESO's ServiceAccount`);
      const identity = new managedidentity.UserAssignedIdentity(
        name,
        { resourceName: `css-eso-${args.cluster}`, resourceGroupName: args.resourceGroupName, location: args.location },
        { parent: this },
      );
      let previous: pulumi.Resource | undefined;
      args.subjects.forEach((subject, i) => {
        previous = new managedidentity.FederatedIdentityCredential(
          `${name}-federation-${i}`,
          {
            resourceName: identity.name,
            resourceGroupName: args.resourceGroupName,
            federatedIdentityCredentialResourceName: `eso-${i}`,
            issuer: args.oidcIssuerUrl,
            subject,
            audiences: [AZURE_TOKEN_EXCHANGE_AUDIENCE],
          },
          // ConcurrentFederatedIdentityCredentialsWritesForSingleManagedIdentity: one at a time.
          { parent: this, dependsOn: previous ? [previous] : [] },
        );
      });
      this.clientId = identity.clientId;
      principalId = identity.principalId;
    } else {
      if (Number.isNaN(Date.parse(args.passwordEndDate))) {
        throw new Error(`EsoIdentity ${name}: passwordEndDate must be an RFC 3339 timestamp, got "${args.passwordEndDate}"`);
      }
      const application = new azuread.Application(
        name,
        { displayName: `central-secret-store-eso-${args.cluster}`, preventDuplicateNames: true },
        { parent: this },
      );
      const principal = new azuread.ServicePrincipal(name, { clientId: application.clientId }, { parent: this });
      const password = new azuread.ApplicationPassword(
        name,
        {
          applicationId: application.id,
          displayName: `eso-${args.cluster}`,
          endDate: args.passwordEndDate,
          rotateWhenChanged: { endDate: args.passwordEndDate },
        },
        { parent: this, additionalSecretOutputs: ['value'] },
      );
      this.clientId = application.clientId;
      this.clientSecret = pulumi.secret(password.value);
      principalId = principal.objectId;
    }

    new authorization.RoleAssignment(
      `${name}-secrets-user`,
      {
        roleAssignmentName: stableUuid('central-secret-store', args.cluster, args.vaultName, 'eso', KEY_VAULT_SECRETS_USER_ROLE),
        principalId,
        principalType: 'ServicePrincipal',
        roleDefinitionId: pulumi.output(args.subscriptionId).apply((sub) => roleDefinitionId(sub, KEY_VAULT_SECRETS_USER_ROLE)),
        scope: args.vaultId,
        description: `External Secrets Operator on ${args.cluster} reads secrets of ${args.vaultName}`,
      },
      { parent: this },
    );
    this.registerOutputs({ clientId: this.clientId });
  }
}
