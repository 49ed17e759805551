/**
 * What a node changes on the machine outside its own folder, and putting it back. What restoring needs is
 * saved in a state file, so that a guard process (host-guard.ts) can restore the host when the test process
 * dies before it could:
 *  - the kubelet sets six kernel sysctls (setupKernelTunables); their values are saved and restored;
 *  - the kubelet links container logs into /var/log/containers and containerd puts shim sockets under
 *    /run/containerd, both hard-coded; each is removed if this node created it, and otherwise loses what
 *    appeared in it while the node ran;
 *  - every process of the node (the control plane, the kubelet, containerd, its shims and the pods) lives in
 *    a cgroup tree of its own, which the kubelet also uses as its cgroupRoot: stopping is freezing that
 *    tree, killing the PIDs it lists and removing it, so nothing the node started can escape;
 *  - mounts (overlay root filesystems, pod volumes, the pods' network namespace) all lie under the node's
 *    folder and are unmounted, deepest first.
 * cgroup v1 (and hybrid) only, as on the machines this suite runs on; a v2-only machine is refused up front.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, rmSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The kernel settings the kubelet changes. */
const KUBELET_SYSCTLS = [
  'vm/overcommit_memory',
  'vm/panic_on_oom',
  'kernel/panic',
  'kernel/panic_on_oops',
  'kernel/keys/root_maxkeys',
  'kernel/keys/root_maxbytes',
];
/** Folders whose paths the kubelet and containerd hard-code. */
const HARD_CODED_DIRS = ['/var/log/containers', '/run/containerd'];

const sleepSync = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/**
 * Mount points of the cgroup hierarchies: every v1 controller's, and the v2 one that hybrid machines mount
 * beside them (/sys/fs/cgroup/unified), where the kubelet creates its cgroups too.
 */
function cgroupHierarchies(): string[] {
  const mounts = readFileSync('/proc/self/mountinfo', 'utf8')
    .trim()
    .split('\n')
    .map((l) => l.split(' - '));
  if (!mounts.some(([, fs]) => fs.startsWith('cgroup ')))
    throw new Error('this machine has no cgroup v1 hierarchy; the node harness supports cgroup v1 (and hybrid) only');
  return mounts.filter(([, fs]) => fs.startsWith('cgroup ') || fs.startsWith('cgroup2 ')).map(([head]) => head.split(' ')[4]);
}

/** What the node could leave behind on the host, to compare before and after a run. */
export interface HostSnapshot {
  readonly sysctls: Record<string, string>;
  /** Every mount point, with its propagation (shared:N, master:N). */
  readonly mounts: string[];
  /** The top-level cgroups of every hierarchy. */
  readonly cgroups: string[];
  /** The hard-coded folders and what is in them (undefined: absent). */
  readonly dirs: Record<string, string[] | undefined>;
}

export function hostSnapshot(): HostSnapshot {
  return {
    sysctls: Object.fromEntries(KUBELET_SYSCTLS.map((k) => [k, readFileSync(`/proc/sys/${k}`, 'utf8').trim()])),
    mounts: readFileSync('/proc/self/mountinfo', 'utf8')
      .trim()
      .split('\n')
      .map((l) => l.split(' - ')[0].split(' '))
      .map((f) => [f[4], ...f.slice(6)].join(' '))
      .sort(),
    cgroups: cgroupHierarchies()
      .flatMap((h) =>
        readdirSync(h, { withFileTypes: true })
          .filter((e) => e.isDirectory())
          .map((e) => join(h, e.name)),
      )
      .sort(),
    dirs: Object.fromEntries(HARD_CODED_DIRS.map((d) => [d, existsSync(d) ? entries(d).sort() : undefined])),
  };
}

/** Everything restoring the host needs, as saved in the state file. */
interface HostState {
  /** The node's folder: every mount under it is the node's. */
  readonly dir: string;
  /** The name of the node's cgroup tree, the same in every hierarchy. */
  readonly cgroup: string;
  readonly sysctls: Record<string, string>;
  /** What each hard-coded folder held before the node started; null when the node created it. */
  readonly dirsBefore: Record<string, string[] | null>;
}

export class HostChanges {
  private readonly hierarchies = cgroupHierarchies();
  private restored = false;

  private constructor(private readonly state: HostState) {}

  /**
   * Saves the sysctls and what the hard-coded folders hold, creates the missing folders and the node's cgroup
   * tree, and writes the state file.
   */
  static prepare(dir: string, cgroup: string, stateFile: string): HostChanges {
    const dirsBefore: Record<string, string[] | null> = {};
    for (const d of HARD_CODED_DIRS) {
      dirsBefore[d] = existsSync(d) ? entries(d) : null;
      mkdirSync(d, { recursive: true });
    }
    const changes = new HostChanges({
      dir,
      cgroup,
      sysctls: Object.fromEntries(KUBELET_SYSCTLS.map((k) => [k, readFileSync(`/proc/sys/${k}`, 'utf8').trim()])),
      dirsBefore,
    });
    for (const h of changes.hierarchies) changes.makeCgroup(h, cgroup);
    writeFileSync(stateFile, JSON.stringify(changes.state));
    return changes;
  }

  /** The changes a state file describes. */
  static load(stateFile: string): HostChanges {
    return new HostChanges(JSON.parse(readFileSync(stateFile, 'utf8')));
  }

  get cgroup(): string {
    return this.state.cgroup;
  }

  private get dir(): string {
    return this.state.dir;
  }

  /** Moves a process into `<tree>/node` in every hierarchy; the children it starts later are born there. */
  adopt(pid: number): void {
    for (const h of this.hierarchies) {
      this.makeCgroup(h, join(this.cgroup, 'node'));
      writeFileSync(join(h, this.cgroup, 'node', 'cgroup.procs'), String(pid));
    }
  }

  /** PIDs of every process in the node's cgroup tree. */
  processes(): number[] {
    const pids = new Set<number>();
    for (const h of this.hierarchies)
      for (const d of this.cgroupDirs(h))
        for (const p of orEmpty(() => readFileSync(join(d, 'cgroup.procs'), 'utf8').split('\n'))) if (p) pids.add(Number(p));
    return [...pids];
  }

  /** The sysctls changed, mounts under the folder and cgroups the node holds now. */
  summary(): string {
    const changed = Object.entries(this.state.sysctls).filter(([k, v]) => readFileSync(`/proc/sys/${k}`, 'utf8').trim() !== v);
    const cgroups = this.hierarchies.reduce((n, h) => n + this.cgroupDirs(h).length, 0);
    return `sysctls changed: ${changed.map(([k, v]) => `${k} ${v} -> ${readFileSync(`/proc/sys/${k}`, 'utf8').trim()}`).join(', ') || 'none'}; ${this.mountsUnderDir().length} mounts under the folder; ${cgroups} cgroups`;
  }

  /**
   * Kills what is left of the node, unmounts, removes the cgroup tree, restores the sysctls and removes the
   * folders it created. Returns what could not be undone (empty when the host is as it was).
   */
  restore(): string[] {
    if (this.restored) return [];
    this.restored = true;
    const problems: string[] = [];
    this.killTree();
    problems.push(...this.unmountAll());
    problems.push(...this.removeCgroups());
    for (const [k, v] of Object.entries(this.state.sysctls)) {
      try {
        writeFileSync(`/proc/sys/${k}`, v);
      } catch (error) {
        problems.push(`sysctl ${k}: ${(error as Error).message}`);
      }
    }
    for (const [d, before] of Object.entries(this.state.dirsBefore)) {
      if (!before) rmSync(d, { recursive: true, force: true });
      else for (const e of entries(d).filter((e) => !before.includes(e))) rmSync(e, { recursive: true, force: true });
    }
    return problems;
  }

  /** Mount points under the node's folder, most recently mounted first. */
  mountsUnderDir(): string[] {
    return readFileSync('/proc/self/mountinfo', 'utf8')
      .trim()
      .split('\n')
      .map((l) => l.split(' ')[4].replace(/\\040/g, ' '))
      .filter((m) => m.startsWith(`${this.dir}/`) || m === this.dir)
      .reverse();
  }

  private makeCgroup(hierarchy: string, path: string): void {
    const target = join(hierarchy, path);
    mkdirSync(target, { recursive: true });
    // cgroup v1 cpusets start empty, and a cgroup without CPUs or memory nodes takes no process.
    if (existsSync(join(target, 'cpuset.cpus'))) {
      for (const f of ['cpuset.cpus', 'cpuset.mems'])
        if (!readFileSync(join(target, f), 'utf8').trim()) writeFileSync(join(target, f), readFileSync(join(target, '..', f), 'utf8'));
    }
  }

  /** The node's cgroup folders in one hierarchy, deepest first. */
  private cgroupDirs(hierarchy: string): string[] {
    // A kubelet still alive (when the guard restores) may remove its cgroups meanwhile.
    const walk = (d: string): string[] => [
      ...orEmpty(() => readdirSync(d, { withFileTypes: true }))
        .filter((e) => e.isDirectory())
        .flatMap((e) => walk(join(d, e.name))),
      d,
    ];
    const root = join(hierarchy, this.cgroup);
    return existsSync(root) ? walk(root) : [];
  }

  /** Freezes the tree (so nothing in it forks meanwhile), SIGKILLs every PID in it, and thaws it. */
  private killTree(): void {
    const state = this.hierarchies.map((h) => join(h, this.cgroup, 'freezer.state')).find((f) => existsSync(f));
    const frozen = state !== undefined;
    if (frozen) {
      writeFileSync(state, 'FROZEN');
      for (let i = 0; i < 50 && readFileSync(state, 'utf8').trim() !== 'FROZEN'; i++) sleepSync(20);
    }
    for (const pid of this.processes()) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    if (frozen) writeFileSync(state, 'THAWED');
    for (let i = 0; i < 100 && this.processes().length > 0; i++) sleepSync(50);
  }

  private unmountAll(): string[] {
    for (const m of this.mountsUnderDir()) {
      try {
        execFileSync('umount', [m], { stdio: 'pipe' });
      } catch {
        // busy (a process that still holds it is on its way out): detach it now, it goes when released
        execFileSync('umount', ['--lazy', m], { stdio: 'pipe' });
      }
    }
    return this.mountsUnderDir().map((m) => `still mounted: ${m}`);
  }

  private removeCgroups(): string[] {
    const problems: string[] = [];
    for (const h of this.hierarchies) {
      for (const d of this.cgroupDirs(h)) {
        let removed = false;
        // A cgroup can be removed only once its last process has fully exited.
        for (let i = 0; i < 50 && !removed; i++) {
          try {
            rmdirSync(d);
            removed = true;
          } catch {
            removed = !existsSync(d);
            if (!removed) sleepSync(50);
          }
        }
        if (!removed) problems.push(`cgroup still there: ${d}`);
      }
    }
    return problems;
  }
}

/** Every path below a folder, parents before children. */
function entries(d: string): string[] {
  return readdirSync(d).flatMap((e) => {
    const p = join(d, e);
    return lstatSync(p).isDirectory() ? [p, ...entries(p)] : [p];
  });
}

/** The list `read` returns, or none when what it reads has gone. */
function orEmpty<T>(read: () => T[]): T[] {
  try {
    return read();
  } catch {
    return [];
  }
}
