/**
 * Catalogue errors and warnings for machines: `--json` puts them on stdout as `diagnostics`, `--github` (and
 * GITHUB_ACTIONS=true) prints them as GitHub Actions annotations, escaped as the runner unescapes them.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { type Diagnostic, diagnosticsOf, githubAnnotation } from '../../cli/support/diagnostics';
import { EXIT } from '../../cli/support/exit-codes';
import { validFixture, writeFixture } from '../support/fixture-catalogue';
import { tempDir } from '../support/temp-dir';

const BIN = join(__dirname, '..', '..', 'cli', 'bin.js');
const cli = (env: Record<string, string>, ...args: string[]) =>
  spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', cwd: tempDir('css-diagnostics-cwd-'), env: { ...process.env, ...env } });

/** The fixture with one unknown credential: an error, on a known line. */
function brokenCatalogue(): string {
  const fixture = validFixture();
  (fixture.teams.alpha.clusters as any).c1.namespaces[0].requests = ['registy'];
  return writeFixture(fixture);
}

/** The fixture with only a warning: a tenant named like a system namespace. */
function warnedCatalogue(): string {
  const fixture = validFixture();
  fixture.teams.beta.name = 'beta-system';
  return writeFixture(fixture);
}

describe('GitHub annotations', () => {
  const error: Diagnostic = {
    file: 'teams/a.yaml',
    line: 3,
    path: 'clusters.c1.namespaces[0]',
    message: 'unknown credential "x"',
    severity: 'error',
  };

  test('an error and a warning, with file, line and the field path as title', () => {
    expect(githubAnnotation(error)).toBe('::error file=teams/a.yaml,line=3,title=clusters.c1.namespaces[0]::unknown credential "x"');
    expect(githubAnnotation({ ...error, severity: 'warning', line: null, path: '' })).toBe(
      '::warning file=teams/a.yaml,title=central-secret-store::unknown credential "x"',
    );
  });

  test('escapes %, CR and LF everywhere, and , and : in properties, so nothing can end or forge a command', () => {
    const hostile: Diagnostic = {
      file: 'main:teams/a,b.yaml',
      line: 1,
      path: 'a:b,c%d',
      message: '50% done\r\n::error::forged, really: yes',
      severity: 'error',
    };
    expect(githubAnnotation(hostile)).toBe(
      '::error file=main%3Ateams/a%2Cb.yaml,line=1,title=a%3Ab%2Cc%25d::50%25 done%0D%0A::error::forged, really: yes',
    );
    expect(githubAnnotation(hostile).split('\n')).toHaveLength(1);
  });

  test('diagnostics carry every field, line null where there is none', () => {
    expect(diagnosticsOf([{ file: 'f', path: 'p', message: 'm' }], [{ file: 'g', path: '', message: 'w', line: 2 }])).toEqual([
      { file: 'f', line: null, path: 'p', message: 'm', severity: 'error' },
      { file: 'g', line: 2, path: '', message: 'w', severity: 'warning' },
    ]);
  });
});

describe.each([
  ['synth', (dir: string) => ['synth', '--catalogue', dir, '--out', join(tempDir('css-diagnostics-out-'), 'dist')]],
  ['plan', (dir: string) => ['plan', '--catalogue', dir, '--base', dir]],
  ['report', (dir: string) => ['report', '--catalogue', dir, '--out', join(tempDir('css-diagnostics-out-'), 'report.html')]],
])('%s', (command, args) => {
  test('--json prints every error as a diagnostic on stdout and exits 2', () => {
    const result = cli({}, ...args(brokenCatalogue()), '--json');
    expect(result.status).toBe(EXIT.invalidCatalogue);
    const { diagnostics } = JSON.parse(result.stdout);
    const error = {
      file: expect.stringMatching(/teams\/alpha\.yaml$/),
      line: expect.any(Number),
      path: 'clusters.c1.namespaces[0].requests[0]',
      message: 'unknown credential "registy" (known: registry)',
      severity: 'error',
    };
    // plan loads the base and the head, here the same folder: the error once for each.
    expect(diagnostics).toEqual(command === 'plan' ? [error, error] : [error]);
  });

  test('--json carries the warnings of a valid catalogue beside the result', () => {
    const result = cli({}, ...args(warnedCatalogue()), '--json');
    expect(result.status).toBe(EXIT.ok);
    const json = JSON.parse(result.stdout);
    expect(json.diagnostics).toEqual([
      expect.objectContaining({ file: expect.stringMatching(/teams\/beta\.yaml$/), path: 'name', severity: 'warning' }),
    ]);
    expect(json).toHaveProperty(command === 'plan' ? 'widened' : 'clusters');
  });

  test('--github, and GITHUB_ACTIONS=true, print an annotation per error', () => {
    const dir = brokenCatalogue();
    for (const [env, flags] of [
      [{}, ['--github']],
      [{ GITHUB_ACTIONS: 'true' }, []],
    ] as const) {
      const result = cli(env, ...args(dir), ...flags);
      expect(result.status).toBe(EXIT.invalidCatalogue);
      const annotations = result.stdout.split('\n').filter((l) => l.startsWith('::'));
      expect(annotations[0]).toMatch(
        /^::error file=.*teams\/alpha\.yaml,line=\d+,title=clusters\.c1\.namespaces\[0\]\.requests\[0\]::unknown credential "registy" \(known: registry\)$/,
      );
      // The text for people is still on stderr.
      expect(result.stderr).toContain('unknown credential "registy"');
    }
  });
});
