/**
 * What the catalogue allows but a reviewer should look at twice, reported like errors (file, line, field
 * path, reason) and printed by synth as warnings: names that read as the system's.
 */
import { type Catalogue, lineAt, tenantFileAt } from './catalogue';
import { type CatalogueIssue, formatPath } from './errors';
import { tenantStoreName } from '@central-secret-store/constructs/vocabulary';
import { quoted } from './secret-like';
import { systemLikeNamespacePattern, systemLikeTenantName } from './system-names';

export function catalogueWarnings(catalogue: Catalogue): CatalogueIssue[] {
  const warnings: CatalogueIssue[] = [];
  const warn = (file: string, path: readonly PropertyKey[], message: string) =>
    warnings.push({ file, path: formatPath(path), line: lineAt(catalogue.sources, file, path), message });
  catalogue.tenants.forEach((tenant, t) => {
    const file = tenantFileAt(catalogue, t);
    const like = systemLikeTenantName(tenant.name);
    if (like) {
      warn(
        file,
        ['name'],
        `tenant ${quoted(tenant.name)} is named like ${like}: its tenant label, store ${tenantStoreName(tenant.name)} and vault space could be taken for the system's; consider another name`,
      );
    }
    for (const [cluster, placement] of Object.entries(tenant.clusters)) {
      placement.namespaces.forEach((namespace, n) => {
        const pattern = systemLikeNamespacePattern(namespace.name);
        if (pattern) {
          warn(
            file,
            ['clusters', cluster, 'namespaces', n, 'name'],
            `namespace ${quoted(namespace.name)} is named like another tool's system namespace (${pattern}); the product will create it if missing and label it for tenant ${tenant.name}: make sure the tenant owns it`,
          );
        }
      });
    }
  });
  return warnings;
}
