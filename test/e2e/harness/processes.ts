/**
 * The processes one harness started: each logs to `<dir>/<name>.log`, is waited for by name, is stopped by
 * its own PID, newest first, and dies with the test process; nothing is ever looked up or killed by name.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { finished } from 'node:stream/promises';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Where freePort looks: below the kernel's ephemeral range (ip_local_port_range, 32768 and up by default), so
 * that no outgoing connection of the cluster's can take a port between its being handed out and the server
 * binding it (etcd exits 1 on "address already in use"), and above the control plane's well-known ports
 * (10250 and the like).
 */
const PORT_RANGE = { first: 15000, last: 29999 } as const;
const handedOut = new Set<number>();

/**
 * A TCP port free on 127.0.0.1 at the time of the call, never handed out before in this process, outside
 * the range the kernel picks outgoing connections' ports from.
 *
 * @param consecutive how many ports, from the one returned on, are free and handed out together (for a
 * server that also listens on the next port)
 */
export async function freePort(consecutive = 1): Promise<number> {
  const starts = PORT_RANGE.last - PORT_RANGE.first + 2 - consecutive;
  for (let attempt = 0; attempt < starts; attempt += 1) {
    const first = PORT_RANGE.first + Math.floor(Math.random() * starts);
    const ports = Array.from({ length: consecutive }, (_, i) => first + i);
    if (ports.some((port) => handedOut.has(port))) continue;
    for (const port of ports) handedOut.add(port);
    if ((await Promise.all(ports.map(bindable))).every(Boolean)) return first;
  }
  throw new Error(`no ${consecutive} free consecutive port(s) left in ${PORT_RANGE.first}-${PORT_RANGE.last} on 127.0.0.1`);
}

function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** Whether something accepts TCP connections on 127.0.0.1:port. */
export function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export class Processes {
  private readonly children: { name: string; child: ChildProcess; logged: Promise<void> }[] = [];

  /**
   * @param logDir where each process logs
   * @param adopt called with each new process's PID (the node puts them all in its cgroup tree)
   */
  constructor(
    private readonly logDir: string,
    private readonly adopt?: (pid: number) => void,
  ) {}

  /**
   * @param env added to the test process's environment; a variable set to undefined is removed
   * @param redact rewrites each line before it reaches the log, for programs that print a secret
   */
  launch(
    name: string,
    binary: string,
    args: readonly string[],
    env: NodeJS.ProcessEnv = {},
    redact?: (line: string) => string,
  ): ChildProcess {
    const log = createWriteStream(join(this.logDir, `${name}.log`));
    // setpriv execs the program in place (same PID) with a parent-death signal: if the test process dies
    // without stopping it (SIGKILL, a crash), the kernel kills it too.
    const child = spawn('setpriv', ['--pdeathsig', 'KILL', '--', binary, ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // Both outputs write to one log, which ends once both have ended (pipe's own end would close it at the
    // first); an exit error waits for the log to be complete.
    const ends: Promise<void>[] = [];
    for (const output of [child.stdout, child.stderr]) {
      if (!output) continue;
      const lines = redact ? output.setEncoding('utf8').pipe(redactingLines(redact)) : output;
      lines.pipe(log, { end: false });
      ends.push(finished(lines));
    }
    const logged = Promise.allSettled(ends).then(() => new Promise<void>((resolve) => log.end(resolve)));
    this.children.push({ name, child, logged });
    if (child.pid && this.adopt) this.adopt(child.pid);
    return child;
  }

  /** PIDs of the processes still running. */
  get pids(): number[] {
    return this.children.filter(({ child }) => running(child) && child.pid).map(({ child }) => child.pid!);
  }

  /** The last lines a process logged, for error messages. */
  tail(name: string, lines = 30): string {
    try {
      return readFileSync(join(this.logDir, `${name}.log`), 'utf8')
        .split('\n')
        .slice(-lines)
        .join('\n');
    } catch {
      return '(no log)';
    }
  }

  /** Waits until `ready` answers true, and fails early, with the process's log, when the process exits. */
  async waitFor(name: string, ready: () => Promise<boolean>, seconds = 30): Promise<void> {
    const deadline = Date.now() + seconds * 1000;
    while (Date.now() < deadline) {
      const proc = this.children.find((p) => p.name === name);
      if (proc && !running(proc.child)) {
        await Promise.race([proc.logged, sleep(2000)]);
        throw new Error(`${name} exited (${proc.child.exitCode ?? proc.child.signalCode}); last log lines:\n${this.tail(name)}`);
      }
      try {
        if (await ready()) return;
      } catch {
        // not up yet
      }
      await sleep(250);
    }
    throw new Error(`${name} did not become ready within ${seconds}s; last log lines:\n${this.tail(name)}`);
  }

  /** SIGTERM to every process, newest first, then SIGKILL to those still running after `seconds`. */
  async stopAll(seconds = 10): Promise<void> {
    await stopChildren(
      [...this.children].reverse().map((p) => p.child),
      seconds,
    );
  }

  /** Stops one process this harness launched, as stopAll does, before the others. */
  async stop(child: ChildProcess, seconds = 10): Promise<void> {
    await stopChildren([child], seconds);
  }
}

async function stopChildren(children: readonly ChildProcess[], seconds: number): Promise<void> {
  for (const child of children) if (running(child)) child.kill('SIGTERM');
  const deadline = Date.now() + seconds * 1000;
  while (children.some(running) && Date.now() < deadline) await sleep(100);
  for (const child of children) if (running(child)) child.kill('SIGKILL');
}

const running = (child: ChildProcess) => child.exitCode === null && child.signalCode === null;

/** Applies `redact` to whole lines only, so a secret split across two reads is still caught. */
function redactingLines(redact: (line: string) => string): Transform {
  let partial = '';
  return new Transform({
    decodeStrings: false,
    transform(chunk: string, _encoding, done) {
      const lines = (partial + chunk).split('\n');
      partial = lines.pop() ?? '';
      done(null, lines.map((line) => `${redact(line)}\n`).join(''));
    },
    flush(done) {
      done(null, partial && redact(partial));
    },
  });
}

/** A process's command name and resident memory in MiB, or undefined once it has exited (zombies included). */
export function residentMemory(pid: number): { name: string; mib: number } | undefined {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return undefined;
  }
  const field = (key: string) => status.match(new RegExp(`^${key}:\\s*(.*)$`, 'm'))?.[1] ?? '';
  return field('State').startsWith('Z') ? undefined : { name: field('Name'), mib: Number.parseInt(field('VmRSS'), 10) / 1024 };
}
