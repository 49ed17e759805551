/**
 * A vault outage on the node long enough for ESO's backoff to pass a minute, as the operations suite (with
 * `recover`) and `npm run bench:e2e` (left to ESO) make one, and what has not recovered since.
 *
 * The vault's relay into the pods' network is cut (connections refused, so both a store's validation, which
 * dials the vault, and every read fail), the credential changes in the vault meanwhile, and the relay is
 * restored after OUTAGE_SECONDS. ESO meets an outage at each object's next periodic reconcile (stores every 5
 * minutes, masters at their refresh interval); the stores and the ExternalSecrets reading the vault get an
 * annotation at the start instead, so that every one of them meets it at once and backs off from then on.
 * ESO v0.20.4 retries a failing ExternalSecret or store after 1 s, doubling up to 7 min (pkg/controllers/common
 * BuildRateLimiter): failures at 0, 1, 3, 7, 15, 31, 63 and 127 s, so at 135 s the last retry interval was 64 s
 * and the next one is 128 s.
 */
import { isReady as esReady } from '../../../cli/operations/resync';
import { type KubeClient, type KubeObject, secretText } from '../../support/kube-client';
import type { Relay } from './node-cluster';
import { sleep } from './processes';

export const OUTAGE_SECONDS = 135;
const ESO = 'external-secrets.io/v1';
const OUTAGE_ANNOTATION = 'e2e.central-secret-store.io/outage';

export interface OutageScene {
  readonly admin: KubeClient;
  /** The vault's relay into the pods' network. */
  readonly relay: Relay;
  /** Writes the credential's new value in the vault. */
  readonly setValue: (value: string) => void;
  /** ESO's count of failed syncs of the master (`externalsecret_sync_calls_error`). */
  readonly syncErrors: () => number;
  /** The master's Secret in the central namespace, and the key that holds the value. */
  readonly master: { readonly namespace: string; readonly name: string; readonly key: string };
  /**
   * Checks made while the vault is unreachable, begun once every reader of the vault has met the outage. The
   * vault stays cut until they end, and what they throw is thrown once it is back.
   */
  readonly whileDown?: () => Promise<void>;
}

export interface Outage {
  /** When the vault was reachable again (Date.now()). */
  readonly repaired: number;
  /** The value written in the vault during the outage. */
  readonly value: string;
  readonly stores: readonly string[];
  readonly externalSecrets: number;
  /** When ESO counted a failed sync of the master, in seconds into the outage. */
  readonly failures: readonly number[];
  /** The longest interval between two failed syncs: ESO's backoff when the vault returned. */
  readonly longestBackoff: number;
  /** One line for the figures. */
  readonly summary: string;
}

const readyCondition = (o: KubeObject) => (o.status?.conditions ?? []).find((c: { type: string }) => c.type === 'Ready');

/** The stores that read the vault (the node's stand-in for Key Vault), and the ExternalSecrets reading through them. */
async function vaultReaders(admin: KubeClient) {
  const stores = (await admin.list(ESO, 'ClusterSecretStore')).filter((s) => s.spec.provider.webhook).map((s) => s.metadata.name as string);
  const externalSecrets = (await admin.list(ESO, 'ExternalSecret')).filter((es) => stores.includes(es.spec.secretStoreRef?.name));
  return { stores, externalSecrets };
}

export async function vaultOutage(scene: OutageScene, label: string): Promise<Outage> {
  const { admin, relay, master } = scene;
  const { stores, externalSecrets } = await vaultReaders(admin);
  if (!externalSecrets.some((es) => es.metadata.namespace === master.namespace && es.metadata.name === master.name)) {
    throw new Error(`no ExternalSecret ${master.namespace}/${master.name} reads the vault`);
  }
  const value = `e2e-value-after-outage-${label}`;
  const errorsBefore = scene.syncErrors();
  await relay.cut();
  const began = Date.now();
  scene.setValue(value);
  const touch = { metadata: { annotations: { [OUTAGE_ANNOTATION]: label } } };
  for (const name of stores) await admin.patch(ESO, 'ClusterSecretStore', name, touch);
  for (const es of externalSecrets) await admin.patch(ESO, 'ExternalSecret', es.metadata.name, touch, es.metadata.namespace);
  // A rejection is kept until the vault is back; left unhandled it would end the run with the vault cut.
  const checks = (scene.whileDown?.() ?? Promise.resolve()).then(
    () => undefined,
    (error: Error) => error,
  );
  const failures: number[] = [];
  let errors = errorsBefore;
  while (Date.now() - began < OUTAGE_SECONDS * 1000) {
    const now = scene.syncErrors();
    if (now > errors) failures.push((Date.now() - began) / 1000);
    errors = now;
    await sleep(1000);
  }
  const failed = await checks;
  await relay.restore();
  if (failed) throw failed;
  const gaps = failures.slice(1).map((f, i) => f - failures[i]);
  const summary =
    `outage ${label}: vault unreachable for ${((Date.now() - began) / 1000).toFixed(1)} s; ${stores.length} stores and ${externalSecrets.length} ExternalSecrets read it; ` +
    `ESO counted ${errors - errorsBefore} failed syncs of the master, seen at ${failures.map((f) => f.toFixed(0)).join(', ')} s (last interval ${(gaps.at(-1) ?? 0).toFixed(0)} s)`;
  return {
    repaired: Date.now(),
    value,
    stores,
    externalSecrets: externalSecrets.length,
    failures,
    longestBackoff: Math.max(0, ...gaps),
    summary,
  };
}

/** What has not recovered yet: a store not Ready, an ExternalSecret reading the vault not Ready or not re-read since the repair, the master's old value. */
export async function outageLagging(scene: OutageScene, outage: Outage): Promise<string[]> {
  const { admin, master } = scene;
  const { externalSecrets } = await vaultReaders(admin);
  const lag: string[] = [];
  for (const store of await admin.list(ESO, 'ClusterSecretStore')) {
    if (outage.stores.includes(store.metadata.name) && readyCondition(store)?.status !== 'True')
      lag.push(`ClusterSecretStore ${store.metadata.name}: ${readyCondition(store)?.message ?? 'not validated'}`);
  }
  for (const es of externalSecrets) {
    const reRead = Math.floor(Date.parse(es.status?.refreshTime ?? '') / 1000) >= Math.floor(outage.repaired / 1000);
    if (!esReady(es.status?.conditions ?? []) || !reRead)
      lag.push(`ExternalSecret ${es.metadata.namespace}/${es.metadata.name}: ${readyCondition(es)?.message ?? 'not re-read'}`);
  }
  if (secretText(await admin.get('v1', 'Secret', master.name, master.namespace), master.key) !== outage.value)
    lag.push(`master ${master.namespace}/${master.name}: not the post-outage value`);
  return lag;
}
