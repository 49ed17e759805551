/**
 * The network the node's pods live in: a network namespace of our own with only a loopback interface.
 * Pods are hostNetwork (there is no pod network and no kube-proxy), and a hostNetwork container shares the
 * network namespace of the runc that starts it; containerd runs runc through a wrapper that enters this
 * namespace first. So whatever a pod listens on, on any address, is reachable from inside the namespace only,
 * and the host's interfaces stay untouched.
 *
 * The one way out is netns-forward, which listens inside the namespace on the API server's loopback address
 * and relays to the API server on the host: in-cluster clients set KUBERNETES_SERVICE_HOST/PORT to it. Tests
 * forward the loopback addresses of other host servers the same way (NodeCluster.forward).
 * The kubelet stays on the host, so its HTTP and TCP probes cannot reach pods; pods use exec probes.
 */
import { type ChildProcess, execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Processes } from './processes';

export class PodNetwork {
  /** The namespace, bind-mounted on a file (unmounted with everything else under the node's folder). */
  readonly netns: string;
  /** The runc that containerd runs. */
  readonly runc: string;
  /** containerd's CNI configuration folder. */
  readonly cniConfDir: string;

  constructor(dir: string) {
    this.netns = join(dir, 'netns-pods');
    this.runc = join(dir, 'runc-in-pod-netns');
    this.cniConfDir = join(dir, 'cni');
  }

  create(): void {
    writeFileSync(this.netns, '');
    execFileSync('unshare', [`--net=${this.netns}`, 'true']);
    execFileSync('nsenter', [`--net=${this.netns}`, 'ip', 'link', 'set', 'lo', 'up']);
    writeFileSync(this.runc, `#!/bin/sh\nexec nsenter --net=${this.netns} runc "$@"\n`, { mode: 0o755 });
    // containerd reports the pod network ready, and so the kubelet the node Ready, only once it has a CNI
    // configuration; hostNetwork pods never call it.
    mkdirSync(this.cniConfDir);
    writeFileSync(
      join(this.cniConfDir, '10-loopback.conflist'),
      JSON.stringify({ cniVersion: '1.0.0', name: 'css-e2e-loopback', plugins: [{ type: 'loopback' }] }),
    );
  }

  /**
   * Makes host loopback addresses (host:port) reachable at the same address inside the namespace, through a
   * netns-forward process launched as `name`.
   */
  forward(processes: Processes, netnsForward: string, addresses: readonly string[], name = 'netns-forward'): ChildProcess {
    return processes.launch(name, netnsForward, [this.netns, ...addresses]);
  }

  /** Runs a command inside the namespace, e.g. to check that a pod listens. */
  exec(command: string, args: readonly string[]): string {
    return execFileSync('nsenter', [`--net=${this.netns}`, command, ...args], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  }
}
