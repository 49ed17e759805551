/**
 * `rotate`'s logic, against a small cluster interface so it can be tested with a fake: make ESO re-read a
 * credential's master now, then every copy, then see every opted-in workload that reads a changed copy roll:
 * Reloader's doing where it runs, else rotate's own, in waves of a bounded size (a cluster must not restart
 * thousands of pods at once), the next wave once the last has rolled, none after a rollout failed.
 *
 * "Written from the new master" (see resync.ts): the copies are asked to re-sync only once the master's
 * ExternalSecret has been re-read after its own request, and a copy counts once its ExternalSecret has been
 * re-read after the copy's request; the store reads the master Secret from the API server at that moment, so
 * the copy holds what the master held after its refresh. Whether a copy's data changed is ESO's data-hash
 * annotation on the copy before and after. No Secret value is ever read into this module.
 */
import { mapAtMost } from '../support/map-at-most';
import { type ExternalSecretState, type ResyncRequest, lagReason, resyncedSince } from './resync';
import { SECRET_VERSION_ANNOTATION, type WorkloadKind, type WorkloadState } from './workloads';

export interface Distribution {
  /** Name of the ClusterExternalSecret, and of the ExternalSecret it writes in each namespace. */
  readonly name: string;
  readonly provisionedNamespaces: readonly string[];
  readonly failedNamespaces: readonly string[];
}

/** Metadata of a Secret: never its data. */
export interface SecretVersion {
  readonly resourceVersion: string;
  readonly dataHash?: string;
}

export type ForceSyncTarget =
  | { readonly kind: 'ExternalSecret'; readonly namespace: string; readonly name: string }
  | { readonly kind: 'ClusterExternalSecret'; readonly name: string };

export interface RotationCluster {
  readonly centralNamespace: string;
  readExternalSecret(namespace: string, name: string): Promise<ExternalSecretState | undefined>;
  /** The ClusterExternalSecrets distributing the credential. */
  distributions(credential: string): Promise<Distribution[]>;
  /** The copies' ExternalSecrets of the credential, in every namespace. */
  copies(credential: string): Promise<ExternalSecretState[]>;
  /** Sets ESO's force-sync annotation; returns when the API server recorded the patch (RFC 3339). */
  forceSync(target: ForceSyncTarget, value: string): Promise<string>;
  secretVersion(namespace: string, name: string): Promise<SecretVersion | undefined>;
  workloads(namespace: string): Promise<WorkloadState[]>;
  readWorkload(kind: WorkloadKind, namespace: string, name: string): Promise<WorkloadState | undefined>;
  annotatePodTemplate(kind: WorkloadKind, namespace: string, name: string, annotations: Record<string, string>): Promise<void>;
  /** Whether a Reloader controller is running to roll opted-in workloads. */
  reloaderRunning(): Promise<boolean>;
}

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = { now: () => Date.now(), sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)) };

/**
 * Requests to the API server rotate keeps in flight when it reads or patches every namespace's objects: at
 * 1,000 namespaces, one after another would cost rotate itself several seconds per pass.
 */
const REQUESTS_IN_FLIGHT = 32;

/** Workloads `rotate` rolls at once where it rolls them itself: a wave. */
export const DEFAULT_MAX_CONCURRENT_ROLLOUTS = 10;

export interface RotationProgress {
  readonly phase: 'master' | 'copies' | 'workloads' | 'done';
  /** The wave of rollouts under way, counted from 1, once one has begun. */
  readonly wave?: number;
  /** Things confirmed: the master, copies, rolled workloads. */
  readonly done: number;
  /** Things to confirm, as far as known. */
  readonly total: number;
}

export interface RotateOptions {
  readonly credential: string;
  /** Give up after this long. */
  readonly deadlineMs: number;
  /** @default 1000 */
  readonly pollMs?: number;
  /** @default systemClock */
  readonly clock?: Clock;
  readonly onProgress?: (progress: RotationProgress) => void;
  /** Plain lines on what happens (never a value). */
  readonly log?: (line: string) => void;
  /**
   * Where rotate rolls the workloads itself (no Reloader runs): how many roll at once. The next wave begins
   * when every workload of the one before has rolled; the first rollout that fails stops them.
   * @default DEFAULT_MAX_CONCURRENT_ROLLOUTS
   */
  readonly maxConcurrentRollouts?: number;
  /** At most this many workloads of one namespace in a wave. @default no limit but the wave's */
  readonly maxRolloutsPerNamespace?: number;
}

/** The rollout that stopped the waves. */
export interface FailedRollout {
  readonly kind: WorkloadKind;
  readonly namespace: string;
  readonly name: string;
  readonly reason: string;
}

export interface Lag {
  readonly namespace: string;
  /** `ExternalSecret <name>` or `<Kind> <name>`. */
  readonly object: string;
  readonly reason: string;
}

export interface RotationResult {
  readonly credential: string;
  readonly ok: boolean;
  readonly elapsedMs: number;
  readonly masterConfirmed: boolean;
  readonly copies: {
    readonly confirmed: number;
    readonly total: number;
    readonly changed: number;
    readonly namespaces: readonly string[];
    /** Each copy's ExternalSecret asked to re-read the master. */
    readonly asked: readonly { readonly namespace: string; readonly name: string }[];
  };
  readonly workloads: {
    readonly rolled: number;
    readonly total: number;
    readonly rolledBy: 'reloader' | 'central-secret-store';
    /** Waves rotate began (none where Reloader rolls). */
    readonly waves: number;
    /** The rollout that failed and stopped the waves. */
    readonly failed?: FailedRollout;
    /** Each opted-in workload that reads a changed copy, and whether it rolled. */
    readonly each: readonly { readonly kind: WorkloadKind; readonly namespace: string; readonly name: string; readonly rolled: boolean }[];
  };
  /** What lags at the deadline, by namespace. */
  readonly lagging: readonly Lag[];
}

interface CopyWatch {
  readonly namespace: string;
  readonly name: string;
  readonly before?: SecretVersion;
  request?: ResyncRequest;
  state?: ExternalSecretState;
  confirmed: boolean;
  failed?: string;
}

interface WorkloadWatch {
  readonly before: WorkloadState;
  readonly secret: string;
  /** The pod-template annotation's value that rolls it: the copy's name and new resourceVersion. */
  readonly version: string;
  triggered: boolean;
  state?: WorkloadState;
  rolled: boolean;
}

const key = (namespace: string, name: string) => `${namespace}/${name}`;

export async function rotate(cluster: RotationCluster, options: RotateOptions): Promise<RotationResult> {
  const maxConcurrent = options.maxConcurrentRollouts ?? DEFAULT_MAX_CONCURRENT_ROLLOUTS;
  const perNamespace = options.maxRolloutsPerNamespace ?? Number.POSITIVE_INFINITY;
  for (const [name, value] of [
    ['maxConcurrentRollouts', maxConcurrent],
    ['maxRolloutsPerNamespace', perNamespace],
  ] as const) {
    if (!(value >= 1) || (value !== Number.POSITIVE_INFINITY && !Number.isInteger(value)))
      throw new Error(`${name} must be a whole number of at least 1, not ${value}`);
  }
  const clock = options.clock ?? systemClock;
  const pollMs = options.pollMs ?? 1000;
  const start = clock.now();
  const deadline = start + options.deadlineMs;
  const log = options.log ?? (() => undefined);
  const { credential } = options;

  const master = await cluster.readExternalSecret(cluster.centralNamespace, credential);
  if (!master)
    throw new Error(
      `credential "${credential}" has no master ExternalSecret in ${cluster.centralNamespace}: is it offered on this cluster?`,
    );
  const distributions = await cluster.distributions(credential);
  const copies = new Map<string, CopyWatch>();
  const lagging: Lag[] = [];
  for (const distribution of distributions) {
    for (const namespace of distribution.failedNamespaces)
      lagging.push({
        namespace,
        object: `ExternalSecret ${distribution.name}`,
        reason: `ClusterExternalSecret ${distribution.name} failed to provision the namespace`,
      });
    for (const namespace of distribution.provisionedNamespaces)
      copies.set(key(namespace, distribution.name), { namespace, name: distribution.name, confirmed: false });
  }
  const existing = new Map((await cluster.copies(credential)).map((c) => [key(c.namespace, c.name), c]));
  const namespaces = [...new Set([...copies.values()].map((c) => c.namespace))].sort();

  // Workloads and copies are recorded before anything is asked, so a roll that happens fast is not missed.
  const workloadsBefore = new Map(
    await mapAtMost(
      namespaces,
      REQUESTS_IN_FLIGHT,
      async (namespace) => [namespace, (await cluster.workloads(namespace)).filter((w) => w.optedIn)] as const,
    ),
  );
  await mapAtMost([...copies], REQUESTS_IN_FLIGHT, async ([id, copy]) => {
    const state = existing.get(id);
    copies.set(id, { ...copy, state, before: state ? await cluster.secretVersion(copy.namespace, state.target) : undefined });
  });
  const reloader = await cluster.reloaderRunning();
  const rolledBy = reloader ? 'reloader' : 'central-secret-store';
  if (reloader) log('Reloader runs here and rolls the workloads itself, as their Secrets change: waves apply only where rotate rolls');
  const workloads = new Map<string, WorkloadWatch>();
  /** Workloads waiting for a wave, in the order their copies changed. */
  const queue: WorkloadWatch[] = [];
  let wave: WorkloadWatch[] = [];
  let waves = 0;
  let failed: FailedRollout | undefined;
  const changed = new Set<string>();
  let masterConfirmed = false;
  const progress = (phase: RotationProgress['phase']) => {
    const rolled = [...workloads.values()].filter((w) => w.rolled).length;
    const confirmedCopies = [...copies.values()].filter((c) => c.confirmed).length;
    options.onProgress?.({
      phase,
      done: (masterConfirmed ? 1 : 0) + confirmedCopies + rolled,
      total: 1 + copies.size + workloads.size,
      ...(waves > 0 ? { wave: waves } : {}),
    });
  };

  // 1. The master.
  const stamp = new Date(clock.now()).toISOString();
  const masterRequest = {
    syncedResourceVersion: master.syncedResourceVersion,
    patchedAt: await cluster.forceSync({ kind: 'ExternalSecret', namespace: cluster.centralNamespace, name: credential }, stamp),
  };
  log(`asked ESO to re-read the master ${cluster.centralNamespace}/${credential} from the vault`);
  progress('master');
  let masterState: ExternalSecretState | undefined = master;
  while (clock.now() < deadline) {
    masterState = await cluster.readExternalSecret(cluster.centralNamespace, credential);
    if (masterState && resyncedSince(masterState, masterRequest)) {
      masterConfirmed = true;
      break;
    }
    await clock.sleep(pollMs);
  }
  if (!masterConfirmed) {
    lagging.unshift({ namespace: cluster.centralNamespace, object: `ExternalSecret ${credential}`, reason: lagReason(masterState) });
    return finish();
  }
  log(
    `master ${credential} re-read; asking ${copies.size} cop${copies.size === 1 ? 'y' : 'ies'} in ${namespaces.length} namespace${namespaces.length === 1 ? '' : 's'} to re-read it`,
  );
  progress('copies');

  // 2. The copies. The distributions carry the annotation too: ESO mirrors a ClusterExternalSecret's
  // force-sync onto its ExternalSecrets and would otherwise remove it from them again.
  // ESO may mirror the annotation onto a copy before rotate patches it, which then changes nothing and leaves
  // no patch time of its own: a copy's request counts from the first patch of this phase.
  const copyStamp = new Date(clock.now()).toISOString();
  let phaseStart: string | undefined;
  for (const distribution of distributions) {
    const at = await cluster.forceSync({ kind: 'ClusterExternalSecret', name: distribution.name }, copyStamp);
    phaseStart ??= at;
  }
  await mapAtMost([...copies.values()], REQUESTS_IN_FLIGHT, async (copy) => {
    if (!copy.state) return;
    const at = await cluster.forceSync({ kind: 'ExternalSecret', namespace: copy.namespace, name: copy.name }, copyStamp);
    copy.request = { syncedResourceVersion: copy.state.syncedResourceVersion, patchedAt: phaseStart ?? at };
  });

  // 3. Wait for copies and the rolls they cause.
  while (true) {
    const now = new Map((await cluster.copies(credential)).map((c) => [key(c.namespace, c.name), c]));
    const resynced: CopyWatch[] = [];
    for (const copy of copies.values()) {
      if (copy.confirmed) continue;
      copy.state = now.get(key(copy.namespace, copy.name));
      if (copy.state && !copy.request) {
        // Created by ESO after the request went out: it was written from the current master.
        copy.request = { syncedResourceVersion: undefined, patchedAt: phaseStart ?? copyStamp };
      }
      if (copy.state && copy.request && resyncedSince(copy.state, copy.request)) resynced.push(copy);
    }
    const afters = await mapAtMost(resynced, REQUESTS_IN_FLIGHT, (copy) => cluster.secretVersion(copy.namespace, copy.state!.target));
    resynced.forEach((copy, i) => {
      copy.confirmed = true;
      const after = afters[i];
      if (!after || after.dataHash === copy.before?.dataHash) return;
      const target = copy.state!.target;
      changed.add(key(copy.namespace, copy.name));
      for (const workload of workloadsBefore.get(copy.namespace) ?? []) {
        if (!workload.secrets.includes(target)) continue;
        const id = `${workload.kind}/${key(workload.namespace, workload.name)}`;
        if (workloads.has(id)) continue;
        const watch: WorkloadWatch = {
          before: workload,
          secret: target,
          version: `${target}@${after.resourceVersion}`,
          triggered: reloader,
          rolled: false,
        };
        workloads.set(id, watch);
        if (!reloader) queue.push(watch);
      }
    });
    await mapAtMost(
      [...workloads.values()].filter((w) => !w.rolled && w.triggered),
      REQUESTS_IN_FLIGHT,
      async (watch) => {
        watch.state = await cluster.readWorkload(watch.before.kind, watch.before.namespace, watch.before.name);
        // Rolled: the template changed after the rotation began (Reloader's annotation or ours) and the
        // controller finished replacing the pods. A workload deleted meanwhile has nothing left to roll.
        watch.rolled = !watch.state || (watch.state.generation > watch.before.generation && watch.state.rolledOut);
      },
    );
    for (const watch of workloads.values()) {
      if (!watch.rolled && watch.triggered && watch.state?.failed && watch.state.generation > watch.before.generation) {
        failed ??= { kind: watch.before.kind, namespace: watch.before.namespace, name: watch.before.name, reason: watch.state.failed };
      }
    }
    if (failed) {
      log(`rollout of ${failed.kind} ${failed.namespace}/${failed.name} failed (${failed.reason}): no further wave begins`);
      break;
    }
    if (!reloader && queue.length > 0 && wave.every((w) => w.rolled)) {
      wave = nextWave(queue, maxConcurrent, perNamespace);
      waves++;
      await mapAtMost(wave, REQUESTS_IN_FLIGHT, async (watch) => {
        await cluster.annotatePodTemplate(watch.before.kind, watch.before.namespace, watch.before.name, {
          [SECRET_VERSION_ANNOTATION]: watch.version,
        });
        watch.triggered = true;
      });
      log(
        `wave ${waves}: rolling ${wave.length} workload${wave.length === 1 ? '' : 's'} (${wave.map((w) => `${w.before.kind} ${w.before.namespace}/${w.before.name}`).join(', ')}); ${queue.length} waiting`,
      );
    }
    progress(copies.size > 0 && [...copies.values()].every((c) => c.confirmed) ? 'workloads' : 'copies');
    if ([...copies.values()].every((c) => c.confirmed) && [...workloads.values()].every((w) => w.rolled)) break;
    if (clock.now() >= deadline) break;
    await clock.sleep(pollMs);
  }
  for (const copy of copies.values())
    if (!copy.confirmed) lagging.push({ namespace: copy.namespace, object: `ExternalSecret ${copy.name}`, reason: lagReason(copy.state) });
  for (const watch of workloads.values()) {
    if (watch.rolled) continue;
    const reason =
      failed && watch.before.kind === failed.kind && watch.before.namespace === failed.namespace && watch.before.name === failed.name
        ? `rollout failed: ${failed.reason}`
        : !watch.triggered
          ? failed
            ? `not rolled: the waves stopped when ${failed.kind} ${failed.namespace}/${failed.name} failed`
            : `not rolled: waiting for a wave at the deadline`
          : `not rolled to the new ${watch.secret} (${reloader ? 'Reloader' : 'central-secret-store'} triggered it; pods not all replaced and available)`;
    lagging.push({ namespace: watch.before.namespace, object: `${watch.before.kind} ${watch.before.name}`, reason });
  }
  return finish();

  function finish(): RotationResult {
    const all = [...copies.values()];
    const result: RotationResult = {
      credential,
      ok: lagging.length === 0,
      elapsedMs: clock.now() - start,
      masterConfirmed,
      copies: {
        confirmed: all.filter((c) => c.confirmed).length,
        total: all.length,
        changed: changed.size,
        namespaces,
        asked: all.filter((c) => c.request).map((c) => ({ namespace: c.namespace, name: c.name })),
      },
      workloads: {
        rolled: [...workloads.values()].filter((w) => w.rolled).length,
        total: workloads.size,
        rolledBy,
        waves,
        ...(failed ? { failed } : {}),
        each: [...workloads.values()].map((w) => ({
          kind: w.before.kind,
          namespace: w.before.namespace,
          name: w.before.name,
          rolled: w.rolled,
        })),
      },
      lagging: [...lagging].sort((a, b) => a.namespace.localeCompare(b.namespace) || a.object.localeCompare(b.object)),
    };
    options.onProgress?.({
      phase: 'done',
      done: (masterConfirmed ? 1 : 0) + result.copies.confirmed + result.workloads.rolled,
      total: 1 + all.length + workloads.size,
    });
    return result;
  }
}

/**
 * The next wave from the queue, in order: at most `size` workloads and `perNamespace` of one namespace; those
 * left out by the namespace limit keep their place for the next wave.
 */
function nextWave(queue: WorkloadWatch[], size: number, perNamespace: number): WorkloadWatch[] {
  const wave: WorkloadWatch[] = [];
  const inNamespace = new Map<string, number>();
  for (let i = 0; i < queue.length && wave.length < size;) {
    const namespace = queue[i].before.namespace;
    if ((inNamespace.get(namespace) ?? 0) >= perNamespace) {
      i++;
      continue;
    }
    inNamespace.set(namespace, (inNamespace.get(namespace) ?? 0) + 1);
    wave.push(...queue.splice(i, 1));
  }
  return wave;
}
