/**
 * Runs the node's `consumer` program (test/toolchain/node/cmd/consumer) as a pod to completion: one
 * container, `restartPolicy: Never`, hostNetwork (so it reaches the host servers NodeCluster.forward lets
 * into the pods' namespace), with a Secret mounted as a volume the way workloads consume it, and optionally
 * a ConfigMap of trust material (CA certificates, known_hosts). The consumer's one-line result comes back
 * as the container's termination message.
 */
import type { KubeClient } from '../../support/kube-client';
import { createPod, getPod, podEvents, podSummary, type Pod } from './pods';
import { waitUntil } from './wait';

/** Where the Secret's keys are, one file each, inside the consumer pod. */
export const SECRET_DIR = '/secret';
/** Where the trust ConfigMap's keys are. */
export const TRUST_DIR = '/trust';

export interface ConsumerPodProps {
  readonly namespace: string;
  /** Pod name, unique in the namespace. */
  readonly name: string;
  /** The `consumer` image (`cluster.images.consumer.ref`), imported on the node. */
  readonly image: string;
  /** The consumer's subcommand and its arguments, e.g. `['tls-get', url, `${SECRET_DIR}/ca.crt`]`. */
  readonly args: readonly string[];
  /** The Secret mounted at SECRET_DIR. */
  readonly secret: string;
  /**
   * A ConfigMap mounted at TRUST_DIR.
   * @default - none
   */
  readonly trust?: string;
  /**
   * How long to wait for the pod to finish.
   * @default 120
   */
  readonly seconds?: number;
}

export interface ConsumerRun {
  readonly phase: 'Succeeded' | 'Failed';
  /** The consumer's result line ("ok <command>: ..." or "failed <command>: <error>"). */
  readonly message: string;
  /** From the pod's creation request until the API server reported it finished. */
  readonly seconds: number;
}

/**
 * Creates the pod, waits until it has Succeeded or Failed, and returns its phase and result line. A pod that
 * does not finish in time (a missing Secret or image, say) fails with the pod's state and events.
 */
export async function runConsumer(client: KubeClient, props: ConsumerPodProps): Promise<ConsumerRun> {
  const { namespace, name } = props;
  const started = Date.now();
  await createPod(client, {
    metadata: { name, namespace, labels: { 'app.kubernetes.io/name': 'consumer' } },
    spec: {
      hostNetwork: true,
      restartPolicy: 'Never',
      automountServiceAccountToken: false,
      containers: [
        {
          name: 'consumer',
          image: props.image,
          imagePullPolicy: 'Never',
          args: props.args,
          // A consumer that dies before it writes its result (a panic) leaves its last log lines instead.
          terminationMessagePolicy: 'FallbackToLogsOnError',
          volumeMounts: [
            { name: 'secret', mountPath: SECRET_DIR, readOnly: true },
            ...(props.trust ? [{ name: 'trust', mountPath: TRUST_DIR, readOnly: true }] : []),
          ],
        },
      ],
      volumes: [
        { name: 'secret', secret: { secretName: props.secret } },
        ...(props.trust ? [{ name: 'trust', configMap: { name: props.trust } }] : []),
      ],
    },
  });
  const pod = await waitUntil(
    `consumer pod ${namespace}/${name} (${props.args.join(' ')}) to finish`,
    async () => {
      const current = await getPod(client, namespace, name);
      return (current.status?.phase === 'Succeeded' || current.status?.phase === 'Failed') && current;
    },
    props.seconds ?? 120,
    async () => `${podSummary(await getPod(client, namespace, name))}; events: ${(await podEvents(client, namespace, name)).join(' | ')}`,
  );
  return { phase: pod.status!.phase as ConsumerRun['phase'], message: resultLine(pod), seconds: (Date.now() - started) / 1000 };
}

const resultLine = (pod: Pod) =>
  pod.status?.containerStatuses?.[0]?.state.terminated?.message?.trim() ?? `(no termination message) ${podSummary(pod)}`;
