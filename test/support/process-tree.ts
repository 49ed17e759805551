/**
 * The processes running below one process, read from /proc. The end-to-end run fails on any a test left
 * running (test/e2e/teardown.js); the Pulumi benchmark samples the memory of the engine's.
 */
import { readdirSync, readFileSync } from 'node:fs';

export interface DescendantProcess {
  readonly pid: number;
  /** The command line as /proc gives it: the arguments, each followed by a NUL. */
  readonly cmdline: string;
}

/** Every process whose chain of parents leads to `root`, children and their children alike. */
export function descendantsOf(root: number): DescendantProcess[] {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // The command name in parentheses may hold spaces: the parent PID is the second field after it.
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // gone meanwhile
    }
  }
  const below = (pid: number): boolean => {
    for (let p = parents.get(pid); p !== undefined && p > 1; p = parents.get(p)) if (p === root) return true;
    return false;
  };
  return [...parents.keys()].filter(below).flatMap((pid) => {
    try {
      return [{ pid, cmdline: readFileSync(`/proc/${pid}/cmdline`, 'utf8') }];
    } catch {
      return []; // gone meanwhile
    }
  });
}
