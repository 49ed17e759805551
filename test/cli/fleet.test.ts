/**
 * The fleet runner without the engine: which stacks a project folder holds, arguments refused before anything
 * starts, a stack whose worker fails reported as failed with its reason and log while the others run, and the
 * summary table. The engine itself runs in test/e2e/fleet.e2e.test.ts.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { summaryTable } from '../../cli/commands/fleet';
import { errorSummary, projectStacks, runFleet, type StackProgress } from '../../cli/deploy/fleet';
import { tempDir } from '../support/temp-dir';

const BIN = join(__dirname, '..', '..', 'cli', 'bin.js');

function project(...stacks: string[]): string {
  const dir = tempDir('css-fleet-');
  writeFileSync(join(dir, 'Pulumi.yaml'), 'name: fleet-test\nruntime: nodejs\n');
  for (const stack of stacks) writeFileSync(join(dir, `Pulumi.${stack}.yaml`), 'config: {}\n');
  writeFileSync(join(dir, 'README.md'), 'not a stack\n');
  return dir;
}

test('a project folder holds one stack per Pulumi.<stack>.yaml, sorted', () => {
  expect(projectStacks(project('prod-b', 'prod-a', 'staging'))).toEqual(['prod-a', 'prod-b', 'staging']);
});

test('a folder without Pulumi.yaml is refused with what it lacks', () => {
  expect(() => projectStacks(tempDir('css-fleet-'))).toThrow(/is not a Pulumi project: it has no Pulumi.yaml/);
});

test.each([
  [{ parallel: 0 }, /parallel must be a whole number of at least 1, not 0/],
  [{ parallel: 1.5 }, /parallel must be a whole number of at least 1, not 1.5/],
  [{ stacks: [] }, /no stack to run/],
  [{ stacks: ['a', 'b', 'a'] }, /stacks named twice: a/],
])('%j is refused before any stack starts', async (change, message) => {
  const dir = project('a');
  const progress: StackProgress[] = [];
  await expect(
    runFleet({
      stacks: ['a'],
      operation: 'preview',
      workDir: dir,
      logDir: join(dir, 'logs'),
      onProgress: (p) => progress.push(p),
      ...change,
    }),
  ).rejects.toThrow(message);
  expect(progress).toEqual([]);
});

test('the command line refuses a parallelism that is not a whole number', () => {
  const run = spawnSync(process.execPath, [BIN, 'fleet', 'up', '--parallel', 'many'], { encoding: 'utf8' });
  expect(run.status).toBe(1);
  expect(run.stderr).toContain('"many" is not a whole number of at least 1');
});

test('a stack whose program cannot load fails alone, with its reason and its log; the others still run', async () => {
  const dir = project('one', 'two', 'three');
  const progress: StackProgress[] = [];
  const results = await runFleet({
    stacks: projectStacks(dir),
    operation: 'preview',
    workDir: dir,
    program: join(dir, 'no-such-program.ts'),
    parallel: 2,
    logDir: join(dir, 'logs'),
    onProgress: (p) => progress.push(p),
  });
  expect(results.map((r) => [r.stack, r.succeeded])).toEqual([
    ['one', false],
    ['three', false],
    ['two', false],
  ]);
  for (const result of results) {
    expect(result.error).toContain('no-such-program.ts');
    expect(result.log).toBe(join(dir, 'logs', `${result.stack}.log`));
    expect(readFileSync(result.log, 'utf8')).toContain('no-such-program.ts');
  }
  // Every stack waited, ran and ended: none was skipped because another failed.
  for (const stack of ['one', 'two', 'three'])
    expect(progress.filter((p) => p.stack === stack).map((p) => p.state)).toEqual(['waiting', 'running', 'failed']);
}, 60_000);

test('the summary table gives each stack its result, time and steps by kind, and the reason of a failure', () => {
  const table = summaryTable([
    {
      stack: 'aks-weu-prod',
      operation: 'up',
      succeeded: true,
      seconds: 12.34,
      changes: { create: 3, same: 40 },
      log: '/logs/aks-weu-prod.log',
    },
    {
      stack: 'edge-k3s-ams-01',
      operation: 'up',
      succeeded: false,
      seconds: 2,
      changes: {},
      error: 'error: connect ECONNREFUSED',
      log: '/logs/edge.log',
    },
  ]);
  expect(table.split('\n')).toEqual([
    'stack            result     seconds  create  update  replace  delete  same  error',
    'aks-weu-prod     succeeded  12.3     3       0       0        0       40',
    'edge-k3s-ams-01  FAILED     2.0      0       0       0        0       0     error: connect ECONNREFUSED',
  ]);
});

test("a failed stack's summary is the engine's error line and the reasons after it, on one line", () => {
  const message = [
    'Command failed with exit code 255: pulumi up --yes',
    'Updating (cluster-9):',
    '+  pulumi-nodejs:dynamic/central-secret-store:ManifestSet plane-cluster.scoped creating (0s) error: 22 of 22 requests failed:',
    '  apply Namespace tenant-0-ns-0: connect ECONNREFUSED 127.0.0.1:40123',
    '  apply Namespace tenant-0-ns-1: connect ECONNREFUSED 127.0.0.1:40123',
    '  apply Namespace tenant-0-ns-2: connect ECONNREFUSED 127.0.0.1:40123',
  ].join('\n');
  expect(errorSummary(message)).toBe(
    '+  pulumi-nodejs:dynamic/central-secret-store:ManifestSet plane-cluster.scoped creating (0s) error: 22 of 22 requests failed: apply Namespace tenant-0-ns-0: connect ECONNREFUSED 127.0.0.1:40123 apply Namespace tenant-0-ns-1: connect ECONNREFUSED 127.0.0.1:40123',
  );
  expect(errorSummary('x'.repeat(1000))).toHaveLength(400);
  expect(errorSummary('no engine output at all')).toBe('no engine output at all');
  expect(errorSummary('<{%fg 1%}>plane: error: 2 of 2 requests failed:<{%reset%}>\n  \x1b[31mapply Namespace a: refused\x1b[0m')).toBe(
    'plane: error: 2 of 2 requests failed: apply Namespace a: refused',
  );
});
