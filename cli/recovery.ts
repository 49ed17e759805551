/**
 * `recover`'s logic (seed 004, "bump every (Cluster)SecretStore after an outage"): after a long vault outage ESO
 * has backed off validating the stores and syncing ExternalSecrets for up to hours. Any change to an object's
 * metadata makes ESO reconcile it at once, so recover annotates every store of the product (then validated
 * anew) and force-syncs every ExternalSecret and ClusterExternalSecret of the product, then waits until every
 * store is Ready and every ExternalSecret was re-read (resync.ts), naming what lags.
 */
import type { Condition, ExternalSecretState, ResyncRequest } from './resync';
import { isReady, lagReason, resyncedSince } from './resync';
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
  readonly onProgress?: (done: number, total: number) => void;
}

export interface RecoveryResult {
  readonly ok: boolean;
  readonly elapsedMs: number;
  readonly stores: { readonly ready: number; readonly total: number };
  readonly externalSecrets: { readonly resynced: number; readonly total: number };
  readonly lagging: readonly Lag[];
}

export async function recover(cluster: RecoveryCluster, options: RecoverOptions): Promise<RecoveryResult> {
  const clock = options.clock ?? systemClock;
  const start = clock.now();
  const deadline = start + options.deadlineMs;
  const stamp = new Date(start).toISOString();

  const stores = await cluster.clusterSecretStores();
  for (const store of stores) await cluster.annotateClusterSecretStore(store.name, { [REVALIDATE_ANNOTATION]: stamp });
  // Distributions first: ESO mirrors their force-sync onto the ExternalSecrets they own.
  // Listed before anything is patched, so each ExternalSecret's synced version is the one from before.
  const externalSecrets = await cluster.listExternalSecrets();
  // A copy may get the annotation from its distribution before recover patches it (a patch then changes
  // nothing and records no time): requests count from the first patch of an ExternalSecret or distribution.
  let first: string | undefined;
  for (const name of await cluster.clusterExternalSecretNames()) {
    const at = await cluster.forceSync({ kind: 'ClusterExternalSecret', name }, stamp);
    first ??= at;
  }
  const requests = new Map<string, ResyncRequest>();
  const id = (es: { namespace: string; name: string }) => `${es.namespace}/${es.name}`;
  for (const es of externalSecrets) {
    const at = await cluster.forceSync({ kind: 'ExternalSecret', namespace: es.namespace, name: es.name }, stamp);
    requests.set(id(es), { syncedResourceVersion: es.syncedResourceVersion, patchedAt: first ?? at });
  }

  let storeStates = stores;
  let current = new Map<string, ExternalSecretState>();
  const total = stores.length + requests.size;
  const counts = () => ({
    ready: storeStates.filter((s) => isReady(s.conditions)).length,
    resynced: [...requests].filter(([key, request]) => current.has(key) && resyncedSince(current.get(key)!, request)).length,
  });
  while (true) {
    storeStates = (await cluster.clusterSecretStores()).filter((s) => stores.some((t) => t.name === s.name));
    current = new Map((await cluster.listExternalSecrets()).map((es) => [id(es), es]));
    const { ready, resynced } = counts();
    options.onProgress?.(ready + resynced, total);
    if (ready + resynced === total || clock.now() >= deadline) break;
    await clock.sleep(options.pollMs ?? 1000);
  }

  const lagging: Lag[] = [];
  for (const store of storeStates) {
    if (isReady(store.conditions)) continue;
    const condition = store.conditions.find((c) => c.type === 'Ready');
    lagging.push({ namespace: '(cluster)', object: `ClusterSecretStore ${store.name}`, reason: condition ? `${condition.reason ?? 'not ready'}${condition.message ? `: ${condition.message}` : ''}` : 'not validated yet' });
  }
  for (const [key, request] of requests) {
    const state = current.get(key);
    if (state && resyncedSince(state, request)) continue;
    const [namespace, name] = key.split('/');
    lagging.push({ namespace, object: `ExternalSecret ${name}`, reason: state ? lagReason(state) : 'deleted meanwhile' });
  }
  const { ready, resynced } = counts();
  return {
    ok: lagging.length === 0,
    elapsedMs: clock.now() - start,
    stores: { ready, total: stores.length },
    externalSecrets: { resynced, total: requests.size },
    lagging: lagging.sort((a, b) => a.namespace.localeCompare(b.namespace) || a.object.localeCompare(b.object)),
  };
}
