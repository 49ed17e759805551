/**
 * `recover`'s logic (docs/operations.md, "After a vault outage: `recover`"): after a long vault outage ESO
 * has backed off validating the stores and syncing ExternalSecrets for up to hours. Any change to an object's
 * metadata makes ESO reconcile it at once, so recover bumps every store and ExternalSecret of the product, in
 * three phases, each waited for before the next starts, because each reads what the one before repairs:
 *  1. every ClusterSecretStore is annotated (then validated anew), and recover waits until they are Ready:
 *     an ExternalSecret ESO reconciles before its store is Ready fails and goes back to a backoff of minutes;
 *  2. every ExternalSecret reading a vault directly (the masters, the canary's included, and tenants' own) is
 *     force-synced and waited for until re-read (resync.ts), so that the masters hold what the vault holds now;
 *  3. every ClusterExternalSecret and its copies are force-synced and waited for: the copies read their master,
 *     which by now holds the value a credential got during the outage.
 * A phase not finished by the deadline does not hold back the next ones (one broken store must not leave the
 * rest unrecovered): a phase started after the deadline still gets one poll interval, so its objects are
 * re-read before the next phase asks what depends on them. Everything still lagging at the end is named.
 */
import type { Condition, ExternalSecretState, ResyncRequest } from './resync';
import { isReady, lagReason, notReadyReason, resyncedSince } from './resync';
import { type Clock, type ForceSyncTarget, type Lag, systemClock } from './rotation';

/** Annotation whose change makes ESO validate a store again; its value is when recover asked. */
export const REVALIDATE_ANNOTATION = 'central-secret-store.io/revalidate';

export interface RecoveryCluster {
  clusterSecretStores(): Promise<{ name: string; conditions: readonly Condition[] }[]>;
  annotateClusterSecretStore(name: string, annotations: Record<string, string>): Promise<void>;
  clusterExternalSecretNames(): Promise<string[]>;
  /** Every ExternalSecret of the product, in every namespace. */
  listExternalSecrets(): Promise<ExternalSecretState[]>;
  forceSync(target: ForceSyncTarget, value: string): Promise<string>;
}

export interface RecoverOptions {
  readonly deadlineMs: number;
  /** @default 1000 */
  readonly pollMs?: number;
  /** @default systemClock */
  readonly clock?: Clock;
  /** Called at every poll of every phase; `total` counts the stores and ExternalSecrets of all phases. */
  readonly onProgress?: (done: number, total: number) => void;
}

export interface RecoveryResult {
  readonly ok: boolean;
  readonly elapsedMs: number;
  readonly stores: { readonly ready: number; readonly total: number };
  readonly externalSecrets: {
    readonly resynced: number;
    readonly total: number;
    /** Each ExternalSecret asked to re-sync. */
    readonly asked: readonly { readonly namespace: string; readonly name: string }[];
  };
  readonly lagging: readonly Lag[];
}

const id = (es: { namespace: string; name: string }) => `${es.namespace}/${es.name}`;

export async function recover(cluster: RecoveryCluster, options: RecoverOptions): Promise<RecoveryResult> {
  const clock = options.clock ?? systemClock;
  const start = clock.now();
  const deadline = start + options.deadlineMs;
  const stamp = new Date(start).toISOString();

  const stores = await cluster.clusterSecretStores();
  // Listed before anything is patched, so each ExternalSecret's synced version is the one from before.
  const listed = await cluster.listExternalSecrets();
  const direct = listed.filter((es) => es.distribution === undefined);
  const copies = listed.filter((es) => es.distribution !== undefined);

  let storeStates = stores;
  let current = new Map<string, ExternalSecretState>();
  const requests = new Map<string, ResyncRequest>();
  const storesReady = () => storeStates.filter((s) => isReady(s.conditions)).length;
  const resynced = (of: readonly ExternalSecretState[]) =>
    of.filter((es) => {
      const request = requests.get(id(es));
      const state = current.get(id(es));
      return request !== undefined && state !== undefined && resyncedSince(state, request);
    }).length;
  const total = stores.length + listed.length;

  const waitUntil = async (finished: () => boolean) => {
    for (let polls = 0; ; polls++) {
      storeStates = (await cluster.clusterSecretStores()).filter((s) => stores.some((t) => t.name === s.name));
      current = new Map((await cluster.listExternalSecrets()).map((es) => [id(es), es]));
      options.onProgress?.(storesReady() + resynced(listed), total);
      if (finished() || (clock.now() >= deadline && polls > 0)) return;
      await clock.sleep(options.pollMs ?? 1000);
    }
  };

  for (const store of stores) await cluster.annotateClusterSecretStore(store.name, { [REVALIDATE_ANNOTATION]: stamp });
  await waitUntil(() => storesReady() === stores.length);

  for (const es of direct) {
    const at = await cluster.forceSync({ kind: 'ExternalSecret', namespace: es.namespace, name: es.name }, stamp);
    requests.set(id(es), { syncedResourceVersion: es.syncedResourceVersion, patchedAt: at });
  }
  await waitUntil(() => resynced(direct) === direct.length);

  // Distributions first: ESO mirrors their force-sync onto the ExternalSecrets they own.
  // A copy may get the annotation from its distribution before recover patches it (a patch then changes
  // nothing and records no time): requests count from the first patch of a distribution or copy.
  let first: string | undefined;
  for (const name of await cluster.clusterExternalSecretNames()) {
    const at = await cluster.forceSync({ kind: 'ClusterExternalSecret', name }, stamp);
    first ??= at;
  }
  for (const es of copies) {
    const at = await cluster.forceSync({ kind: 'ExternalSecret', namespace: es.namespace, name: es.name }, stamp);
    requests.set(id(es), { syncedResourceVersion: es.syncedResourceVersion, patchedAt: first ?? at });
  }
  await waitUntil(() => resynced(copies) === copies.length);

  const lagging: Lag[] = [];
  for (const store of storeStates) {
    if (isReady(store.conditions)) continue;
    lagging.push({
      namespace: '(cluster)',
      object: `ClusterSecretStore ${store.name}`,
      reason: notReadyReason(store.conditions) ?? 'not validated yet',
    });
  }
  for (const [key, request] of requests) {
    const state = current.get(key);
    if (state && resyncedSince(state, request)) continue;
    const [namespace, name] = key.split('/');
    lagging.push({ namespace, object: `ExternalSecret ${name}`, reason: state ? lagReason(state) : 'deleted meanwhile' });
  }
  return {
    ok: lagging.length === 0,
    elapsedMs: clock.now() - start,
    stores: { ready: storesReady(), total: stores.length },
    externalSecrets: {
      resynced: resynced(listed),
      total: listed.length,
      asked: [...requests.keys()].map((key) => {
        const [namespace, name] = key.split('/');
        return { namespace, name };
      }),
    },
    lagging: lagging.sort((a, b) => a.namespace.localeCompare(b.namespace) || a.object.localeCompare(b.object)),
  };
}
