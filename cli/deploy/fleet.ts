/**
 * Previews or deploys several stacks at once, each in a child process of its own (cli/deploy/fleet-worker.ts): the
 * Automation API runs one inline program per Node process (pulumi/pulumi#5449), and an inline program needs no
 * Node language host. A failed stack does not stop the others; every stack's engine output goes to a log file.
 */
import { fork } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { mapAtMost } from '../support/map-at-most';

export type FleetOperation = 'preview' | 'up';

/** What the parent asks of a worker. */
export interface FleetJob {
  readonly stack: string;
  readonly operation: FleetOperation;
  /** The Pulumi project folder: Pulumi.yaml, Pulumi.<stack>.yaml. */
  readonly workDir: string;
  /** Module whose default export is the program (a Pulumi inline program). */
  readonly program: string;
  readonly policyPacks: readonly string[];
}

/** What a worker reports, as IPC messages. */
export type WorkerMessage =
  | { readonly type: 'step'; readonly op: string; readonly urn: string }
  | { readonly type: 'done'; readonly urn: string }
  | { readonly type: 'result'; readonly changes: Readonly<Record<string, number>> }
  | { readonly type: 'error'; readonly message: string };

export interface StackProgress {
  readonly stack: string;
  readonly state: 'waiting' | 'running' | 'succeeded' | 'failed';
  /** Resource steps the engine has finished. */
  readonly done: number;
  /** The last step begun: `<op> <resource name>`. */
  readonly current?: string;
}

export interface StackResult {
  readonly stack: string;
  readonly operation: FleetOperation;
  readonly succeeded: boolean;
  readonly seconds: number;
  /** Steps by operation (`create`, `update`, `delete`, `replace`, `same`), as the engine counted them. */
  readonly changes: Readonly<Record<string, number>>;
  /** Why it failed: the engine's last error message. */
  readonly error?: string;
  /** The engine's full output. */
  readonly log: string;
}

export interface FleetOptions {
  readonly stacks: readonly string[];
  readonly operation: FleetOperation;
  readonly workDir: string;
  /** @default the product's stack program, stacks/program.ts */
  readonly program?: string;
  /** @default none */
  readonly policyPacks?: readonly string[];
  /** How many stacks run at once. @default 4 */
  readonly parallel?: number;
  /** Folder for one `<stack>.log` each; created, never emptied. */
  readonly logDir: string;
  /** Environment of the workers (and so of the Pulumi CLI). @default this process's */
  readonly env?: NodeJS.ProcessEnv;
  readonly onProgress?: (progress: StackProgress) => void;
}

export const DEFAULT_FLEET_PARALLEL = 4;
export const DEFAULT_FLEET_PROGRAM = resolve(__dirname, '..', '..', 'stacks', 'program.ts');

/** The stacks of a project folder: one per `Pulumi.<stack>.yaml`, sorted. */
export function projectStacks(workDir: string): string[] {
  if (!existsSync(join(workDir, 'Pulumi.yaml'))) throw new Error(`${workDir} is not a Pulumi project: it has no Pulumi.yaml`);
  return readdirSync(workDir)
    .map((file) => /^Pulumi\.(.+)\.ya?ml$/.exec(file)?.[1])
    .filter((stack): stack is string => stack !== undefined)
    .sort();
}

/** Runs the operation on every stack, `parallel` at a time; resolves with one result per stack, in order. */
export async function runFleet(options: FleetOptions): Promise<StackResult[]> {
  const parallel = options.parallel ?? DEFAULT_FLEET_PARALLEL;
  if (!Number.isInteger(parallel) || parallel < 1) throw new Error(`parallel must be a whole number of at least 1, not ${parallel}`);
  if (options.stacks.length === 0) throw new Error('no stack to run: name them, or run in a project folder with Pulumi.<stack>.yaml files');
  const duplicates = options.stacks.filter((s, i) => options.stacks.indexOf(s) !== i);
  if (duplicates.length > 0) throw new Error(`stacks named twice: ${[...new Set(duplicates)].join(', ')}`);
  mkdirSync(options.logDir, { recursive: true });
  for (const stack of options.stacks) options.onProgress?.({ stack, state: 'waiting', done: 0 });

  return mapAtMost(options.stacks, parallel, (stack) => runStack(stack, options));
}

function runStack(stack: string, options: FleetOptions): Promise<StackResult> {
  const job: FleetJob = {
    stack,
    operation: options.operation,
    workDir: resolve(options.workDir),
    program: resolve(options.program ?? DEFAULT_FLEET_PROGRAM),
    policyPacks: (options.policyPacks ?? []).map((p) => resolve(p)),
  };
  const log = join(options.logDir, `${stack}.log`);
  const fd = openSync(log, 'w');
  const started = Date.now();
  let done = 0;
  let changes: Record<string, number> | undefined;
  let error: string | undefined;
  const report = (state: StackProgress['state'], current?: string) => options.onProgress?.({ stack, state, done, current });
  report('running');
  return new Promise((settle) => {
    // tsx compiles the worker and the program as this process's loader does; the worker's own output goes to the log.
    const worker = fork(join(__dirname, 'fleet-worker.ts'), [], {
      execArgv: ['--import', pathToFileURL(require.resolve('tsx')).href],
      env: options.env ?? process.env,
      stdio: ['ignore', fd, fd, 'ipc'],
    });
    worker.on('message', (message: WorkerMessage) => {
      if (message.type === 'step') report('running', `${message.op} ${message.urn.split('::').pop()}`);
      else if (message.type === 'done') {
        done++;
        report('running');
      } else if (message.type === 'result') changes = { ...message.changes };
      else error = message.message;
    });
    worker.on('exit', (code, signal) => {
      closeSync(fd);
      const succeeded = code === 0 && changes !== undefined;
      if (!succeeded && error === undefined)
        error = `the worker ended with ${signal ? `signal ${signal}` : `exit code ${code}`}; see ${log}`;
      report(succeeded ? 'succeeded' : 'failed');
      settle({
        stack,
        operation: options.operation,
        succeeded,
        seconds: (Date.now() - started) / 1000,
        changes: changes ?? {},
        error,
        log,
      });
    });
    worker.send(job);
  });
}

/**
 * The engine's first error line, which names the failed resource, with the two lines after it (a provider's
 * first reasons), on one line of at most 400 characters: the summary table's cell. The log has the rest.
 */
export function errorSummary(message: string): string {
  // The engine's colour directives (<{%reset%}>) and terminal colours are for terminals, not for a table.
  const lines = message.replace(/<\{%[^%]*%\}>|\x1b\[[0-9;]*m/g, '').split('\n');
  const first = Math.max(
    0,
    lines.findIndex((l) => /error:/.test(l)),
  );
  const text = lines
    .slice(first, first + 3)
    .map((l) => l.trim())
    .filter(Boolean)
    .join(' ');
  return text.length > 400 ? `${text.slice(0, 399)}…` : text;
}
