import type * as vault from '@pulumi/vault';
import type { VaultPolicy } from '../tenants/lib';

/** A policy as Pulumi writes it: as JSON, which Vault accepts like HCL and which the policy pack can check. */
export function vaultPolicyArgs(policy: VaultPolicy): vault.PolicyArgs {
  return {
    name: policy.name,
    policy: JSON.stringify(policy.document, null, 2),
    ...(policy.namespace ? { namespace: policy.namespace } : {}),
  };
}
