/**
 * Label and annotation keys the product or ESO write themselves. A catalogue that sets them could move a
 * namespace into another tenant or request a credential past the review of `requests`, or make an own secret
 * pass for a distributed copy, so they are refused wherever the catalogue takes labels or annotations. The
 * vocabulary is the constructs' (a pure module of theirs).
 */
import {
  NAMESPACE_NAME_LABEL,
  PRODUCT_KEY_DOMAIN,
  PRODUCT_LABELS,
  REQUEST_LABEL_PREFIX,
  SECRET_PROVENANCE_LABELS,
} from '@central-secret-store/constructs/vocabulary';

/** ESO's key domain, read by its controllers on the objects they manage. */
const ESO_KEY_DOMAIN = 'external-secrets.io';

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
  if (key.startsWith(REQUEST_LABEL_PREFIX)) return `is a credential request; list the credential under requests instead`;
  if (key === NAMESPACE_NAME_LABEL) return 'is set by the API server to the namespace name';
  if (key in PRODUCT_LABELS) return 'marks the objects Central Secret Store manages; it sets it itself';
  return reservedEverywhere(key);
}

/** Why a label key of a tenant's own secret may not be set from the catalogue, or undefined when it may. */
export function reservedSecretLabel(key: string): string | undefined {
  if ((SECRET_PROVENANCE_LABELS as readonly string[]).includes(key)) {
    return 'marks Secrets written by Central Secret Store; it sets it itself, so an own secret cannot pass for a distributed copy';
  }
  return reservedEverywhere(key);
}

/** Why an annotation key of a tenant's own secret may not be set from the catalogue, or undefined when it may. */
export function reservedSecretAnnotation(key: string): string | undefined {
  return reservedEverywhere(key);
}
