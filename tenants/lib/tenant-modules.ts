/**
 * Imports TypeScript tenant modules (`teams/<tenant>.ts`). A module is code written by a tenant, so it is
 * treated as untrusted: imported in-process it could end `synth` "successfully" having written nothing, read
 * the deployer's environment or kubeconfig into a manifest, or rewrite `credentials.yaml`.
 *
 * Two steps. First one trusted child (tenant-module-bundler.ts) compiles every module with what it imports into
 * one script each; imports from outside the catalogue folder are refused there. Then each module runs in its
 * own sandbox process (tenant-module-sandbox.ts):
 *
 * - an empty environment: nothing of the parent's environment (tokens, kubeconfig paths) exists in it;
 * - Node's permission model: reads only inside the catalogue folder; no writes, processes, worker threads,
 *   native addons or inspector. A denied call throws ERR_ACCESS_DENIED, reported as what the module tried;
 * - a heap limit (`--max-old-space-size`) and a time limit, after which the process is killed;
 * - its working folder is the catalogue folder; its stdout and stderr are the parent's stderr.
 *
 * Why the result can be trusted though the module shares the sandbox process with the code that reports it:
 * nothing in that process can be, once the module has run. It can patch `JSON.stringify`, `fs.writeSync` or
 * any prototype the harness uses afterwards, and the permission model does not check writes to descriptors
 * that are already open, so it can write to the result descriptor itself. No framing, nonce or HMAC computed
 * in that process proves anything the module could not fake, so there is none. What the loader relies on:
 *
 * 1. One module per process. Whatever arrives on a process's result descriptor is attributed to that
 *    module's file only. Forging it gives a module nothing it could not get by exporting that value; it
 *    cannot reach another module's result (no shared file, no writes at all, a separate process each).
 * 2. The result is data from an untrusted source: size-limited, parsed as JSON (so plain data only) and
 *    validated by the tenant schema and the cross-file rules like a YAML tenant.
 * 3. It counts only if the process then exits with code 0 within the time limit; a module that exits, is
 *    killed, runs out of memory or hangs is an error naming its file, whatever it wrote.
 *
 * The result goes to fd 3, a pipe only this process reads, not stdout: a module's ordinary output
 * (console.log, a library's logging) then goes to stderr and cannot be mistaken for, or corrupt, a result.
 *
 * Node's documentation calls the permission model a seat belt against mistakes rather than a boundary
 * against malicious code, and Node 20's does not cover the network; docs/architecture.md, "TypeScript tenants
 * run in a sandbox", says what that means for deployments.
 */
import { spawnSync } from 'node:child_process';
import { extname, join, sep } from 'node:path';
import { realpathSync } from 'node:fs';
import type { BundleRequest, BundleResponse } from './tenant-module-bundler';
import type { SandboxRequest } from './tenant-module-sandbox';

/** What the sandbox reports for one module. */
export type ModuleResult = { readonly value: unknown; readonly error?: undefined } | { readonly value?: undefined; readonly error: string };

/** Limits of one sandboxed module; a module that reaches one is an error naming its file. */
export const MODULE_LIMITS = {
  /** How long one module may take to load; a module that never finishes importing is killed after this. */
  timeoutMs: 60_000,
  /** Its V8 heap, in MiB. */
  heapMiB: 256,
  /** Its result on the result descriptor, in bytes. */
  resultBytes: 16 * 1024 * 1024,
} as const;

const OWN = extname(__filename);
const BUNDLER = join(__dirname, `tenant-module-bundler${OWN}`);
const HARNESS = join(__dirname, `tenant-module-sandbox${OWN}`);
/** The product's tenant library (`defineTenant` and the types), which a module may import from anywhere. */
const LIBRARY = realpathSync(__dirname);

/** Node 20 has `--experimental-permission`; from 22.13 the model is stable as `--permission`. */
const PERMISSION_FLAG = process.allowedNodeEnvironmentFlags.has('--permission') ? '--permission' : '--experimental-permission';
/** The permission model announces itself on every start; `--disable-warning` exists from Node 20.11. */
const QUIET = process.allowedNodeEnvironmentFlags.has('--disable-warning') ? ['--disable-warning=ExperimentalWarning'] : [];

/** How long bundling all modules may take; esbuild takes milliseconds per module. */
const BUNDLE_TIMEOUT_MS = 120_000;

/**
 * Imports each module of the catalogue folder `root` in its own sandbox and returns, in the same order, its
 * default export as plain data or an error.
 */
export function loadTenantModules(root: string, files: readonly string[], timeoutMs: number = MODULE_LIMITS.timeoutMs): ModuleResult[] {
  const catalogue = realpathSync(root);
  const bundled = bundleModules(catalogue, files);
  if ('error' in bundled) return files.map(() => ({ error: bundled.error }));
  return files.map((file, i) => {
    const bundle = bundled.bundles[i];
    return bundle.error !== undefined
      ? { error: bundle.error }
      : runSandboxed(catalogue, bundled.harness, { file, code: bundle.code }, timeoutMs);
  });
}

function bundleModules(catalogue: string, files: readonly string[]): BundleResponse | { error: string } {
  const request: BundleRequest = { roots: [catalogue, LIBRARY], catalogueModule: join(LIBRARY, `define${OWN}`), files, harness: HARNESS };
  const child = spawnSync(process.execPath, ['--require', require.resolve('tsx/cjs'), BUNDLER], {
    input: JSON.stringify(request),
    // Trusted code, but it needs nothing of the environment either.
    env: {},
    stdio: ['pipe', 'pipe', 'pipe'],
    timeout: BUNDLE_TIMEOUT_MS,
    killSignal: 'SIGKILL',
    maxBuffer: 512 * 1024 * 1024,
  });
  if (child.status !== 0) {
    const why = child.error?.message ?? String(child.stderr).trim().split('\n').slice(-3).join(' ');
    return { error: `could not be compiled: the module compiler failed (${why})` };
  }
  return JSON.parse(String(child.stdout)) as BundleResponse;
}

function runSandboxed(catalogue: string, harness: string, request: SandboxRequest, timeoutMs: number): ModuleResult {
  const child = spawnSync(
    process.execPath,
    [
      PERMISSION_FLAG,
      // A trailing separator grants the folder's contents, and not a sibling whose name merely begins alike.
      `--allow-fs-read=${catalogue}${sep}`,
      `--max-old-space-size=${MODULE_LIMITS.heapMiB}`,
      ...QUIET,
      '-e',
      harness,
    ],
    {
      input: JSON.stringify(request),
      env: {},
      cwd: catalogue,
      // stdin: the request; stdout and stderr: collected and passed on to ours; fd 3: the result.
      stdio: ['pipe', 'pipe', 'pipe', 'pipe'],
      timeout: timeoutMs,
      killSignal: 'SIGKILL',
      maxBuffer: MODULE_LIMITS.resultBytes,
    },
  );
  // A module's own output is for its author; it goes to stderr, never to the synth's report on stdout.
  for (const output of [child.stdout, child.stderr]) if (output?.length) process.stderr.write(output);
  const ending = describeEnd(child, timeoutMs);
  if (ending) return { error: ending };
  // Exit code 0 with no result: the module called process.exit(0) before the harness could answer.
  if (!child.output[3]?.length)
    return { error: 'ended the process while loading (exited with code 0); a tenant module must only export its tenant, never exit' };
  return parseResult(child.output[3]);
}

function parseResult(raw: Buffer | string | null | undefined): ModuleResult {
  const refused: ModuleResult = {
    error: 'wrote something other than its result to the loader; a tenant module must only export its tenant',
  };
  let parsed: unknown;
  try {
    parsed = JSON.parse(String(raw ?? ''));
  } catch {
    return refused;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return refused;
  const result = parsed as Record<string, unknown>;
  const keys = Object.keys(result);
  if (keys.length === 1 && keys[0] === 'value') return { value: result.value };
  if (keys.length === 1 && keys[0] === 'error' && typeof result.error === 'string') return { error: result.error };
  return refused;
}

function describeEnd(child: ReturnType<typeof spawnSync>, timeoutMs: number): string | undefined {
  const code = (child.error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ETIMEDOUT') return `did not finish loading within ${timeoutMs / 1000} s; a tenant module must only export its tenant`;
  if (code === 'ENOBUFS')
    return `produced more than ${MODULE_LIMITS.resultBytes / 1024 / 1024} MiB of output; a tenant module must only export its tenant`;
  if (child.error) return `could not be loaded: ${child.error.message}`;
  if (/heap out of memory|Allocation failed/i.test(String(child.stderr))) {
    return `ran out of memory while loading (the limit is ${MODULE_LIMITS.heapMiB} MiB); a tenant module must only export its tenant`;
  }
  if (child.status === 0 && child.signal === null) return undefined;
  const how = child.signal ? `was killed by ${child.signal}` : `exited with code ${child.status}`;
  return `ended the process while loading (${how}); a tenant module must only export its tenant, never exit`;
}
