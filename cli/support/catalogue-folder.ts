/**
 * Which catalogue a command reads when `--catalogue` is not given. Never the example by accident: a command
 * run in some other folder must not synthesize, plan or report a catalogue the user did not mean.
 *
 * 1. `--catalogue <dir>`, as given;
 * 2. the current folder, if it holds `clusters.yaml` (a catalogue folder, e.g. a catalogue repository);
 * 3. in the root of the product's own repository (where `npm run <command>` runs), its `tenants/`: a fork's
 *    catalogue lives there;
 * 4. otherwise an error that says how to name one.
 */
import { existsSync, realpathSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { CATALOGUE_FILES } from '../../tenants/lib';

/** The root of the product's repository (the folder of its package.json). */
const PRODUCT_ROOT = resolve(__dirname, '..', '..');

/** No `--catalogue` and no catalogue where the command runs. */
export class CatalogueNotFoundError extends Error {}

/** The catalogue folder a command reads, relative to `cwd` when it is found there (so output names it so). */
export function resolveCatalogueFolder(given: string | undefined, cwd: string = process.cwd()): string {
  if (given !== undefined) return given;
  if (existsSync(join(cwd, CATALOGUE_FILES.clusters))) return '.';
  const repository = join(PRODUCT_ROOT, 'tenants');
  if (sameFolder(cwd, PRODUCT_ROOT) && existsSync(join(repository, CATALOGUE_FILES.clusters))) return relative(cwd, repository);
  throw new CatalogueNotFoundError(
    `no catalogue: ${cwd} holds no ${CATALOGUE_FILES.clusters}. Run in a catalogue folder, name one with --catalogue <dir>, or start one with: central-secret-store init <folder>`,
  );
}

function sameFolder(a: string, b: string): boolean {
  try {
    return realpathSync(a) === realpathSync(b);
  } catch {
    return false;
  }
}
