/**
 * `central-secret-store init` and how every command finds its catalogue: a starter catalogue written outside
 * the repository validates, synthesizes and plans from there; a folder that is not empty is refused; a
 * command run where there is no catalogue says so instead of reading the example.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { resolveCatalogueFolder } from '../../cli/support/catalogue-folder';
import { EXIT } from '../../cli/support/exit-codes';
import { loadCatalogue } from '../../tenants/lib';
import { tempDir } from '../support/temp-dir';

const ROOT = join(__dirname, '..', '..');
const BIN = join(ROOT, 'cli', 'bin.js');
const cli = (cwd: string, ...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', cwd });

/** A folder outside the repository, as a user's own catalogue repository would be. */
function outside(): string {
  const dir = realpathSync(tempDir('css-init-'));
  if (!relative(realpathSync(ROOT), dir).startsWith('..')) throw new Error(`${dir} is inside the repository; set CSS_TEST_TMP elsewhere`);
  return dir;
}

const files = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();

describe('central-secret-store init', () => {
  test('writes a starter catalogue that validates, synthesizes and plans outside the repository', () => {
    const work = outside();
    const result = cli(work, 'init', 'my-catalogue');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(EXIT.ok);
    const catalogue = join(work, 'my-catalogue');
    expect(files(catalogue)).toEqual([
      'clusters.yaml',
      'credentials.yaml',
      'schema/clusters.schema.json',
      'schema/credentials.schema.json',
      'schema/tenant.schema.json',
      'teams/api.ts',
      'teams/web.yaml',
    ]);
    expect(result.stdout).toContain('init: wrote a starter catalogue to my-catalogue/');
    expect(result.stdout).toContain('central-secret-store synth --catalogue my-catalogue');
    expect(result.stdout).toContain('pulumi config set central-secret-store:catalogue');

    // One environment, one cluster, one credential, one tenant in YAML and one in TypeScript.
    const loaded = loadCatalogue(catalogue);
    expect([loaded.environments.length, loaded.clusters.length, loaded.credentials.length]).toEqual([1, 1, 1]);
    expect(
      Object.values(loaded.sources.tenants)
        .map((f) => f.replace(/^.*teams\//, 'teams/'))
        .sort(),
    ).toEqual(['teams/api.ts', 'teams/web.yaml']);
    // The TypeScript tenant imports defineTenant by the package's name, which resolves from any folder.
    expect(readFileSync(join(catalogue, 'teams', 'api.ts'), 'utf8')).toContain(
      "import { defineTenant } from 'central-secret-store/catalogue';",
    );
    expect(loaded.tenants.map((t) => t.name).sort()).toEqual(['api', 'web']);

    // In the catalogue folder, no --catalogue is needed.
    const synth = cli(catalogue, 'synth', '--out', join(work, 'dist'));
    expect(synth.stderr).toBe('');
    expect(synth.status).toBe(EXIT.ok);
    expect(synth.stdout).toMatch(/^catalogue \.: 1 clusters, 1 credentials, 2 tenants\n/);
    expect(readdirSync(join(work, 'dist'))).toEqual(expect.arrayContaining(['.central-secret-store-output.json']));

    // From elsewhere, --catalogue names it; against itself the plan changes nothing.
    const plan = cli(work, 'plan', '--catalogue', 'my-catalogue', '--base', 'my-catalogue');
    expect(plan.stderr).toBe('');
    expect(plan.stdout).toContain('**No access changes.**');
    expect(plan.status).toBe(EXIT.ok);
  });

  test('refuses a folder that is not empty, and a file, writing nothing', () => {
    const work = outside();
    mkdirSync(join(work, 'notes'));
    writeFileSync(join(work, 'notes', 'todo.md'), 'mine');
    const refused = cli(work, 'init', 'notes');
    expect(refused.status).toBe(EXIT.error);
    expect(refused.stderr).toBe(
      'central-secret-store: init: notes is not empty (it holds todo.md); init never overwrites anything: give a new or empty folder\n',
    );
    expect(files(join(work, 'notes'))).toEqual(['todo.md']);

    writeFileSync(join(work, 'a-file'), 'mine');
    const file = cli(work, 'init', 'a-file');
    expect(file.status).toBe(EXIT.error);
    expect(file.stderr).toBe('central-secret-store: init: a-file is a file, not a folder: give a new or empty folder\n');
    expect(readFileSync(join(work, 'a-file'), 'utf8')).toBe('mine');
    expect(readdirSync(work).sort()).toEqual(['a-file', 'notes']);

    // An empty folder is fine.
    mkdirSync(join(work, 'empty'));
    expect(cli(work, 'init', 'empty').status).toBe(EXIT.ok);
  });
});

describe('finding the catalogue', () => {
  test('a command run where there is no catalogue says how to name one, and never reads the example', () => {
    const work = outside();
    for (const command of [['synth'], ['plan', '--base', 'main'], ['report']]) {
      const result = cli(work, ...command);
      expect(result.status).toBe(EXIT.error);
      expect(result.stderr).toBe(
        `central-secret-store: no catalogue: ${work} holds no clusters.yaml. Run in a catalogue folder, name one with --catalogue <dir>, or start one with: central-secret-store init <folder>\n`,
      );
      expect(result.stdout).toBe('');
    }
  });

  test("--catalogue first, then the current folder if it holds clusters.yaml, then the repository root's tenants/", () => {
    const work = outside();
    expect(resolveCatalogueFolder('elsewhere', work)).toBe('elsewhere');
    expect(() => resolveCatalogueFolder(undefined, work)).toThrow(/no catalogue: .* holds no clusters\.yaml/);
    writeFileSync(join(work, 'clusters.yaml'), '');
    expect(resolveCatalogueFolder(undefined, work)).toBe('.');
    // Only the path: this test does not read the repository's catalogue.
    expect(resolveCatalogueFolder(undefined, ROOT)).toBe('tenants');
    expect(() => resolveCatalogueFolder(undefined, join(ROOT, 'cli'))).toThrow(/no catalogue/);
  });
});
