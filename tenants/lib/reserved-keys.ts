/**
 * Label and annotation keys the product or ESO write themselves. A catalogue that sets them could move a
 * namespace into another tenant or request a credential past the review of `requests`, or make an own secret
 * pass for a distributed copy, so they are refused wherever the catalogue takes labels or annotations.
 */

/** The product's own key domain (tenant label, credential label, validity annotations, ...). */
export const PRODUCT_KEY_DOMAIN = 'central-secret-store.io';
/** ESO's key domain, read by its controllers on the objects they manage. */
const ESO_KEY_DOMAIN = 'external-secrets.io';
/** Prefix of the namespace labels that request shared credentials (seed 001: `secrets/<credential>`). */
export const REQUEST_KEY_PREFIX = 'secrets/';
/** Labels on every object the product writes. */
export const PRODUCT_OWNERSHIP_LABELS = ['app.kubernetes.io/managed-by', 'app.kubernetes.io/part-of'] as const;
/** Labels that mark a distributed copy of a shared credential (seed 001 "Distributed Secret Metadata"). */
export const DISTRIBUTED_COPY_LABELS = ['managed-by', 'source', 'secret-type'] as const;

function inDomain(key: string, domain: string): boolean {
  const slash = key.indexOf('/');
  if (slash < 0) return false;
  const prefix = key.slice(0, slash);
  return prefix === domain || prefix.endsWith(`.${domain}`);
}

function reservedEverywhere(key: string): string | undefined {
  if (inDomain(key, PRODUCT_KEY_DOMAIN)) return `belongs to Central Secret Store, which sets the ${PRODUCT_KEY_DOMAIN} keys itself`;
  if (inDomain(key, ESO_KEY_DOMAIN)) return `belongs to the External Secrets Operator, which reads the ${ESO_KEY_DOMAIN} keys`;
  return undefined;
}

/** Why a namespace label key may not be set from the catalogue, or undefined when it may. */
export function reservedNamespaceLabel(key: string): string | undefined {
  if (key.startsWith(REQUEST_KEY_PREFIX)) return `is a credential request; list the credential under requests instead`;
  if (key === 'kubernetes.io/metadata.name') return 'is set by the API server to the namespace name';
  if ((PRODUCT_OWNERSHIP_LABELS as readonly string[]).includes(key)) return 'marks the objects Central Secret Store manages; it sets it itself';
  return reservedEverywhere(key);
}

/** Why a label key of a tenant's own secret may not be set from the catalogue, or undefined when it may. */
export function reservedSecretLabel(key: string): string | undefined {
  if ((DISTRIBUTED_COPY_LABELS as readonly string[]).includes(key)) return 'marks Secrets written by Central Secret Store; it sets it itself, so an own secret cannot pass for a distributed copy';
  return reservedEverywhere(key);
}

/** Why an annotation key of a tenant's own secret may not be set from the catalogue, or undefined when it may. */
export function reservedSecretAnnotation(key: string): string | undefined {
  return reservedEverywhere(key);
}
