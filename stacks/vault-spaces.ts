import * as pulumi from '@pulumi/pulumi';
import * as vault from '@pulumi/vault';
import { type VaultSettings, sharedSpaceOf, tenantPolicyOf, tenantSpaceOf } from '../tenants/lib';
import { vaultPolicyArgs } from './vault-policy';

export interface VaultSpacesArgs {
  /** The environment's Vault, from the catalogue. */
  readonly vault: VaultSettings;
  /** Tenants with a space in the environment (see vaultScopeOf). */
  readonly tenants: readonly string[];
  /** Provider of the environment's Vault. */
  readonly provider: vault.Provider;
}

/**
 * What an environment's HashiCorp Vault holds once for all its clusters, created by the environment's owning
 * stack (see tenants/lib/vault-layout.ts): the shared KV v2 mount of the masters, and each tenant's space (a
 * KV v2 mount, or a Vault Enterprise namespace holding one) with a policy that reads that space only. The
 * clusters' logins (VaultAccess) name those policies.
 */
export class VaultSpaces extends pulumi.ComponentResource {
  /** The masters' mount: what writes into it waits for it. */
  readonly sharedMount: vault.Mount;
  /** Each tenant's policy, by tenant: a role naming it waits for it. */
  readonly tenantPolicies: ReadonlyMap<string, vault.Policy>;

  constructor(name: string, args: VaultSpacesArgs, opts?: pulumi.ComponentResourceOptions) {
    super('central-secret-store:vault:VaultSpaces', name, {}, opts);
    const { vault: settings } = args;
    // Deleting a mount or namespace deletes every secret in it: never by accident.
    const keep = { parent: this, provider: args.provider, protect: true };
    const kvMount = (id: string, path: string, namespace: string | undefined, description: string, dependsOn: pulumi.Resource[] = []) =>
      new vault.Mount(
        id,
        { path, type: 'kv', options: { version: '2' }, description, ...(namespace ? { namespace } : {}) },
        { ...keep, dependsOn },
      );

    const shared = sharedSpaceOf(settings);
    this.sharedMount = kvMount(`${name}-shared`, shared.mount, shared.namespace, 'Central Secret Store: masters of the shared credentials');
    const policies = new Map<string, vault.Policy>();
    for (const tenant of args.tenants) {
      const space = tenantSpaceOf(settings, tenant);
      const namespace =
        settings.tenantSpaces === 'namespaces'
          ? [
              new vault.Namespace(
                `${name}-namespace-${tenant}`,
                { path: `${settings.tenantPrefix}${tenant}`, ...(settings.namespace ? { namespace: settings.namespace } : {}) },
                keep,
              ),
            ]
          : [];
      const mount = kvMount(
        `${name}-space-${tenant}`,
        space.mount,
        space.namespace,
        `Central Secret Store: own secrets of tenant ${tenant}`,
        namespace,
      );
      policies.set(
        tenant,
        new vault.Policy(`${name}-policy-${tenant}`, vaultPolicyArgs(tenantPolicyOf(settings, tenant)), {
          parent: this,
          provider: args.provider,
          dependsOn: [...namespace, mount],
        }),
      );
    }
    this.tenantPolicies = policies;
    this.registerOutputs({});
  }
}
