/**
 * The kubelet's configuration: serving on 127.0.0.1 only, its state, pod logs and cgroups confined to the
 * node's folder and cgroup tree, and nothing changed on the host's firewall.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';

export interface KubeletOptions {
  readonly dir: string;
  readonly binary: string;
  readonly kubeconfig: string;
  readonly clientCaFile: string;
  readonly containerdSocket: string;
  /** The cgroup tree the pods go under (cgroupRoot). */
  readonly cgroupRoot: string;
  /** A host name that resolves to 127.0.0.1: the API server reaches the kubelet at the node's Hostname address. */
  readonly nodeName: string;
  readonly port: number;
  readonly healthzPort: number;
}

/** Writes the KubeletConfiguration and returns the command line. */
export function kubeletCommand(o: KubeletOptions): { binary: string; args: string[] } {
  const config = join(o.dir, 'kubelet.yaml');
  writeFileSync(
    config,
    stringify({
      apiVersion: 'kubelet.config.k8s.io/v1beta1',
      kind: 'KubeletConfiguration',
      address: '127.0.0.1',
      port: o.port,
      // No unauthenticated port.
      readOnlyPort: 0,
      healthzBindAddress: '127.0.0.1',
      healthzPort: o.healthzPort,
      containerRuntimeEndpoint: `unix://${o.containerdSocket}`,
      cgroupDriver: 'cgroupfs',
      cgroupRoot: `/${o.cgroupRoot}`,
      // A developer's machine may have swap; the node's pods do not care.
      failSwapOn: false,
      podLogsDir: join(o.dir, 'pod-logs'),
      // Only the API server, with its client certificate, may call the kubelet.
      authentication: { anonymous: { enabled: false }, webhook: { enabled: false }, x509: { clientCAFile: o.clientCaFile } },
      authorization: { mode: 'Webhook' },
      // The machine's disk and memory are shared with everything else on it: evict only when nearly full.
      evictionHard: { 'memory.available': '100Mi', 'nodefs.available': '1%', 'imagefs.available': '1%', 'nodefs.inodesFree': '1%' },
      // Imported images cannot be pulled again: never collect them.
      imageGCHighThresholdPercent: 100,
      imageGCLowThresholdPercent: 99,
      // No KUBE-IPTABLES-HINT or canary chains in the host's firewall.
      makeIPTablesUtilChains: false,
      // The operations suite runs a workload in each of 100 namespaces, and rolls them with a surge.
      maxPods: 250,
    }),
  );
  return {
    binary: o.binary,
    args: [
      `--config=${config}`,
      `--kubeconfig=${o.kubeconfig}`,
      `--root-dir=${join(o.dir, 'kubelet')}`,
      `--cert-dir=${join(o.dir, 'kubelet', 'pki')}`,
      `--hostname-override=${o.nodeName}`,
      '--v=1',
    ],
  };
}
