/**
 * The access report's data from a validated catalogue: the grants of the access model that say what each
 * namespace receives, grouped by namespace. Sorted throughout, so one catalogue always gives the same page.
 */
import { type Catalogue, type DeliveryGrant, type OwnSecretGrant, type PullSecretGrant, accessGrants, formatsOf } from '../../tenants/lib';
import type { ReportData, ReportNamespace } from '../../report/data';

/** Where a report comes from, besides the catalogue: passed in, so that a test can fix it. */
export interface ReportSource {
  readonly generatedAt: Date;
  /** The commit of the catalogue's git repository; null outside git. */
  readonly commit: string | null;
  readonly uncommittedChanges: boolean;
}

export function reportData(catalogue: Catalogue, label: string, source: ReportSource): ReportData {
  const grants = accessGrants(catalogue);
  const deliveries = new Map<string, DeliveryGrant[]>();
  const ownSecrets = new Map<string, OwnSecretGrant[]>();
  const pullSecrets = new Map<string, PullSecretGrant[]>();
  const at = (cluster: string, namespace: string) => `${cluster}/${namespace}`;
  const add = <T>(map: Map<string, T[]>, key: string, value: T) => map.set(key, [...(map.get(key) ?? []), value]);
  for (const grant of grants) {
    if (grant.kind === 'delivery') add(deliveries, at(grant.cluster, grant.namespace), grant);
    if (grant.kind === 'own-secret') add(ownSecrets, at(grant.cluster, grant.namespace), grant);
    if (grant.kind === 'pull-secret') add(pullSecrets, at(grant.cluster, grant.namespace), grant);
  }

  // Every tenant namespace is admitted by its tenant's store, so those grants list the namespaces.
  const namespaces: ReportNamespace[] = grants.flatMap((grant) => {
    if (grant.kind !== 'tenant-store') return [];
    const key = at(grant.cluster, grant.namespace);
    const formats = new Map<string, string[]>();
    for (const d of deliveries.get(key) ?? []) formats.set(d.credential, [...(formats.get(d.credential) ?? []), d.format]);
    return [
      {
        cluster: grant.cluster,
        tenant: grant.tenant,
        name: grant.namespace,
        credentials: [...formats].map(([credential, list]) => ({
          credential,
          formats: list,
          pullSecretOf: [...new Set((pullSecrets.get(key) ?? []).filter((p) => p.credential === credential).map((p) => p.serviceAccount))],
        })),
        ownSecrets: (ownSecrets.get(key) ?? []).map(({ secret, global, serviceAccount, backend, vaultSecrets }) => ({
          name: secret,
          global,
          serviceAccount,
          backend,
          vaultSecrets,
        })),
      },
    ];
  });

  return {
    catalogue: label,
    generatedAt: source.generatedAt.toISOString(),
    commit: source.commit,
    uncommittedChanges: source.uncommittedChanges,
    clusters: catalogue.clusters.map(({ name, environment, kind }) => ({ name, environment, kind })),
    credentials: catalogue.credentials.map((c) => ({
      name: c.name,
      kind: c.kind,
      description: c.description ?? '',
      allowedTenants: [...c.allowedTenants].sort(),
      formats: formatsOf(c).map((f) => f.id),
    })),
    tenants: catalogue.tenants.map((t) => ({
      name: t.name,
      description: t.description ?? '',
      owners: t.owners.map((o) => `${o.kind} ${o.name}`),
    })),
    namespaces: namespaces.sort((a, b) => compare(a.tenant, b.tenant) || compare(a.cluster, b.cluster) || compare(a.name, b.name)),
  };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
