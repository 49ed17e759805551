/**
 * Tenants' workloads as `rotate` sees them: which Secrets a pod template reads, whether it opted in to be rolled
 * (Reloader's search annotation), and whether its rollout has finished.
 */
import { RELOADER_SEARCH_ANNOTATION } from '@central-secret-store/constructs/vocabulary';

export type WorkloadKind = 'Deployment' | 'StatefulSet' | 'DaemonSet';
export const WORKLOAD_KINDS: readonly WorkloadKind[] = ['Deployment', 'StatefulSet', 'DaemonSet'];

/**
 * The pod-template annotation `rotate` sets where no Reloader runs: the copy's name and resourceVersion, so the
 * template changes (and the workload rolls) exactly when the Secret does, as Reloader's own annotation does.
 */
export const SECRET_VERSION_ANNOTATION = 'central-secret-store.io/secret-version';

export interface WorkloadState {
  readonly kind: WorkloadKind;
  readonly namespace: string;
  readonly name: string;
  /** Opted in with `reloader.stakater.com/search: "true"`. */
  readonly optedIn: boolean;
  /** Secrets its pod template reads, through env, envFrom or volumes. */
  readonly secrets: readonly string[];
  readonly generation: number;
  /** The controller has rolled every pod to the current template and they are available. */
  readonly rolledOut: boolean;
  /** Why the controller gave up rolling it (a Deployment past its progress deadline), if it did. */
  readonly failed?: string;
}

interface PodSpecLike {
  containers?: ContainerLike[];
  initContainers?: ContainerLike[];
  volumes?: { secret?: { secretName?: string }; projected?: { sources?: { secret?: { name?: string } }[] } }[];
}
interface ContainerLike {
  env?: { valueFrom?: { secretKeyRef?: { name?: string } } }[];
  envFrom?: { secretRef?: { name?: string } }[];
}

/** Every Secret a pod spec reads, sorted and once each. */
export function secretsReadBy(spec: PodSpecLike | undefined): string[] {
  const names = new Set<string>();
  for (const container of [...(spec?.containers ?? []), ...(spec?.initContainers ?? [])]) {
    for (const env of container.env ?? []) if (env.valueFrom?.secretKeyRef?.name) names.add(env.valueFrom.secretKeyRef.name);
    for (const from of container.envFrom ?? []) if (from.secretRef?.name) names.add(from.secretRef.name);
  }
  for (const volume of spec?.volumes ?? []) {
    if (volume.secret?.secretName) names.add(volume.secret.secretName);
    for (const source of volume.projected?.sources ?? []) if (source.secret?.name) names.add(source.secret.name);
  }
  return [...names].sort();
}

/** A Deployment, StatefulSet or DaemonSet object as the API returns it. */
export interface WorkloadObject {
  metadata?: { name?: string; namespace?: string; generation?: number; annotations?: Record<string, string> };
  spec?: { replicas?: number; template?: { spec?: PodSpecLike } };
  status?: {
    observedGeneration?: number;
    replicas?: number;
    updatedReplicas?: number;
    availableReplicas?: number;
    readyReplicas?: number;
    currentRevision?: string;
    updateRevision?: string;
    desiredNumberScheduled?: number;
    updatedNumberScheduled?: number;
    numberAvailable?: number;
    conditions?: { type?: string; status?: string; reason?: string; message?: string }[];
  };
}

/** Whether the controller has finished rolling the workload to its current template (as `kubectl rollout status` judges). */
export function rolledOut(kind: WorkloadKind, workload: WorkloadObject): boolean {
  const status = workload.status ?? {};
  if ((status.observedGeneration ?? 0) < (workload.metadata?.generation ?? 0)) return false;
  const wanted = workload.spec?.replicas ?? 1;
  switch (kind) {
    case 'Deployment':
      return (status.updatedReplicas ?? 0) === wanted && (status.replicas ?? 0) === wanted && (status.availableReplicas ?? 0) === wanted;
    case 'StatefulSet':
      return (
        status.updateRevision === status.currentRevision &&
        (status.updatedReplicas ?? 0) === wanted &&
        (status.readyReplicas ?? 0) === wanted
      );
    case 'DaemonSet':
      return (
        (status.updatedNumberScheduled ?? 0) === (status.desiredNumberScheduled ?? 0) &&
        (status.numberAvailable ?? 0) === (status.desiredNumberScheduled ?? 0)
      );
  }
}

/** A Deployment past its progress deadline: the controller's own verdict that the rollout failed. */
function failedRollout(kind: WorkloadKind, workload: WorkloadObject): string | undefined {
  if (kind !== 'Deployment') return undefined;
  // Until the controller has seen the new template, the condition is the previous rollout's.
  if ((workload.status?.observedGeneration ?? 0) < (workload.metadata?.generation ?? 0)) return undefined;
  const progressing = (workload.status?.conditions ?? []).find((c) => c.type === 'Progressing');
  if (progressing?.status !== 'False' || progressing.reason !== 'ProgressDeadlineExceeded') return undefined;
  return `ProgressDeadlineExceeded: ${progressing.message ?? 'the rollout made no progress'}`;
}

export function workloadState(kind: WorkloadKind, workload: WorkloadObject): WorkloadState {
  const failed = failedRollout(kind, workload);
  return {
    ...(failed ? { failed } : {}),
    kind,
    namespace: workload.metadata?.namespace ?? '',
    name: workload.metadata?.name ?? '',
    optedIn: workload.metadata?.annotations?.[RELOADER_SEARCH_ANNOTATION] === 'true',
    secrets: secretsReadBy(workload.spec?.template?.spec),
    generation: workload.metadata?.generation ?? 0,
    rolledOut: rolledOut(kind, workload),
  };
}
