/**
 * containerd 1.6 (Debian's) as the node's container runtime, with its root, state, socket and runc state in
 * the node's folder, and images imported from OCI tarballs instead of pulled (there is no registry but the
 * suite's own).
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { OciImage } from './toolchain';

export interface ContainerdOptions {
  /** The node's folder. */
  readonly dir: string;
  /** The runc containerd runs (the wrapper that enters the pods' network namespace). */
  readonly runc: string;
  readonly cniConfDir: string;
  /** The image every pod sandbox runs. */
  readonly sandboxImage: string;
}

export class Containerd {
  readonly socket: string;
  private readonly registryHosts: string;

  constructor(private readonly options: ContainerdOptions) {
    this.socket = join(options.dir, 'containerd.sock');
    this.registryHosts = join(options.dir, 'containerd', 'certs.d');
  }

  /** Writes the configuration and returns the command line. */
  configure(): { binary: string; args: string[] } {
    const state = (...p: string[]) => join(this.options.dir, 'containerd', ...p);
    mkdirSync(this.registryHosts, { recursive: true });
    const config = `version = 2
root = "${state('root')}"
state = "${state('state')}"
temp = "${state('tmp')}"
disabled_plugins = ["io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper", "io.containerd.internal.v1.tracing", "io.containerd.tracing.processor.v1.otlp"]

[grpc]
  address = "${this.socket}"

# No debug or metrics listener.
[debug]
  address = ""
[metrics]
  address = ""

[plugins]
  # containerd 1.6 loads its task service, and so the CRI, only with the v1 runtime enabled.
  [plugins."io.containerd.runtime.v1.linux"]
    runtime_root = "${state('runtime-v1')}"
  [plugins."io.containerd.internal.v1.opt"]
    path = "${state('opt')}"
  [plugins."io.containerd.grpc.v1.cri"]
    sandbox_image = "${this.options.sandboxImage}"
    # kubectl exec/attach/port-forward go through this server; the kubelet proxies to it on loopback.
    stream_server_address = "127.0.0.1"
    stream_server_port = "0"
    disable_tcp_service = true
    netns_mounts_under_state_dir = true
    # Root on these machines lacks CAP_SYS_RESOURCE, so no process may lower its oom_score_adj, which the
    # kubelet asks for every sandbox (-998) and Guaranteed container (-997): runc would fail to start them.
    restrict_oom_score_adj = true
    # The kernel has no AppArmor and no hugetlb controller.
    disable_apparmor = true
    disable_hugetlb_controller = true
    tolerate_missing_hugetlb_controller = true
    [plugins."io.containerd.grpc.v1.cri".cni]
      bin_dir = "/usr/lib/cni"
      conf_dir = "${this.options.cniConfDir}"
    [plugins."io.containerd.grpc.v1.cri".containerd]
      snapshotter = "overlayfs"
      default_runtime_name = "runc"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
        runtime_type = "io.containerd.runc.v2"
        [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
          BinaryName = "${this.options.runc}"
          Root = "${state('runc')}"
          SystemdCgroup = false
    [plugins."io.containerd.grpc.v1.cri".registry]
      config_path = "${this.registryHosts}"
`;
    const file = join(this.options.dir, 'containerd.toml');
    writeFileSync(file, config);
    return { binary: 'containerd', args: ['--config', file] };
  }

  /** Answers once containerd serves its API. */
  ready(): boolean {
    if (!existsSync(this.socket)) return false;
    this.ctr('version');
    return true;
  }

  /** Imports an OCI tarball into the namespace the CRI uses, under the reference the tarball names. */
  async importImage(image: OciImage): Promise<void> {
    await promisify(execFile)('ctr', ['--address', this.socket, '-n', 'k8s.io', 'images', 'import', image.file]);
  }

  /** Lets the node pull from a plain-HTTP registry on loopback (containerd reads this at every pull). */
  trustRegistry(host: string): void {
    mkdirSync(join(this.registryHosts, host));
    writeFileSync(
      join(this.registryHosts, host, 'hosts.toml'),
      `server = "http://${host}"\n\n[host."http://${host}"]\n  capabilities = ["pull", "resolve"]\n`,
    );
  }

  private ctr(...args: string[]): void {
    execFileSync('ctr', ['--address', this.socket, ...args], { stdio: 'pipe' });
  }
}
