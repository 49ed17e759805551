/**
 * How the operational commands (rotate, recover) tell that ESO has re-read an object since they asked it to,
 * without trusting anyone's clock against another's more than to the second.
 *
 * ESO (v0.20.4, the controller of chart 2.9.0) records on every ExternalSecret it reconciles
 * `status.syncedResourceVersion` = `<generation>-<hash of labels and annotations>` and `status.refreshTime` =
 * when that reconcile started, and any change of an annotation makes it reconcile at once. So after a command
 * sets `external-secrets.io/force-sync: <timestamp>` (ESO's force-sync annotation), the ExternalSecret has
 * been re-read when its synced version differs from the one seen before the patch (a reconcile saw the new
 * annotation) and its refresh started no earlier than the API server recorded the patch (managedFields time,
 * to the second), and it is Ready.
 */

/** ESO's force-sync annotation (apis/externalsecrets/v1: AnnotationForceSync). */
export const FORCE_SYNC_ANNOTATION = 'external-secrets.io/force-sync';

/** ESO's annotation on every Secret it writes: a hash of the Secret's data (AnnotationDataHash). */
export const DATA_HASH_ANNOTATION = 'reconcile.external-secrets.io/data-hash';

/** The field manager the operational commands patch with, so their patch time can be read back. */
export const OPERATIONS_FIELD_MANAGER = 'central-secret-store-operations';

export interface Condition {
  readonly type: string;
  readonly status: string;
  readonly reason?: string;
  readonly message?: string;
}

/** What the commands read of an ExternalSecret: never its data. */
export interface ExternalSecretState {
  readonly namespace: string;
  readonly name: string;
  /** spec.target.name: the Secret it writes. */
  readonly target: string;
  readonly syncedResourceVersion?: string;
  /** status.refreshTime, RFC 3339. */
  readonly refreshTime?: string;
  readonly conditions: readonly Condition[];
  /**
   * The ClusterExternalSecret that provisioned it, if any: ESO (v0.20.4) marks the ExternalSecrets it creates
   * for a ClusterExternalSecret only with a controller owner reference to it (no label of its own).
   */
  readonly distribution?: string;
}

/** The state of one ExternalSecret right before the command patched it, and when the API server took the patch. */
export interface ResyncRequest {
  readonly syncedResourceVersion?: string;
  /** RFC 3339, from the patch's managedFields entry. */
  readonly patchedAt: string;
}

const seconds = (time: string) => Math.floor(Date.parse(time) / 1000);

export function isReady(conditions: readonly Condition[]): boolean {
  return conditions.some((c) => c.type === 'Ready' && c.status === 'True');
}

/** Whether ESO has re-read the ExternalSecret since the request, and succeeded. */
export function resyncedSince(state: ExternalSecretState, request: ResyncRequest): boolean {
  if (!state.refreshTime || state.syncedResourceVersion === undefined) return false;
  return (
    state.syncedResourceVersion !== request.syncedResourceVersion &&
    seconds(state.refreshTime) >= seconds(request.patchedAt) &&
    isReady(state.conditions)
  );
}

/** ESO's reason and message from an object's `Ready` condition when it is there and not True, else undefined. */
export function notReadyReason(conditions: readonly Condition[]): string | undefined {
  const ready = conditions.find((c) => c.type === 'Ready');
  if (!ready || ready.status === 'True') return undefined;
  return `${ready.reason ?? 'not ready'}${ready.message ? `: ${ready.message}` : ''}`;
}

/** Why an ExternalSecret is not (yet) resynced, for the lagging report: ESO's own reason and message when it failed. */
export function lagReason(state: ExternalSecretState | undefined): string {
  if (!state) return 'no ExternalSecret';
  return notReadyReason(state.conditions) ?? 'not re-read yet';
}

/** The time of the last patch by `manager` recorded in an object's managedFields, else `fallback`. */
export function patchTimeOf(
  managedFields: readonly { manager?: string; time?: Date | string }[] | undefined,
  manager: string,
  fallback: Date,
): string {
  const times = (managedFields ?? []).filter((f) => f.manager === manager && f.time).map((f) => new Date(f.time!).toISOString());
  return times.sort().at(-1) ?? fallback.toISOString();
}
