/**
 * The access plan of a change to the catalogue: the grants the head adds to and removes from the base, the
 * clusters and tenants that come and go, the vault reads before and after, and the own secrets of the
 * head that expire soon. Pure data, sorted, so the same two catalogues always give the same plan; `npm run
 * plan` renders it as Markdown or prints it as JSON.
 */
import {
  type Backend,
  type Catalogue,
  type Grant,
  KEY_VAULT_GET_LIMIT,
  accessGrants,
  expiringSecrets,
  grantKey,
  vaultReads,
} from '../../tenants/lib';

export interface PlanOptions {
  /** What the base and head catalogues are, in words (a git ref, a folder). */
  readonly baseLabel: string;
  readonly headLabel: string;
  /** The time expiry is measured from. */
  readonly now: Date;
  /** List own secrets of the head that expire within this many days (and those already expired). */
  readonly expiringWithinDays: number;
}

/** Names that are in one catalogue and not the other. */
export interface Membership {
  readonly added: readonly string[];
  readonly removed: readonly string[];
}

/** Reads of one vault, absent on the side where its environment does not exist. */
export interface VaultReadsChange {
  readonly environment: string;
  /** The vault's backend and name on the head's side, or the base's when the head has no such environment. */
  readonly backend: Backend;
  readonly vault: string;
  readonly before: { readonly perHour: number; readonly peak: number } | null;
  readonly after: { readonly perHour: number; readonly peak: number } | null;
}

export interface ExpiringSecretRow {
  readonly cluster: string;
  readonly tenant: string;
  /** Null for a global secret, which every namespace of the tenant on the cluster receives. */
  readonly namespace: string | null;
  readonly secret: string;
  readonly expires: string;
  readonly daysLeft: number;
  readonly expired: boolean;
  readonly file: string;
}

/**
 * A change a security review must see even when it grants nothing new, in plain words: the deployers of a
 * cluster, whom the admission policies exempt.
 */
export interface SecurityChange {
  readonly cluster: string;
  readonly subject: 'deployers';
  readonly sentence: string;
}

export interface AccessPlan {
  readonly base: string;
  readonly head: string;
  /** True when the head grants anything the base does not. */
  readonly widened: boolean;
  /** Changes a review must see whether or not they widen access, by cluster. */
  readonly securityChanges: readonly SecurityChange[];
  /** True when access widens or a security change is made: the change needs a security review (the exit code says so). */
  readonly reviewNeeded: boolean;
  readonly clusters: Membership;
  readonly tenants: Membership;
  /** Grants of the head that the base does not make, sorted (catalogue-wide first, then by cluster). */
  readonly added: readonly Grant[];
  /** Grants of the base that the head no longer makes, sorted likewise. */
  readonly removed: readonly Grant[];
  readonly vaultLimit: typeof KEY_VAULT_GET_LIMIT;
  readonly vaultReads: readonly VaultReadsChange[];
  readonly expiring: { readonly now: string; readonly withinDays: number; readonly secrets: readonly ExpiringSecretRow[] };
}

export function planAccess(base: Catalogue, head: Catalogue, options: PlanOptions): AccessPlan {
  const [before, after] = [accessGrants(base), accessGrants(head)];
  const added = difference(after, before);
  const removed = difference(before, after);
  const securityChanges = deployerChanges(added, removed);
  return {
    base: options.baseLabel,
    head: options.headLabel,
    widened: added.length > 0,
    securityChanges,
    reviewNeeded: added.length > 0 || securityChanges.length > 0,
    clusters: membership(base.clusters, head.clusters),
    tenants: membership(base.tenants, head.tenants),
    added,
    removed,
    vaultLimit: KEY_VAULT_GET_LIMIT,
    vaultReads: vaultReadsChanges(base, head),
    expiring: {
      now: options.now.toISOString(),
      withinDays: options.expiringWithinDays,
      secrets: expiringSecrets(head, options.now, options.expiringWithinDays)
        .map(({ cluster, tenant, namespace, secret, expires, daysLeft, expired, file }) => ({
          cluster,
          tenant,
          namespace: namespace ?? null,
          secret: secret.name,
          expires,
          daysLeft,
          expired,
          file,
        }))
        .sort((a, b) => compareBy(a, b, ['expires', 'cluster', 'tenant', 'namespace', 'secret'])),
    },
  };
}

/**
 * Deployers gained or lost, per cluster, as one sentence each. Losing a deployer grants nothing, but it changes
 * who is exempt from the admission policies, so it is reviewed like a widening.
 */
function deployerChanges(added: readonly Grant[], removed: readonly Grant[]): SecurityChange[] {
  const byCluster = new Map<string, string[]>();
  for (const [sign, grants] of [
    ['+', added],
    ['-', removed],
  ] as const) {
    for (const grant of grants) {
      if (grant.kind !== 'deployer') continue;
      const list = byCluster.get(grant.cluster) ?? [];
      list.push(`${sign} ${grant.identity === 'User' ? 'user' : 'group'} ${grant.name}`);
      byCluster.set(grant.cluster, list);
    }
  }
  return [...byCluster.keys()].sort().map((cluster) => ({
    cluster,
    subject: 'deployers',
    sentence:
      `the deployers of cluster ${cluster} change (${byCluster.get(cluster)!.join(', ')}): deployers are exempt from the admission policies, ` +
      'so they alone may set tenant and request labels and point ExternalSecrets at the shared stores',
  }));
}

/** The grants of `a` that `b` does not make, in the order of `a` (accessGrants sorts). */
function difference(a: readonly Grant[], b: readonly Grant[]): Grant[] {
  const inB = new Set(b.map(grantKey));
  return a.filter((g) => !inB.has(grantKey(g)));
}

function membership(base: readonly { readonly name: string }[], head: readonly { readonly name: string }[]): Membership {
  const [before, after] = [new Set(base.map((x) => x.name)), new Set(head.map((x) => x.name))];
  return { added: [...after].filter((n) => !before.has(n)).sort(), removed: [...before].filter((n) => !after.has(n)).sort() };
}

function vaultReadsChanges(base: Catalogue, head: Catalogue): VaultReadsChange[] {
  const [before, after] = [vaultReads(base), vaultReads(head)];
  const environments = [...new Set([...before, ...after].map((r) => r.environment))].sort();
  return environments.map((environment) => {
    const [b, a] = [before.find((r) => r.environment === environment), after.find((r) => r.environment === environment)];
    return {
      environment,
      backend: (a ?? b)!.backend,
      vault: (a ?? b)!.vault,
      before: b ? { perHour: b.perHour, peak: b.peak } : null,
      after: a ? { perHour: a.perHour, peak: a.peak } : null,
    };
  });
}

/** Orders rows by the given fields in turn, nulls first, in code-unit order. */
function compareBy<T>(a: T, b: T, fields: readonly (keyof T)[]): number {
  for (const field of fields) {
    const [x, y] = [String(a[field] ?? ''), String(b[field] ?? '')];
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}
