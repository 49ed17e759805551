/**
 * Loads the catalogues `plan` and `report` read: a folder, or the same catalogue folder as it was at a git
 * ref (`origin/main`), extracted into a temporary folder and loaded from there like any other.
 *
 * TypeScript tenant files import the product's library relative to the catalogue (`../lib/define`), so the
 * extraction keeps repository paths. The catalogue folder is extracted at the ref (with the library, when it
 * lies inside, as `tenants/lib` does in `tenants/`); a library outside it is linked to the product's own,
 * because the tenant sandbox lets a module import only the catalogue folder and the product's real
 * `tenants/lib`, never a copy of it. node_modules is linked to the repository's for the packages they import.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { type Catalogue, CatalogueError, formatIssue, loadCatalogue } from '../../tenants/lib';

/** What TypeScript tenants import at run time, linked beside the catalogue when it is not inside it. */
const TENANT_LIBRARY = ['tenants/lib'];
/** The product's repository, whose TENANT_LIBRARY is linked. */
const PRODUCT_ROOT = resolve(__dirname, '..', '..');

/** A base that is neither a folder nor a git ref, or a repository git cannot read. */
export class CatalogueSourceError extends Error {}

export interface LoadedCatalogue {
  /** How the catalogue is named in output: the folder or the ref. */
  readonly label: string;
  readonly catalogue: Catalogue;
}

/** The catalogue in a folder, named relative to the working folder so that output does not vary by machine. */
export function loadCatalogueFolder(dir: string): LoadedCatalogue {
  return { label: relative(process.cwd(), resolve(dir)) || '.', catalogue: loadCatalogue(dir) };
}

/** A folder if one exists at `spec`, otherwise the folder `catalogueDir` as it was at git ref `spec`. */
export function loadCatalogueAt(spec: string, catalogueDir: string): LoadedCatalogue {
  if (existsSync(spec) && statSync(spec).isDirectory()) return loadCatalogueFolder(spec);
  if (!existsSync(catalogueDir))
    throw new CatalogueSourceError(
      `"${spec}" is not a folder, and the catalogue folder ${catalogueDir} to find at that ref does not exist`,
    );
  const top = git(
    catalogueDir,
    ['rev-parse', '--show-toplevel'],
    `"${spec}" is not a folder, and ${catalogueDir} is not in a git repository to read it as a ref from`,
  ).trim();
  const commit = git(
    top,
    ['rev-parse', '--verify', '--quiet', `${spec}^{commit}`],
    `"${spec}" is neither a folder nor a git ref of ${top}`,
  ).trim();
  const path = relative(realpathSync(top), realpathSync(catalogueDir)).split(sep).join('/');
  const paths = [path || '.'].filter(
    (p) => git(top, ['ls-tree', '--name-only', commit, '--', p], `cannot list ${p} at ${spec}`).length > 0,
  );
  const scratch = mkdtempSync(join(tmpdir(), 'css-plan-'));
  try {
    if (paths.length > 0) extract(top, commit, paths, scratch);
    for (const library of TENANT_LIBRARY.filter((l) => !isInside(l, path))) {
      mkdirSync(dirname(join(scratch, library)), { recursive: true });
      symlinkSync(join(PRODUCT_ROOT, library), join(scratch, library), 'dir');
    }
    if (existsSync(join(top, 'node_modules'))) symlinkSync(join(top, 'node_modules'), join(scratch, 'node_modules'), 'dir');
    return { label: spec, catalogue: loadCatalogue(join(scratch, path)) };
  } catch (error) {
    throw error instanceof CatalogueError ? atRef(error, scratch, spec) : error;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** An invalid catalogue's errors, one per line with file, line and field path; `which` names the catalogue. */
export function catalogueErrorsText(which: string, error: CatalogueError): string {
  const count = error.issues.length;
  return [`${which} has ${count} error${count === 1 ? '' : 's'}:`, ...error.issues.map((issue) => `  ${formatIssue(issue)}`)].join('\n');
}

function isInside(path: string, folder: string): boolean {
  return folder === '' || path === folder || path.startsWith(`${folder}/`);
}

function extract(top: string, commit: string, paths: readonly string[], into: string): void {
  const archive = spawnSync('git', ['-C', top, 'archive', '--format=tar', commit, '--', ...paths], { maxBuffer: 1 << 30 });
  if (archive.status !== 0) throw new CatalogueSourceError(`git archive ${commit} failed: ${archive.stderr.toString().trim()}`);
  const tar = spawnSync('tar', ['-x', '-C', into], { input: archive.stdout });
  if (tar.status !== 0) throw new CatalogueSourceError(`tar could not extract the catalogue: ${tar.stderr.toString().trim()}`);
}

function git(cwd: string, args: readonly string[], failure: string): string {
  const result = spawnSync('git', ['-C', cwd, ...args], { encoding: 'utf8' });
  if (result.error || result.status !== 0) throw new CatalogueSourceError(failure);
  return result.stdout;
}

/** The same errors, naming files as `<ref>:<path in the repository>` instead of the temporary folder. */
function atRef(error: CatalogueError, scratch: string, spec: string): CatalogueError {
  const shown = relative(process.cwd(), scratch);
  const rename = (text: string) => text.split(`${shown}${sep}`).join(`${spec}:`).split(shown).join(`${spec}:`);
  return new CatalogueError(error.issues.map((issue) => ({ ...issue, file: rename(issue.file), message: rename(issue.message) })));
}
