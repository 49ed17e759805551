import { type OwnSecret, reservedSecretAnnotation, reservedSecretLabel } from '../tenants/lib';
import { copyOf, goString, key } from './formats/template';
import {
  type ExternalSecretSpec,
  ExternalSecretSpecRefreshPolicy,
  ExternalSecretSpecSecretStoreRefKind,
  ExternalSecretSpecTargetCreationPolicy,
  ExternalSecretSpecTargetDeletionPolicy,
  ExternalSecretSpecTargetTemplateEngineVersion,
  ExternalSecretSpecTargetTemplateMergePolicy,
} from './imports/external-secrets.io';
import { TENANT_LABEL } from './labels';

/** Annotation keys that record a tenant secret's provenance and validity window on the Secret itself. */
export const OWN_SECRET_ANNOTATIONS = {
  notBefore: 'central-secret-store.io/not-before',
  expires: 'central-secret-store.io/expires',
  spiffeId: 'central-secret-store.io/spiffe-id',
} as const;

/** Label naming the operator a raw secret is meant for (seed 000 raw secrets). */
export const OPERATOR_LABEL = 'central-secret-store.io/operator';

/**
 * The ExternalSecret spec that delivers an own secret through the tenant's store: the same for a secret in
 * one namespace (TenantSecret) and one in every namespace of the tenant (TenantGlobalSecret).
 */
export function ownSecretSpec(tenant: string, secret: OwnSecret, storeName: string, refreshInterval: string): ExternalSecretSpec {
  const template = ownSecretTemplate(tenant, secret);
  return {
    secretStoreRef: { kind: ExternalSecretSpecSecretStoreRefKind.CLUSTER_SECRET_STORE, name: storeName },
    refreshPolicy: ExternalSecretSpecRefreshPolicy.PERIODIC,
    refreshInterval,
    target: {
      name: secret.name,
      creationPolicy: ExternalSecretSpecTargetCreationPolicy.OWNER,
      deletionPolicy: ExternalSecretSpecTargetDeletionPolicy.RETAIN,
      template: {
        type: template.type,
        engineVersion: ExternalSecretSpecTargetTemplateEngineVersion.V2,
        mergePolicy: ExternalSecretSpecTargetTemplateMergePolicy.REPLACE,
        metadata: template.metadata,
        data: template.data,
      },
    },
    data: template.remoteData,
  };
}

/** The Secret an own secret becomes: type, metadata and templates. */
export function ownSecretTemplate(tenant: string, secret: OwnSecret) {
  const reserved = [
    ...Object.keys(secret.labels ?? {}).flatMap((k) => (reservedSecretLabel(k) ? [`label "${k}" ${reservedSecretLabel(k)}`] : [])),
    ...Object.keys(secret.annotations ?? {}).flatMap((k) => (reservedSecretAnnotation(k) ? [`annotation "${k}" ${reservedSecretAnnotation(k)}`] : [])),
  ];
  if (reserved.length > 0) throw new Error(`secret ${secret.name} of tenant ${tenant}: ${reserved.join('; ')}; remove it`);
  const annotations: Record<string, string> = { ...secret.annotations };
  if (secret.notBefore) annotations[OWN_SECRET_ANNOTATIONS.notBefore] = secret.notBefore;
  if (secret.expires) annotations[OWN_SECRET_ANNOTATIONS.expires] = secret.expires;
  if (secret.type === 'workload') annotations[OWN_SECRET_ANNOTATIONS.spiffeId] = secret.spiffeId;
  const labels: Record<string, string> = {
    ...secret.labels,
    'managed-by': 'external-secrets',
    source: 'central-secret-store',
    'secret-type': secret.type,
    [TENANT_LABEL]: tenant,
    ...(secret.type === 'raw' ? { [OPERATOR_LABEL]: secret.operator } : {}),
  };
  const keys = Object.keys(secret.keyVault).sort();
  // A raw secret goes to its operator in the form the operator reads: one key per key, or one JSON document.
  const data =
    secret.type === 'raw' && secret.jsonKey
      ? { [secret.jsonKey]: `{{ dict ${keys.map((k) => `${goString(k)} ${key(k)}`).join(' ')} | toJson }}` }
      : Object.fromEntries(keys.map((k) => [k, copyOf(k)]));
  return {
    type: secret.type === 'kubernetes' ? secret.secretType : 'Opaque',
    metadata: { labels, ...(Object.keys(annotations).length > 0 ? { annotations } : {}) },
    data,
    remoteData: keys.map((k) => ({ secretKey: k, remoteRef: { key: secret.keyVault[k] } })),
  };
}
