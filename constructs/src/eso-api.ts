/**
 * The ESO API classes (external-secrets.io/v1), generated from ESO's CRDs with `cdk8s import`, for objects
 * this library has no construct for: `import { ExternalSecret } from '@central-secret-store/constructs/eso'`.
 */
export * from './imports/external-secrets.io';
