/**
 * Imports TypeScript tenant modules (`teams/<tenant>.ts`) outside the process that validates and synthesizes.
 * A module is code: imported in-process it could call `process.exit(0)` and make `synth` end "successfully"
 * having written nothing, so that a CI gate passes. Here a child process imports the modules one by one and
 * hands back plain data; a module that throws, exits, kills its process, hangs or exports the wrong shape
 * becomes an error naming its file, and the remaining modules are imported by a fresh child.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';

/** What the child reports for one module. */
export type ModuleResult = { readonly value: unknown; readonly error?: undefined } | { readonly value?: undefined; readonly error: string };

/** How long one child may take; a module that never finishes importing is reported after this. */
export const MODULE_LOAD_TIMEOUT_MS = 60_000;

const CHILD = join(__dirname, `tenant-module-child${extname(__filename)}`);

/** Imports each module and returns, in the same order, its default export as plain data or an error. */
export function loadTenantModules(files: readonly string[], timeoutMs: number = MODULE_LOAD_TIMEOUT_MS): ModuleResult[] {
  const results: ModuleResult[] = [];
  const scratch = mkdtempSync(join(tmpdir(), 'css-tenant-modules-'));
  try {
    for (let attempt = 0; results.length < files.length; attempt++) {
      const resultsFile = join(scratch, `results-${attempt}.jsonl`);
      const pending = files.slice(results.length);
      const child = spawnSync(process.execPath, ['--require', require.resolve('tsx/cjs'), CHILD, resultsFile, ...pending], {
        // A module's own output goes to stderr, so nothing it prints can pass for the synth's report.
        stdio: ['ignore', 2, 2],
        timeout: timeoutMs,
        killSignal: 'SIGKILL',
      });
      const reported = readResults(resultsFile);
      results.push(...reported.slice(0, pending.length));
      if (results.length < files.length) {
        // The module after the last reported one is the one that ended or stalled the child.
        results.push({ error: describeEnd(child, timeoutMs) });
      }
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return results;
}

function readResults(file: string): ModuleResult[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as ModuleResult);
}

function describeEnd(child: ReturnType<typeof spawnSync>, timeoutMs: number): string {
  if (child.error && (child.error as NodeJS.ErrnoException).code === 'ETIMEDOUT') {
    return `did not finish loading within ${timeoutMs / 1000} s; a tenant module must only export its tenant`;
  }
  if (child.error) return `could not be loaded: ${child.error.message}`;
  const how = child.signal ? `was killed by ${child.signal}` : `exited with code ${child.status}`;
  return `ended the process while loading (${how}); a tenant module must only export its tenant, never exit`;
}
