/**
 * The label vocabulary shared by the constructs, the admission policy and the tests. Labels are the
 * contract between the catalogue and ESO's namespace selectors, so they are defined once, here.
 */

/** Namespace label naming the tenant that owns the namespace. */
export const TENANT_LABEL = 'central-secret-store.io/tenant';

/** Namespace label by which a namespace requests a shared credential (seed 001: `secrets/<credential>: "true"`). */
export function requestLabel(credential: string): string {
  return `secrets/${credential}`;
}

/** Prefix of every request label, for policies that guard them. */
export const REQUEST_LABEL_PREFIX = 'secrets/';

/** Labels on every object this product writes, so `kubectl get -l` finds them all. */
export const PRODUCT_LABELS = {
  'app.kubernetes.io/managed-by': 'central-secret-store',
  'app.kubernetes.io/part-of': 'central-secret-store',
} as const;

/**
 * Labels on every distributed Secret (seed 001 "Distributed Secret Metadata"), so that a reviewer can tell a
 * distributed copy from a hand-made Secret and trace it to its source.
 */
export function distributedSecretLabels(credential: string, secretType: string): Record<string, string> {
  return {
    'managed-by': 'external-secrets',
    source: 'central-secret-store',
    'secret-type': secretType,
    'central-secret-store.io/credential': credential,
  };
}
