/**
 * `central-secret-store fleet preview|up`: previews or deploys several clusters' stacks from one command, a few
 * at a time, with a line of progress per stack and a summary table at the end (see cli/deploy/fleet.ts).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MultiBar, Presets, type SingleBar } from 'cli-progress';
import { Argument, Command, Option } from 'commander';
import { EXIT } from '../support/exit-codes';
import {
  DEFAULT_FLEET_PARALLEL,
  DEFAULT_FLEET_PROGRAM,
  type FleetOperation,
  projectStacks,
  runFleet,
  type StackProgress,
  type StackResult,
} from '../deploy/fleet';
import { countOfAtLeastOne, jsonOption } from '../support/options';

interface FleetCommandOptions {
  readonly stack?: string[];
  readonly cwd: string;
  readonly program: string;
  readonly parallel: number;
  readonly policyPack: string[];
  readonly logDir?: string;
  readonly json: boolean;
}

export function fleetCommand(): Command {
  return new Command('fleet')
    .description("Preview or deploy several clusters' stacks at once, each in a process of its own, with progress and a summary")
    .addArgument(new Argument('<operation>', 'what to run on every stack').choices(['preview', 'up']))
    .addOption(
      new Option('-s, --stack <name...>', 'stacks to run, in this order').default(
        undefined,
        'every Pulumi.<stack>.yaml of the project folder',
      ),
    )
    .addOption(new Option('-C, --cwd <dir>', 'the Pulumi project folder (Pulumi.yaml)').default('.'))
    .addOption(
      new Option('--program <module>', 'module whose default export is the Pulumi program').default(
        DEFAULT_FLEET_PROGRAM,
        "the product's stacks/program.ts",
      ),
    )
    .addOption(new Option('-p, --parallel <n>', 'stacks running at once').default(DEFAULT_FLEET_PARALLEL).argParser(countOfAtLeastOne))
    .addOption(new Option('--policy-pack <dir...>', 'policy packs every stack runs with (stacks/policy)').default([]))
    .addOption(
      new Option('--log-dir <dir>', "folder for each stack's engine output, <stack>.log").default(
        undefined,
        'a new folder under the system temporary folder',
      ),
    )
    .addOption(jsonOption('print the results as JSON on stdout'))
    .addHelpText('after', '\nExits 1 if any stack failed; the others run to the end.')
    .action(async (operation: FleetOperation, options: FleetCommandOptions) => {
      const stacks = options.stack ?? projectStacks(options.cwd);
      const logDir = options.logDir ?? mkdtempSync(join(tmpdir(), 'css-fleet-'));
      const display = progressDisplay(stacks);
      const results = await runFleet({
        stacks,
        operation,
        workDir: options.cwd,
        program: options.program,
        parallel: options.parallel,
        policyPacks: options.policyPack,
        logDir,
        onProgress: display.update,
      }).finally(display.stop);
      if (options.json) console.log(JSON.stringify({ operation, logDir, results }, null, 2));
      else console.log(`${summaryTable(results)}\nengine output of each stack: ${logDir}`);
      if (results.some((r) => !r.succeeded)) process.exitCode = EXIT.error;
    });
}

const STEP_KINDS = ['create', 'update', 'replace', 'delete', 'same'] as const;

/** One row per stack: its result, time and steps by kind, and why it failed. */
export function summaryTable(results: readonly StackResult[]): string {
  const rows = [
    ['stack', 'result', 'seconds', ...STEP_KINDS, 'error'],
    ...results.map((r) => [
      r.stack,
      r.succeeded ? 'succeeded' : 'FAILED',
      r.seconds.toFixed(1),
      ...STEP_KINDS.map((k) => String(r.changes[k] ?? 0)),
      r.error ?? '',
    ]),
  ];
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  return rows
    .map((row) =>
      row
        .map((cell, column) => cell.padEnd(widths[column]))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** A line per stack on a terminal (cli-progress, on stderr); otherwise a plain line each time a stack's state changes. */
function progressDisplay(stacks: readonly string[]): { update: (p: StackProgress) => void; stop: () => void } {
  if (!process.stderr.isTTY) {
    const last = new Map<string, StackProgress['state']>();
    return {
      update: (p) => {
        if (last.get(p.stack) === p.state) return;
        last.set(p.stack, p.state);
        console.error(`${p.stack}: ${p.state}${p.state === 'succeeded' || p.state === 'failed' ? ` after ${p.done} steps` : ''}`);
      },
      stop: () => undefined,
    };
  }
  const width = Math.max(...stacks.map((s) => s.length));
  const multi = new MultiBar(
    { stream: process.stderr, format: '{stack} {state} {value} steps done {current}', hideCursor: true, clearOnComplete: false },
    Presets.shades_classic,
  );
  const bars = new Map<string, SingleBar>(
    stacks.map((s) => [s, multi.create(0, 0, { stack: s.padEnd(width), state: 'waiting'.padEnd(9), current: '' })]),
  );
  return {
    update: (p) => bars.get(p.stack)?.update(p.done, { state: p.state.padEnd(9), current: p.current ?? '' }),
    stop: () => multi.stop(),
  };
}
