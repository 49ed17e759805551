/** One executable, every command a subcommand with its own help and the same spelling of shared options. */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const BIN = join(__dirname, '..', '..', 'cli', 'bin.js');
const run = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });

describe('central-secret-store', () => {
  test('--help lists every command', () => {
    const help = run('--help');
    expect(help.status).toBe(0);
    // Command lines start two spaces in; wrapped descriptions start further in.
    const commands = help.stdout
      .split('Commands:')[1]
      .split('Exit codes:')[0]
      .split('\n')
      .filter((l) => /^  \S/.test(l))
      .map((l) => l.trim().split(/\s+/)[0])
      .filter((c) => c !== 'help');
    expect(commands).toEqual(['init', 'synth', 'plan', 'report', 'schema', 'release-finalizers', 'rotate', 'recover', 'canary', 'fleet']);
    expect(help.stdout).toContain('Exit codes:\n  0  done; for plan, access does not widen and no deployer changes\n');
    expect(help.stdout).toContain('  4  rotate, recover, canary: the deadline passed with something lagging\n');
  });

  test.each([
    ['init', ['<folder>', 'new or empty folder']],
    ['synth', ['--catalogue <dir>', '--out <path>', '--json', '--expiry-warning-days <days>', '--now <timestamp>']],
    [
      'plan',
      [
        '--base <ref|dir>',
        '--catalogue <dir>',
        '--out <path>',
        '--json',
        '--expiry-warning-days <days>',
        '--now <timestamp>',
        'Exit codes:',
      ],
    ],
    ['report', ['--catalogue <dir>', '--out <path>', '--json']],
    ['schema', ['--out <path>', '--json']],
    ['release-finalizers', ['--kubeconfig <file>', '--context <name>', '--dry-run', '--json']],
    [
      'rotate',
      [
        '--credential <name>',
        '--kubeconfig <file>',
        '--context <name>',
        '--deadline <duration>',
        '--max-concurrent-rollouts <n>',
        '--max-rollouts-per-namespace <n>',
        '--json',
        '--report <file>',
      ],
    ],
    ['recover', ['--kubeconfig <file>', '--context <name>', '--deadline <duration>', '--json', '--report <file>']],
    [
      'fleet',
      [
        '<operation>',
        '--stack <name...>',
        '--cwd <dir>',
        '--program <module>',
        '--parallel <n>',
        '--policy-pack <dir...>',
        '--log-dir <dir>',
        '--json',
      ],
    ],
    [
      'canary',
      [
        '--cluster <name>',
        '--expect <value>',
        '--catalogue <dir>',
        '--kubeconfig <file>',
        '--context <name>',
        '--bound <duration>',
        '--pushgateway <url>',
        '--json',
        '--report <file>',
      ],
    ],
  ])('%s --help documents its options', (command, options) => {
    const help = run(command, '--help');
    expect(help.status).toBe(0);
    for (const option of options) expect(help.stdout).toContain(option);
  });

  test('--cluster always names a catalogue cluster and --context a kubeconfig context: rotate --cluster says so', () => {
    expect(run('rotate', '--help').stdout).not.toContain('--cluster');
    const rotate = run('rotate', '--credential', 'ghcr-pull', '--cluster', 'prod-admin');
    expect(rotate.status).toBe(1);
    expect(rotate.stderr).toBe(
      'central-secret-store: rotate --cluster is gone: it named a kubeconfig context, while --cluster names a catalogue cluster elsewhere (canary). Give the context as --context prod-admin\n',
    );
    expect(run('canary', '--help').stdout).toMatch(/--cluster <name> +the catalogue cluster/);
  });

  test('an unknown command or option fails with help, and a bad kubeconfig is named', () => {
    const unknown = run('synthesize');
    expect(unknown.status).not.toBe(0);
    expect(unknown.stderr).toMatch(/unknown command 'synthesize'/);
    const missing = run('release-finalizers', '--kubeconfig', '/nonexistent/kubeconfig');
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/central-secret-store: cannot read kubeconfig \/nonexistent\/kubeconfig/);
    const noCredential = run('rotate');
    expect(noCredential.status).not.toBe(0);
    expect(noCredential.stderr).toMatch(/required option '--credential <name>'/);
    const badDeadline = run('rotate', '--credential', 'x', '--deadline', 'soon');
    expect(badDeadline.status).toBe(1);
    expect(badDeadline.stderr).toMatch(/--deadline "soon" is not a positive duration/);
  });
});
