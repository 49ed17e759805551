/**
 * `tenants/` is the user's catalogue: they edit it (README.md, "A tour": add a request to teams/payments.yaml),
 * so a test that reads it as a fixture fails on their first change. Tests read `test/fixtures/catalogue` instead
 * (FIXTURE_CATALOGUE_DIR). This test fails when a test file reaches the example again: `loadCatalogue()` with
 * no folder (the example is its default), `EXAMPLE_CATALOGUE_DIR`, or a path naming the `tenants` folder other
 * than its library and schemas. The few files that check the user's repository itself are listed with why.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const TEST_ROOT = join(__dirname, '..');

/** Files that read the example on purpose, each only for "it is valid and consistent", never its content. */
const ALLOWED: Readonly<Record<string, string>> = {
  'catalogue/example-catalogue.test.ts': 'the example, as the user edits it, validates and synthesizes',
  'catalogue/json-schema.test.ts': 'the committed JSON Schemas in tenants/schema are current, and the example YAML validates against them',
  'stacks/stack-files.test.ts': "every Pulumi.<stack>.yaml of the repository names a cluster of the repository's catalogue",
  'support/example-catalogue-use.test.ts': 'this guard',
};

/** What reaches the example catalogue from a test file. */
const EXAMPLE_USE = [
  { pattern: /\bloadCatalogue\(\s*\)/, what: 'loadCatalogue() with no folder (the example catalogue)' },
  { pattern: /\bEXAMPLE_CATALOGUE_DIR\b/, what: 'EXAMPLE_CATALOGUE_DIR' },
  {
    pattern: /(?:ROOT|__dirname)\b[^)]*['"`]tenants['"`](?!,\s*['"`](?:lib|schema)['"`])/,
    what: "a path to the repository's folder 'tenants'",
  },
  {
    pattern: /(?:ROOT|__dirname)\b[^)]*['"`/]tenants\/(?:teams\b|clusters\.yaml|credentials\.yaml)/,
    what: 'a path to a catalogue file under tenants/',
  },
  {
    pattern: /^(?!.*--catalogue).*bin\.js.*\bcwd:\s*ROOT\b/,
    what: 'the command line run in the repository without --catalogue (it would read tenants/)',
  },
];

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return ['e2e', 'fixtures', 'node_modules'].includes(entry.name) && dir === TEST_ROOT ? [] : testFiles(path);
    return /\.(ts|js)$/.test(entry.name) ? [path] : [];
  });
}

/** `file: line: what` for each use of the example in the files under `root` that are not allowed. */
export function exampleUses(root: string, allowed: Readonly<Record<string, string>>): string[] {
  return testFiles(root)
    .filter((file) => !(relative(root, file) in allowed))
    .flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .flatMap((line, i) =>
          EXAMPLE_USE.filter(({ pattern }) => pattern.test(line)).map(({ what }) => `${relative(root, file)}:${i + 1}: ${what}`),
        ),
    );
}

describe('tests never read the example catalogue as a fixture', () => {
  test('no test file but the allowed ones reaches tenants/', () => {
    expect(exampleUses(TEST_ROOT, ALLOWED)).toEqual([]);
  });

  test('the guard finds each way of reaching the example', () => {
    // Without this, a guard whose patterns matched nothing would pass forever.
    const uses = EXAMPLE_USE.map(({ what }) => what);
    const lines = [
      'loadCatalogue()',
      'EXAMPLE_CATALOGUE_DIR',
      "cpSync(join(ROOT, 'tenants'), repo)",
      "join(ROOT, 'tenants/teams/payments.yaml')",
      "spawnSync(node, ['bin.js', 'synth'], { cwd: ROOT })",
    ];
    expect(lines.map((line) => EXAMPLE_USE.filter(({ pattern }) => pattern.test(line)).map(({ what }) => what))).toEqual(
      uses.map((what) => [what]),
    );
    expect(
      [
        "from '../../tenants/lib'",
        "join(__dirname, '..', '..', 'tenants', 'lib')",
        "tenantPrefix: 'css/tenants/'",
        "const FIELDS = ['tenants', 'namespaces']",
        "join(repo, 'tenants', file)",
        "file: 'tenants/teams/payments.yaml'",
        "execFileSync('npm', ['pack'], { cwd: ROOT })",
        'loadCatalogue(FIXTURE_CATALOGUE_DIR)',
        "['bin.js', 'synth', '--catalogue', FIXTURE_CATALOGUE_DIR], { cwd: ROOT }",
      ].some((line) => EXAMPLE_USE.some(({ pattern }) => pattern.test(line))),
    ).toBe(false);
  });

  test('every allowed file exists and still reaches the example (else drop it from the list)', () => {
    const files = testFiles(TEST_ROOT).map((file) => relative(TEST_ROOT, file));
    for (const file of Object.keys(ALLOWED).filter((f) => f !== 'support/example-catalogue-use.test.ts')) {
      expect(files).toContain(file);
      expect(exampleUses(TEST_ROOT, { ...Object.fromEntries(files.filter((f) => f !== file).map((f) => [f, ''])) })).not.toEqual([]);
    }
  });
});
