/**
 * Runs in a child process started by tenant-modules.ts: imports each tenant module named on the command line
 * and appends one JSON line per module to the results file, before the next module is imported. Whatever a
 * module does at import (throw, exit, kill the process, never return) then costs only that module's result.
 *
 *   node --require tsx/cjs tenant-module-child.ts <results file> <module>...
 */
import { appendFileSync } from 'node:fs';
import type { ModuleResult } from './tenant-modules';

const [resultsFile, ...modules] = process.argv.slice(2);

/** The value as JSON data, or an error naming the first part that is not plain data. */
function plainData(value: unknown, path: string, seen: Set<object>): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`${path} is ${value}, which is not a number the catalogue can hold`);
    return value;
  }
  if (typeof value !== 'object') throw new Error(`${path} is a ${typeof value}; a tenant module must export plain data`);
  if (seen.has(value)) throw new Error(`${path} refers back to itself; a tenant module must export plain data`);
  seen.add(value);
  try {
    if (Array.isArray(value)) return value.map((item, i) => plainData(item, `${path}[${i}]`, seen));
    const prototype = Object.getPrototypeOf(value);
    if (prototype !== Object.prototype && prototype !== null) {
      const kind = (value as object).constructor?.name ?? 'object';
      throw new Error(`${path} is a ${kind}; a tenant module must export plain data${kind === 'Date' ? ' (write timestamps as ISO 8601 strings)' : ''}`);
    }
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, plainData(v, `${path}.${k}`, seen)]),
    );
  } finally {
    seen.delete(value);
  }
}

function load(file: string): ModuleResult {
  let mod: Record<string, unknown>;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    mod = require(file);
  } catch (error) {
    return { error: `cannot load module: ${String((error as Error)?.message ?? error).split('\n')[0]}` };
  }
  if (mod === null || typeof mod !== 'object' || !('default' in mod)) {
    return { error: 'has no default export; write `export default defineTenant({ ... })`' };
  }
  try {
    return { value: plainData(mod.default, 'default export', new Set()) };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

for (const file of modules) {
  // Written synchronously, so the result is on disk even if the next module ends the process.
  appendFileSync(resultsFile, `${JSON.stringify(load(file))}\n`);
}
// Timers or sockets a module left behind must not keep the loader alive.
process.exit(0);
