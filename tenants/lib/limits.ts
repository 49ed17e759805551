/**
 * The sizes a catalogue may reach, defined once: the loader enforces them and docs/catalogue.md, "Validation",
 * lists them. A catalogue is a few kilobytes per tenant; the limits are far above that and far below what
 * would stall the loader or what the API server would refuse only at apply time.
 */
import { lineIn } from './catalogue';
import { type CatalogueIssue, formatPath } from './errors';
import type { OwnSecret, Tenant } from './schema';

/** Kubernetes' own cap on the annotations of one object: the sum of every key's and value's bytes. */
const KUBERNETES_ANNOTATION_BYTES = 256 * 1024;

export const CATALOGUE_LIMITS = {
  /** Any one catalogue file (`clusters.yaml`, `credentials.yaml`, a tenant's YAML or TypeScript file). */
  fileBytes: 1024 * 1024,
  /** Files and folders below a catalogue folder with TypeScript tenants, which is searched for links out of it. */
  folderEntries: 10_000,
  /** Kubernetes' cap on the annotations of one object. */
  kubernetesAnnotationBytes: KUBERNETES_ANNOTATION_BYTES,
  /** Kept for the annotations the product sets on an own secret itself (validity window, SPIFFE ID). */
  productAnnotationBytes: 1024,
  /** What a tenant may write as the annotations of one own secret. */
  annotationBytes: KUBERNETES_ANNOTATION_BYTES - 1024,
} as const;

/**
 * Own secrets whose annotations exceed what Kubernetes accepts on one object. Without this check the catalogue
 * validates, synth writes the object, and only the API server refuses it, halfway through an apply.
 */
export function annotationSizeIssues(tenant: Tenant, file: string, lines: Readonly<Record<string, number>> | undefined): CatalogueIssue[] {
  const issues: CatalogueIssue[] = [];
  const check = (secret: OwnSecret, path: PropertyKey[]) => {
    const total = Object.entries(secret.annotations ?? {}).reduce((sum, [k, v]) => sum + Buffer.byteLength(k) + Buffer.byteLength(v), 0);
    if (total <= CATALOGUE_LIMITS.annotationBytes) return;
    const annotationsPath = [...path, 'annotations'];
    issues.push({
      file,
      path: formatPath(annotationsPath),
      line: lineIn(lines, annotationsPath),
      message:
        `annotations total ${total} bytes; Kubernetes allows ${CATALOGUE_LIMITS.kubernetesAnnotationBytes} (256 KiB) per object, of which the product ` +
        `keeps ${CATALOGUE_LIMITS.productAnnotationBytes} for its own: keep them to at most ${CATALOGUE_LIMITS.annotationBytes} bytes`,
    });
  };
  for (const [cluster, placement] of Object.entries(tenant.clusters)) {
    placement.namespaces.forEach((namespace, n) =>
      (namespace.secrets ?? []).forEach((secret, s) => check(secret, ['clusters', cluster, 'namespaces', n, 'secrets', s])),
    );
    (placement.globalSecrets ?? []).forEach((secret, s) => check(secret, ['clusters', cluster, 'globalSecrets', s]));
  }
  return issues;
}
