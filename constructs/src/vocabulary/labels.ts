/**
 * The label and annotation vocabulary of the product: the contract between namespaces, ESO's selectors, the
 * admission policies and the catalogue's validation, defined once. A pure module (no cdk8s), so the catalogue
 * can reserve these keys without depending on constructs.
 */

/** The product's key domain. */
export const PRODUCT_KEY_DOMAIN = 'central-secret-store.io';

/** Namespace label naming the tenant that owns the namespace. */
export const TENANT_LABEL = `${PRODUCT_KEY_DOMAIN}/tenant`;

/**
 * The tenant label of a canary's namespace (see Canary). It holds `--`, which tenant names may not (their
 * vault spaces end in it), so no tenant's namespace can pass for a canary's and a canary's store admits no
 * tenant's namespace.
 */
export const CANARY_TENANT = 'central-secret-store--canary';

/** Label naming the shared credential an object serves or a Secret was copied from. */
export const CREDENTIAL_LABEL = `${PRODUCT_KEY_DOMAIN}/credential`;

/** Label naming the operator a raw secret is meant for (docs/catalogue.md, "Tenants' own secrets"). */
export const OPERATOR_LABEL = `${PRODUCT_KEY_DOMAIN}/operator`;

/** Annotation keys that record an own secret's provenance and validity window on the Secret itself. */
export const OWN_SECRET_ANNOTATIONS = {
  notBefore: `${PRODUCT_KEY_DOMAIN}/not-before`,
  expires: `${PRODUCT_KEY_DOMAIN}/expires`,
  spiffeId: `${PRODUCT_KEY_DOMAIN}/spiffe-id`,
} as const;

/** Prefix of every request label, for policies that guard them. */
export const REQUEST_LABEL_PREFIX = 'secrets/';

/**
 * Namespace label by which a namespace requests a shared credential, `secrets/<credential>: "true"`
 * (docs/catalogue.md, "Requests are labels").
 */
export function requestLabel(credential: string): string {
  return `${REQUEST_LABEL_PREFIX}${credential}`;
}

/** Labels on every object this product writes, so `kubectl get -l` finds them all. */
export const PRODUCT_LABELS = {
  'app.kubernetes.io/managed-by': 'central-secret-store',
  'app.kubernetes.io/part-of': 'central-secret-store',
} as const;

/** The label the API server sets on every namespace; written out so that diffs stay quiet. */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/**
 * Labels on every Secret the product writes (docs/catalogue.md, "Credential kinds and formats"), so that a
 * reviewer can tell such a copy from a hand-made Secret and trace it to its source.
 */
export const SECRET_PROVENANCE_LABELS = ['managed-by', 'source', 'secret-type'] as const;

export function distributedSecretLabels(credential: string, secretType: string): Record<string, string> {
  return { 'managed-by': 'external-secrets', source: 'central-secret-store', 'secret-type': secretType, [CREDENTIAL_LABEL]: credential };
}

/**
 * Reloader's search/match contract (stakater Reloader): a workload annotated `reloader.stakater.com/search:
 * "true"` is rolled when a Secret it uses that is annotated `reloader.stakater.com/match: "true"` changes. Every
 * distributed copy carries the match annotation, so a tenant opts a workload in with the search annotation
 * alone, without naming Secrets (which the catalogue, not the tenant, names).
 */
export const RELOADER_MATCH_ANNOTATION = 'reloader.stakater.com/match';
export const RELOADER_SEARCH_ANNOTATION = 'reloader.stakater.com/search';

/** The namespace the product's stacks install Reloader into, where its commands look for it. */
export const RELOADER_NAMESPACE = 'reloader';

/** Annotations on every distributed copy: see RELOADER_MATCH_ANNOTATION. */
export function distributedSecretAnnotations(): Record<string, string> {
  return { [RELOADER_MATCH_ANNOTATION]: 'true' };
}

/**
 * Annotation on objects the product shares with others, naming the fields it writes (comma-separated). The
 * product owns those fields, never the object: its deployers apply such an object as a patch and release
 * the fields, rather than delete the object, when they stop managing it. ServiceAccounts given pull secrets
 * carry it, since Kubernetes creates `default` and tenants create the others.
 */
export const SHARED_OBJECT_FIELDS_ANNOTATION = `${PRODUCT_KEY_DOMAIN}/owns-fields`;
