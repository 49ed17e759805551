/**
 * The layers of the product (docs/architecture.md), read from every import of every source file: the
 * vocabulary at the bottom, pure; the catalogue and the constructs above it, each ignorant of the other; the
 * plane composing them; the command line and the stacks on top. A file importing a layer above its own, or a
 * sibling it must not know, fails here with the file and the import.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import * as ts from 'typescript';

const ROOT = resolve(__dirname, '..', '..');
const VOCABULARY_PACKAGE = '@central-secret-store/constructs/vocabulary';

interface Layer {
  readonly name: string;
  readonly folder: string;
  /** Layers whose files this one may import. */
  readonly may: readonly string[];
  /** Packages it may import (besides Node's built-ins, when `builtins`). */
  readonly packages: (specifier: string) => boolean;
  readonly builtins: boolean;
}

const anyPackage = () => true;
const LAYERS: readonly Layer[] = [
  { name: 'vocabulary', folder: 'constructs/src/vocabulary', may: [], packages: () => false, builtins: false },
  {
    name: 'constructs',
    folder: 'constructs/src',
    may: ['vocabulary'],
    packages: (p) => p === 'cdk8s' || p === 'constructs',
    builtins: false,
  },
  {
    name: 'catalogue',
    folder: 'tenants/lib',
    may: ['vocabulary'],
    packages: (p) => p !== 'cdk8s' && p !== 'constructs' && !p.startsWith('@pulumi/'),
    builtins: true,
  },
  {
    name: 'plane',
    folder: 'plane',
    may: ['vocabulary', 'constructs', 'catalogue'],
    packages: (p) => !p.startsWith('@pulumi/'),
    builtins: true,
  },
  { name: 'report page', folder: 'report', may: [], packages: () => false, builtins: false },
  {
    name: 'cli',
    folder: 'cli',
    may: ['vocabulary', 'constructs', 'catalogue', 'plane', 'report page'],
    packages: anyPackage,
    builtins: true,
  },
  { name: 'stacks', folder: 'stacks', may: ['vocabulary', 'constructs', 'catalogue', 'plane'], packages: anyPackage, builtins: true },
];

/** The layer a repository path lies in: the most specific folder that holds it. */
function layerOf(path: string): Layer | undefined {
  return [...LAYERS]
    .sort((a, b) => b.folder.length - a.folder.length)
    .find((layer) => path === layer.folder || path.startsWith(`${layer.folder}/`));
}

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'imports' || entry.name === 'node_modules' ? [] : sources(path);
    return /\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Every import, export-from, `import()` and `require` of a file, type-only ones included. */
function importsOf(file: string): string[] {
  return ts.preProcessFile(readFileSync(file, 'utf8'), true, true).importedFiles.map((f) => f.fileName);
}

/** What is wrong with one import of a file of a layer, or undefined. */
function violation(layer: Layer, file: string, specifier: string): string | undefined {
  if (specifier.startsWith('.')) {
    const target = relative(ROOT, resolve(dirname(file), specifier));
    const other = layerOf(target);
    if (!other) return `imports ${target}, outside every layer`;
    if (other === layer || layer.may.includes(other.name)) {
      // The catalogue names the vocabulary by its package name, as any user of the constructs would.
      return other.name === 'vocabulary' && layer.name !== 'vocabulary' && layer.name !== 'constructs'
        ? `imports the vocabulary by path; import ${VOCABULARY_PACKAGE}`
        : undefined;
    }
    return `imports ${target} (${other.name}), which the ${layer.name} layer may not know`;
  }
  if (specifier === VOCABULARY_PACKAGE)
    return layer.may.includes('vocabulary') ? undefined : `imports ${specifier}, which the ${layer.name} layer may not know`;
  if (isBuiltin(specifier)) return layer.builtins ? undefined : `imports Node's ${specifier}; the ${layer.name} layer runs anywhere`;
  const name = specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0];
  return layer.packages(name) ? undefined : `imports the package ${specifier}, which the ${layer.name} layer may not use`;
}

const checked = LAYERS.map((layer) => ({
  layer,
  files: sources(join(ROOT, layer.folder)).filter((file) => layerOf(relative(ROOT, file)) === layer),
}));

test.each(checked.map(({ layer, files }) => [layer.name, layer, files] as const))(
  'the %s layer imports nothing above it',
  (_name, layer, files) => {
    expect(files.length).toBeGreaterThan(0);
    const problems = files.flatMap((file) =>
      importsOf(file).flatMap((specifier) => {
        const problem = violation(layer, file, specifier);
        return problem === undefined ? [] : [`${relative(ROOT, file)}: ${problem}`];
      }),
    );
    expect(problems).toEqual([]);
  },
);

test('the check finds a layer violation when there is one', () => {
  const catalogue = LAYERS.find((l) => l.name === 'catalogue')!;
  const file = join(ROOT, 'tenants/lib/resolve.ts');
  expect(violation(catalogue, file, '../../plane')).toMatch(/plane.*may not know/);
  expect(violation(catalogue, file, '../../constructs/src/vocabulary')).toMatch(/by path/);
  expect(violation(catalogue, file, 'cdk8s')).toMatch(/may not use/);
  expect(violation(LAYERS[0], join(ROOT, 'constructs/src/vocabulary/labels.ts'), 'constructs')).toMatch(/may not use/);
  expect(violation(catalogue, file, VOCABULARY_PACKAGE)).toBeUndefined();
});
