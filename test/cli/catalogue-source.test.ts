/**
 * A catalogue read at a git ref (`plan --base origin/main`) when it is not the repository's `tenants/` folder:
 * its TypeScript tenants import the product's library from outside the catalogue folder, which the tenant
 * sandbox allows only for the product's own `tenants/lib`, so the ref's copy of it must not stand in for it.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadCatalogueAt } from '../../cli/review/catalogue-source';
import { FIXTURE_CATALOGUE_DIR } from '../support/fixture-catalogue';
import { tempDir } from '../support/temp-dir';

test('a catalogue in another folder of the repository loads at a git ref, TypeScript tenants included', () => {
  const repo = tempDir('css-source-repo-');
  // The layout of a fork that keeps its catalogue in catalogue/ beside the product's tenants/lib.
  cpSync(FIXTURE_CATALOGUE_DIR, join(repo, 'catalogue'), { recursive: true });
  cpSync(join(__dirname, '..', '..', 'tenants', 'lib'), join(repo, 'tenants', 'lib'), { recursive: true });
  const search = join(repo, 'catalogue', 'teams', 'search.ts');
  writeFileSync(search, readFileSync(search, 'utf8').replace("from 'central-secret-store/catalogue'", "from '../../tenants/lib/define'"));
  const git = (...args: string[]) =>
    execFileSync('git', ['-C', repo, '-c', 'user.name=test', '-c', 'user.email=test@example.com', ...args]);
  git('init', '-q', '-b', 'main');
  git('add', '.');
  git('commit', '-q', '-m', 'catalogue');

  const { label, catalogue } = loadCatalogueAt('main', join(repo, 'catalogue'));
  expect(label).toBe('main');
  expect(catalogue.tenants.map((t) => t.name)).toContain('search');
});
