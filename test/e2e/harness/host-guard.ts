/**
 * A process that outlives the test process to put the host back when the test process dies without doing
 * it (a crash, SIGINT, SIGKILL, a jest worker torn down). Exit hooks cannot: jest gives test code a copy of
 * `process` whose 'exit' listeners never fire, and nothing runs after SIGKILL.
 *
 * `startHostGuard` starts it, detached; it polls the test process every half second. When the state file
 * is gone, the cluster was stopped normally and it just exits; when the test process is gone first, it
 * restores the host from the state file (host.ts) and removes the node's folder.
 *
 *   tsx host-guard.ts TEST_PID STATE_FILE
 */
import { spawn } from 'node:child_process';
import { existsSync, openSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { HostChanges } from './host';

/** Starts the guard for the current process. */
export function startHostGuard(stateFile: string): void {
  const tsx = join(__dirname, '..', '..', '..', 'node_modules', '.bin', 'tsx');
  const log = openSync(join(dirname(stateFile), 'host-guard.log'), 'a');
  // Its own process group: a Ctrl-C in the terminal must not take it down with the test process.
  const guard = spawn(tsx, [__filename, String(process.pid), stateFile], { detached: true, stdio: ['ignore', log, log] });
  guard.unref();
  if (!guard.pid) throw new Error('the host guard did not start');
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function watch(testPid: number, stateFile: string): void {
  const timer = setInterval(() => {
    if (!existsSync(stateFile)) {
      clearInterval(timer);
      return;
    }
    if (alive(testPid)) return;
    clearInterval(timer);
    console.error(`test process ${testPid} is gone: restoring the host`);
    const problems = HostChanges.load(stateFile).restore();
    for (const p of problems) console.error(p);
    if (problems.length === 0 && !process.env.CSS_E2E_KEEP) rmSync(dirname(stateFile), { recursive: true, force: true });
  }, 500);
}

if (require.main === module) watch(Number(process.argv[2]), process.argv[3]);
