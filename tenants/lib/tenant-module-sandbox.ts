'use strict'; // Strict frames hide their functions and `this` from stack-trace hooks a module might install.
/**
 * Runs inside the sandbox process started by tenant-modules.ts, one process per tenant module: takes the
 * module's bundled code on stdin, runs it, and writes its default export as plain data (or an error) to fd 3.
 * The process itself is confined by Node's permission model (reads only inside the catalogue folder; no writes,
 * processes, workers, addons or inspector), an empty environment, a heap limit and a time limit; this file
 * adds what the permission model does not cover: the environment and the clock read as errors, and only
 * side-effect-free built-in modules may be required (no network, no host details from `os`).
 *
 * Everything here that runs after the module's code can be tampered with by the module (it shares this
 * realm), so nothing in this file is what the loader trusts; see tenant-modules.ts for what it does trust.
 * Bundled by esbuild (with the little it imports) and run with `node -e`.
 */
import { readFileSync, writeSync } from 'node:fs';
import { resolve } from 'node:path';
import { compileFunction } from 'node:vm';
import { allowedBuiltin, builtinRefusal } from './tenant-module-builtins';
import type { ModuleResult } from './tenant-modules';

/** What the parent sends on stdin. */
export interface SandboxRequest {
  /** The module's file, for its stack traces, `__filename` and relative reads. */
  readonly file: string;
  /** The module bundled into one CommonJS script by tenant-module-bundler.ts. */
  readonly code: string;
}

/** The fd the parent reads the result from; the module's stdout and stderr are the parent's stderr. */
const RESULT_FD = 3;

/** The first rule the module broke, kept even if the module caught the error it got. */
let violation: string | undefined;

class SandboxViolation extends Error {}

function refuse(what: string): never {
  violation ??= what;
  throw new SandboxViolation(what);
}

const OUTPUT_RULE = "a tenant module's output must depend on the catalogue alone";

/**
 * An environment that refuses the module's reads. The process was started with an empty environment, so a
 * module can never see the parent's variables; this only makes trying an error instead of a silent
 * `undefined`. Node reads its own settings from the environment lazily (FORCE_COLOR when console output is
 * first written, NODE_DEBUG); such reads, whose caller is Node's own code, get `undefined` like any other.
 * A module that fakes its stack to look like Node's gets the same `undefined`: nothing.
 */
function lockEnvironment(): void {
  const environment = `${OUTPUT_RULE}, not on the environment it is loaded in`;
  const readByNode = () => {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 4;
    const stack = String(new Error().stack ?? '');
    Error.stackTraceLimit = limit;
    // [0] the message, [1] readByNode, [2] the trap, [3] whoever read process.env.
    const caller = stack.split('\n')[3] ?? '';
    return /^\s+at (?:.* \()?node:/.test(caller);
  };
  const env = new Proxy(Object.freeze({}), {
    get: (_, key) => (typeof key !== 'string' || readByNode() ? undefined : refuse(`read process.env.${key}: ${environment}`)),
    has: (_, key) => (readByNode() ? false : refuse(`read process.env.${String(key)}: ${environment}`)),
    ownKeys: () => (readByNode() ? [] : refuse(`listed process.env: ${environment}`)),
  });
  Object.defineProperty(process, 'env', { value: env, writable: false, configurable: false });
}

/** `new Date()` and `Date.now()` refused: a plan would otherwise differ from the synth that follows it. */
function lockClock(): void {
  const RealDate = Date;
  const clock = `read the current time: ${OUTPUT_RULE}, not on when it is loaded; write timestamps as ISO 8601 strings`;
  function LockedDate(this: unknown, ...args: unknown[]): Date | string {
    if (!new.target) return refuse(clock);
    if (args.length === 0) return refuse(clock);
    return Reflect.construct(RealDate, args, new.target) as Date;
  }
  Object.setPrototypeOf(LockedDate, RealDate);
  LockedDate.prototype = RealDate.prototype;
  Object.defineProperty(LockedDate, 'now', { value: () => refuse(clock) });
  Object.defineProperty(globalThis, 'Date', { value: LockedDate, writable: false, configurable: false });
}

/** Removes what reaches past the rules: network globals, `node -e`'s own `require`, Node's built-in lookup. */
function removeEscapes(): void {
  for (const name of [
    'fetch',
    'Request',
    'Response',
    'Headers',
    'FormData',
    'WebSocket',
    'EventSource',
    'require',
    'module',
    'exports',
    '__filename',
    '__dirname',
  ]) {
    delete (globalThis as Record<string, unknown>)[name];
  }
  for (const name of ['mainModule', 'getBuiltinModule', 'binding', '_linkedBinding', 'dlopen']) {
    Object.defineProperty(process, name, { value: undefined, writable: false, configurable: false });
  }
}

/**
 * Signals only to itself: the permission model does not cover signals, and `process.kill(process.ppid)` would
 * end the synth that loads the module (or any other process of the same user).
 */
function lockSignals(): void {
  const kill = process.kill.bind(process);
  const own = process.pid;
  const locked = (pid: number, signal?: string | number) =>
    Number(pid) === own
      ? kill(own, signal)
      : refuse(`tried to send a signal to process ${pid}: a tenant module may not signal other processes`);
  Object.defineProperty(process, 'kill', { value: locked, writable: false, configurable: false });
}

function restrictedRequire(realRequire: NodeJS.Require): (id: string) => unknown {
  return (id: string) => {
    const name = allowedBuiltin(String(id));
    return name ? realRequire(`node:${name}`) : refuse(builtinRefusal(String(id)));
  };
}

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
      throw new Error(
        `${path} is a ${kind}; a tenant module must export plain data${value instanceof Date ? ' (write timestamps as ISO 8601 strings)' : ''}`,
      );
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

/** Node's ERR_ACCESS_DENIED as the rule the module broke; a relative path is shown from the catalogue folder. */
function describeDenied(error: { permission?: string; resource?: string }): string {
  const path = error.resource ? resolve(error.resource) : 'a file';
  switch (error.permission) {
    case 'FileSystemRead':
      return `tried to read ${path}: a tenant module may only read files inside the catalogue folder`;
    case 'FileSystemWrite':
      return `tried to write ${path}: a tenant module may not write files`;
    case 'ChildProcess':
      return 'tried to start a process: a tenant module may not start processes';
    case 'WorkerThreads':
      return 'tried to start a worker thread: a tenant module may not start threads';
    case 'Inspector':
      return 'tried to open the inspector: a tenant module may not debug its loader';
    default:
      return `tried to use ${error.resource || error.permission || 'a denied API'}: a tenant module may only compute its tenant from the catalogue`;
  }
}

function run(request: SandboxRequest, realRequire: NodeJS.Require): ModuleResult {
  const module = { exports: {} as Record<string, unknown> };
  try {
    // No importModuleDynamically: `import()` fails instead of loading what `require` refuses.
    const body = compileFunction(request.code, ['exports', 'require', 'module', '__filename', '__dirname'], { filename: request.file });
    body(module.exports, restrictedRequire(realRequire), module, request.file, request.file.replace(/\/[^/]*$/, ''));
  } catch (error) {
    if (violation) return { error: violation };
    const e = error as { code?: string; message?: string };
    if (e?.code === 'ERR_ACCESS_DENIED') return { error: describeDenied(error as object) };
    return { error: `cannot load module: ${String(e?.message ?? error).split('\n')[0]}` };
  }
  if (violation) return { error: violation };
  const mod = module.exports;
  if (mod === null || typeof mod !== 'object' || !('default' in mod)) {
    return { error: 'has no default export; write `export default defineTenant({ ... })`' };
  }
  try {
    const value = plainData(mod.default, 'default export', new Set());
    return violation ? { error: violation } : { value };
  } catch (error) {
    return { error: violation ?? (error as Error).message };
  }
}

function main(): void {
  // Read before the module runs; stdin is then at its end, so the module can read nothing more from it.
  const request = JSON.parse(readFileSync(0, 'utf8')) as SandboxRequest;
  const realRequire = require;
  // Created now, while nothing is locked: Node sets up the streams of console output lazily.
  void [process.stdout, process.stderr];
  lockEnvironment();
  lockClock();
  lockSignals();
  removeEscapes();
  const result = run(request, realRequire);
  writeSync(RESULT_FD, JSON.stringify(result));
  // Timers or sockets a module left behind must not keep the process alive.
  process.exit(0);
}

main();
