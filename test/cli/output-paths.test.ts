/**
 * Where `plan --out`, `report --out` and `synth --out` write: a path that cannot take the output is refused in words before
 * anything is planned, synthesized or printed, and a file the product did not write is never overwritten.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXIT } from '../../cli/support/exit-codes';
import { validFixture, writeFixture } from '../support/fixture-catalogue';
import { tempDir } from '../support/temp-dir';

const BIN = join(__dirname, '..', '..', 'cli', 'bin.js');
const cli = (cwd: string, ...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', cwd });

describe('plan --out', () => {
  const catalogue = writeFixture(validFixture());
  const plan = (cwd: string, ...args: string[]) => cli(cwd, 'plan', '--catalogue', catalogue, '--base', catalogue, ...args);

  test('writes a new file, and replaces a plan it wrote before, Markdown or JSON', () => {
    const work = tempDir('css-out-');
    expect(plan(work, '--out', 'plan.md').status).toBe(EXIT.ok);
    expect(readFileSync(join(work, 'plan.md'), 'utf8')).toMatch(/^## Access plan/);
    expect(plan(work, '--out', 'plan.md').status).toBe(EXIT.ok);
    expect(plan(work, '--json', '--out', 'plan.json').status).toBe(EXIT.ok);
    expect(plan(work, '--json', '--out', 'plan.json').status).toBe(EXIT.ok);
  });

  test('never overwrites a file it did not write, unless --force', () => {
    const work = tempDir('css-out-');
    writeFileSync(join(work, 'notes.md'), 'my notes');
    const refused = plan(work, '--out', 'notes.md');
    expect(refused.status).toBe(EXIT.error);
    expect(refused.stderr).toBe(
      'central-secret-store: plan: --out notes.md exists and is not a plan this command wrote; it is not overwritten: choose another path, remove it, or pass --force\n',
    );
    expect(refused.stdout).toBe('');
    expect(readFileSync(join(work, 'notes.md'), 'utf8')).toBe('my notes');
    expect(plan(work, '--out', 'notes.md', '--force').status).toBe(EXIT.ok);
    expect(readFileSync(join(work, 'notes.md'), 'utf8')).toMatch(/^## Access plan/);
  });
});

describe('report --out', () => {
  const catalogue = writeFixture(validFixture());
  const report = (cwd: string, ...args: string[]) => cli(cwd, 'report', '--catalogue', catalogue, ...args);

  test('writes a new file, and replaces a report it wrote before, page or JSON', () => {
    const work = tempDir('css-out-');
    for (const args of [
      ['--out', 'report.html'],
      ['--out', 'report.html'],
      ['--json', '--out', 'data.json'],
      ['--json', '--out', 'data.json'],
    ])
      expect(report(work, ...args).status).toBe(EXIT.ok);
    expect(readFileSync(join(work, 'report.html'), 'utf8')).toMatch(/^<!doctype html>/);
    expect(JSON.parse(readFileSync(join(work, 'data.json'), 'utf8')).tenants.length).toBeGreaterThan(0);
  });

  test('never overwrites a file it did not write, unless --force; the page is not taken for its data', () => {
    const work = tempDir('css-out-');
    writeFileSync(join(work, 'index.html'), '<!doctype html><p>my page</p>');
    const refused = report(work, '--out', 'index.html');
    expect(refused.status).toBe(EXIT.error);
    expect(refused.stderr).toBe(
      'central-secret-store: report: --out index.html exists and is not a report this command wrote; it is not overwritten: choose another path, remove it, or pass --force\n',
    );
    expect(refused.stdout).toBe('');
    expect(readFileSync(join(work, 'index.html'), 'utf8')).toBe('<!doctype html><p>my page</p>');
    expect(report(work, '--out', 'index.html', '--force').status).toBe(EXIT.ok);
    expect(readFileSync(join(work, 'index.html'), 'utf8')).toContain('<meta name="generator" content="central-secret-store report">');
  });
});

describe.each([
  ['plan', 'access-plan.md'],
  ['report', 'access-report.html'],
])('%s --out where no file can be', (command, suggestion) => {
  test('a folder, a missing folder or a file where a folder belongs is named in words, not as EISDIR or ENOENT, before the catalogue is read', () => {
    const work = tempDir('css-out-');
    mkdirSync(join(work, 'reports'));
    writeFileSync(join(work, 'a-file'), '');
    const cases: [string, string][] = [
      ['reports', `--out reports is a folder; give a file path, such as reports/${suggestion}`],
      [`missing/${suggestion}`, `--out missing/${suggestion}: the folder missing does not exist; create it or choose another path`],
      [`a-file/${suggestion}`, `--out a-file/${suggestion}: a-file is a file, not a folder`],
    ];
    for (const [out, message] of cases) {
      // No catalogue at all: the path is refused first.
      const result = cli(
        work,
        command,
        '--catalogue',
        join(work, 'no-such-catalogue'),
        ...(command === 'plan' ? ['--base', 'HEAD'] : []),
        '--out',
        out,
      );
      expect(result.stderr).toBe(`central-secret-store: ${command}: ${message}\n`);
      expect(result.stderr).not.toMatch(/EISDIR|ENOENT|ENOTDIR/);
      expect(result.status).toBe(EXIT.error);
    }
  });
});

describe('synth --out', () => {
  test('a refused --out is refused before anything is synthesized or printed', () => {
    const work = tempDir('css-out-');
    writeFileSync(join(work, 'a-file'), 'mine');
    const result = cli(work, 'synth', '--catalogue', writeFixture(validFixture()), '--out', 'a-file');
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(
      /^synth: nothing was written: --out a-file: .*a-file is a file, not a folder; choose a folder for the output\n$/,
    );
    expect(result.status).toBe(EXIT.error);
    expect(readFileSync(join(work, 'a-file'), 'utf8')).toBe('mine');
  });
});
