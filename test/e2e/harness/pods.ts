/**
 * Pods through the REST API (cli/kube-client.ts knows the product's kinds, not Pods), and waiting for what a
 * pod reports.
 */
import { KubeError, type KubeClient } from '../../support/kube-client';
import { waitUntil } from './wait';

export interface Pod {
  metadata: { name: string; namespace: string; labels?: Record<string, string>; creationTimestamp?: string };
  spec: Record<string, any>;
  status?: {
    phase?: string;
    conditions?: { type: string; status: string; lastTransitionTime?: string }[];
    containerStatuses?: ContainerStatus[];
  };
}

interface ContainerStatus {
  name: string;
  ready: boolean;
  state: {
    waiting?: { reason?: string; message?: string };
    running?: unknown;
    terminated?: { reason?: string; exitCode?: number; message?: string; startedAt?: string; finishedAt?: string };
  };
}

const podsPath = (namespace: string) => `/api/v1/namespaces/${namespace}/pods`;

async function ok(client: KubeClient, method: string, path: string, body?: unknown): Promise<any> {
  const res = await client.request(method, path, body);
  if (res.status >= 300) throw new KubeError(res.status, res.body, `${method} ${path}`);
  return res.body;
}

export function createPod(client: KubeClient, pod: Pick<Pod, 'metadata' | 'spec'>): Promise<Pod> {
  return ok(client, 'POST', podsPath(pod.metadata.namespace), { apiVersion: 'v1', kind: 'Pod', ...pod });
}

export function getPod(client: KubeClient, namespace: string, name: string): Promise<Pod> {
  return ok(client, 'GET', `${podsPath(namespace)}/${name}`);
}

export async function listPods(client: KubeClient, namespace: string, labelSelector: string): Promise<Pod[]> {
  return (await ok(client, 'GET', `${podsPath(namespace)}?labelSelector=${encodeURIComponent(labelSelector)}`)).items;
}

export const isReady = (pod: Pod) => pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;

/** Why the pod's containers wait (ErrImagePull, ImagePullBackOff, ...), if they do. */
export const waitingReasons = (pod: Pod) =>
  (pod.status?.containerStatuses ?? []).map((c) => c.state.waiting?.reason).filter((r): r is string => r !== undefined);

/** A short account of a pod's state, for failure messages. */
export const podSummary = (pod: Pod | undefined) =>
  JSON.stringify({
    phase: pod?.status?.phase,
    conditions: pod?.status?.conditions,
    containers: pod?.status?.containerStatuses?.map((c) => ({ name: c.name, state: c.state })),
  });

/** The events about a pod, one line each ("Failed: ..."), for failure messages. */
export async function podEvents(client: KubeClient, namespace: string, name: string): Promise<string[]> {
  const events = await ok(
    client,
    'GET',
    `/api/v1/namespaces/${namespace}/events?fieldSelector=${encodeURIComponent(`involvedObject.name=${name}`)}`,
  );
  return events.items.map((e: { reason: string; message: string }) => `${e.reason}: ${e.message}`);
}

/** Waits until the pod is Ready and returns it. */
export async function waitForReadyPod(client: KubeClient, namespace: string, name: string, seconds = 120): Promise<Pod> {
  return waitUntil(
    `pod ${namespace}/${name} Ready`,
    async () => {
      const pod = await getPod(client, namespace, name);
      return isReady(pod) && pod;
    },
    seconds,
    async () => podSummary(await getPod(client, namespace, name)),
  );
}
