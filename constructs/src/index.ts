/**
 * Central Secret Store constructs: hand every tenant namespace exactly the shared credentials it may have, in
 * the format its consumer expects, with the External Secrets Operator (API external-secrets.io/v1).
 */
export * from './admission';
export * from './canary';
export * from './canary-check';
export * from './central-credential-store';
export * from './central-secret-store';
export * from './credential-distribution';
export * from './docker-registry-credential';
export * from './generic-credential';
export * from './git-credential';
export * from './key-vault-store';
export * from './master-credential';
export * from './namespace-label-guard';
export * from './oauth-client-credential';
export * from './operator-secret';
export * from './own-secret';
export * from './secret-format';
export * from './secret-store';
export * from './shared-credential';
export * from './service-account-pull-secrets';
export * from './store-reference-guard';
export * from './tenant-global-secret';
export * from './tenant-namespace';
export * from './tenant-owner-role';
export * from './tenant-secret';
export * from './tls-credential';
export * from './vault-store';
export * from './workload-secret';
export * from './vocabulary';
export type { ArgoCdSecretType } from './formats/argocd';
export type { KargoCredentialType } from './formats/kargo';
export type { KeyMapping } from './formats/mapping';
export type { RenderedFormat } from './formats/template';
export * from './secret-plane-alerts';
