/**
 * The construct library brings nothing of its own into an app beyond cdk8s and constructs, which the app has
 * already: a cdk8s-plus dependency would give a fresh `cdk8s init` app a second cdk8s-plus version.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const CONSTRUCTS = join(__dirname, '..', '..', 'constructs');
const manifest = JSON.parse(readFileSync(join(CONSTRUCTS, 'package.json'), 'utf8'));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

test('the package has no dependencies, only its peers cdk8s and constructs', () => {
  expect(manifest.dependencies ?? {}).toEqual({});
  expect(Object.keys(manifest.peerDependencies).sort()).toEqual(['cdk8s', 'constructs']);
});

test('its sources import nothing but cdk8s, constructs and each other', () => {
  const imported = new Set<string>();
  for (const file of sources(join(CONSTRUCTS, 'src'))) {
    for (const [, specifier] of readFileSync(file, 'utf8').matchAll(/^\s*(?:import|export)\b[^'"]*?from\s+'([^']+)'/gm)) {
      if (!specifier.startsWith('.')) imported.add(specifier);
    }
  }
  expect([...imported].sort()).toEqual(['cdk8s', 'constructs']);
});
