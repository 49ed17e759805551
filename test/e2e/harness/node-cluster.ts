/**
 * A real single-node Kubernetes 1.34.4 cluster: the control plane of control-plane.ts serving a kubelet,
 * kube-scheduler, and containerd with runc (Debian's) running the pods. Everything listens on 127.0.0.1 on
 * free ports, except the pods, which are confined to a network namespace of their own (pod-network.ts);
 * all state is in one temporary folder. `stop()` stops every process by PID and puts the host back as it
 * was (host.ts); when the test process dies before it can, a guard process does it (host-guard.ts).
 */
import { type ChildProcess, spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { KubeClient } from '../../support/kube-client';
import { Containerd } from './containerd';
import { ControlPlane, type UserName } from './control-plane';
import { HostChanges } from './host';
import { startHostGuard } from './host-guard';
import { kubeletCommand } from './kubelet';
import { PodNetwork } from './pod-network';
import { freePort } from './processes';
import { builtImages, type OciImage } from './toolchain';

/** Resolves to 127.0.0.1, which the kubelet refuses as a node IP; the API server dials the node by this name. */
export const NODE_NAME = 'localhost';

/** A relay of host addresses into the pods' network namespace (NodeCluster.forward). */
export interface Relay {
  /** Stops relaying: connections from pods to the addresses are refused. */
  cut(): Promise<void>;
  /** Relays again, from a new process; resolves once it listens. */
  restore(): Promise<void>;
}

export interface NodeTools {
  readonly kube: string;
  readonly node: string;
  readonly images: string;
}

export class NodeCluster {
  readonly controlPlane: ControlPlane;
  readonly images: Record<string, OciImage>;
  readonly containerd: Containerd;
  readonly network: PodNetwork;
  /** Seconds from the start of `start()` until each step was done. */
  readonly startup: Record<string, number> = {};
  private host?: HostChanges;
  private readonly stateFile: string;
  private forwards = 0;

  constructor(private readonly tools: NodeTools) {
    // Every process joins the node's cgroup tree as it starts, so nothing escapes a teardown.
    this.controlPlane = new ControlPlane(tools, { nodeName: NODE_NAME, adopt: (pid) => this.host?.adopt(pid) });
    const dir = this.controlPlane.dir;
    this.stateFile = join(dir, 'host-state.json');
    this.images = builtImages(tools.images);
    this.network = new PodNetwork(dir);
    this.containerd = new Containerd({
      dir,
      runc: this.network.runc,
      cniConfDir: this.network.cniConfDir,
      sandboxImage: this.images.pause.ref,
    });
  }

  get dir(): string {
    return this.controlPlane.dir;
  }

  get server(): string {
    return this.controlPlane.server;
  }

  /** The API server's port, which in-cluster clients reach at 127.0.0.1 inside the pods' namespace too. */
  get apiPort(): number {
    return Number(new URL(this.server).port);
  }

  client(user: UserName): KubeClient {
    return new KubeClient(this.server, this.controlPlane.caPem, this.controlPlane.tokens[user]);
  }

  async start(): Promise<void> {
    const missing = missingHostPrograms();
    if (missing.length > 0)
      throw new Error(`missing ${missing.join(', ')}: apt-get install containerd runc containernetworking-plugins iproute2 util-linux`);
    const t0 = Date.now();
    const mark = (step: string) => (this.startup[step] = (Date.now() - t0) / 1000);
    const host = HostChanges.prepare(this.dir, `css-e2e-${this.dir.split('-').pop()}`, this.stateFile);
    this.host = host;
    // From here on the host is changed: put it back whatever happens to this process.
    startHostGuard(this.stateFile);
    this.network.create();

    const processes = this.controlPlane.processes;
    const containerd = this.containerd.configure();
    processes.launch('containerd', containerd.binary, containerd.args);
    const runtimeReady = processes
      .waitFor('containerd', async () => this.containerd.ready())
      .then(async () => {
        mark('containerd');
        await Promise.all(Object.values(this.images).map((image) => this.containerd.importImage(image)));
        mark(`${Object.keys(this.images).length} images imported`);
      });
    await Promise.all([this.controlPlane.start().then(() => mark('control plane')), runtimeReady]);

    const [schedulerPort, kubeletPort, healthzPort] = await Promise.all([freePort(), freePort(), freePort()]);
    this.network.forward(processes, join(this.tools.node, 'netns-forward'), [`127.0.0.1:${this.apiPort}`]);
    processes.launch('kube-scheduler', join(this.tools.kube, 'kube-scheduler'), [
      `--kubeconfig=${this.controlPlane.kubeconfig('admin')}`,
      '--leader-elect=false',
      '--bind-address=127.0.0.1',
      `--secure-port=${schedulerPort}`,
    ]);
    const kubelet = kubeletCommand({
      dir: this.dir,
      binary: join(this.tools.kube, 'kubelet'),
      kubeconfig: this.controlPlane.nodeKubeconfig(),
      clientCaFile: this.controlPlane.pki('ca.crt'),
      containerdSocket: this.containerd.socket,
      cgroupRoot: host.cgroup,
      nodeName: NODE_NAME,
      port: kubeletPort,
      healthzPort,
    });
    processes.launch('kubelet', kubelet.binary, kubelet.args);

    const admin = this.client('admin');
    await processes.waitFor(
      'kubelet',
      async () => {
        const node = await admin.request('GET', `/api/v1/nodes/${NODE_NAME}`);
        // Ready, and untainted by the node lifecycle controller, so pods are scheduled.
        return (
          node.body?.status?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True') && !(node.body.spec.taints?.length > 0)
        );
      },
      120,
    );
    mark('node Ready');
    await processes.waitFor(
      'kube-controller-manager',
      async () => (await admin.request('GET', '/api/v1/namespaces/default/serviceaccounts/default')).status === 200,
      60,
    );
    mark('default ServiceAccount');
  }

  /** What a URL answers inside the pods' network namespace (the test app's probe, run there); throws unless 200. */
  fetchInPods(url: string): string {
    return this.network.exec(join(this.tools.node, 'testapp'), ['probe', url]);
  }

  /**
   * Makes more host loopback addresses (host:port) reachable at the same address inside the pods' network
   * namespace, such as servers on the host that pods are clients of. Resolves once they listen there; the
   * relay is stopped with the cluster. The relay returned can be cut and restored: while it is cut, pods
   * get "connection refused" from those addresses, as from a server that the network no longer reaches.
   */
  async forward(addresses: readonly string[]): Promise<Relay> {
    const processes = this.controlPlane.processes;
    const start = async () => {
      const name = `netns-forward-${(this.forwards += 1)}`;
      const child = this.network.forward(processes, join(this.tools.node, 'netns-forward'), addresses, name);
      await processes.waitFor(name, async () => processes.tail(name).includes('forwarding'));
      return child;
    };
    let child: ChildProcess | undefined = await start();
    return {
      cut: async () => {
        if (child) await processes.stop(child);
        child = undefined;
      },
      restore: async () => {
        child ??= await start();
      },
    };
  }

  /**
   * Stops every process by PID, unmounts, removes the cgroup tree, restores the sysctls and the
   * hard-coded folders, and deletes the folder (unless CSS_E2E_KEEP is set). Returns what could not be
   * undone, empty when the host is as it was.
   */
  async stop(): Promise<string[]> {
    await this.controlPlane.processes.stopAll();
    const problems = this.host?.restore() ?? [];
    // The guard exits once the state file is gone.
    rmSync(this.stateFile, { force: true });
    if (problems.length === 0 && !process.env.CSS_E2E_KEEP) rmSync(this.dir, { recursive: true, force: true });
    return problems;
  }

  /** PIDs still running of the processes the cluster started, and of everything in its cgroup tree. */
  livePids(): number[] {
    return [...new Set([...this.controlPlane.processes.pids, ...(this.host?.processes() ?? [])])];
  }

  /** What the running node has changed on the host so far, for the record. */
  hostChanges(): string {
    return this.host?.summary() ?? 'nothing';
  }
}

/** The Debian programs the node needs that this machine lacks. */
function missingHostPrograms(): string[] {
  const programs = ['containerd', 'ctr', 'runc', 'nsenter', 'unshare', 'ip', 'setpriv'].filter(
    (p) => spawnSync('sh', ['-c', `command -v ${p}`]).status !== 0,
  );
  return existsSync('/usr/lib/cni/loopback') ? programs : [...programs, '/usr/lib/cni/loopback'];
}
