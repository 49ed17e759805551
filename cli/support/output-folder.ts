/**
 * Writes a tree of files to an output folder all at once, replacing only what an earlier run wrote there.
 *
 * The tree is written to a sibling folder and swapped in, so a failure leaves the previous output untouched.
 * Each run leaves a marker listing the files it wrote; a later run replaces a folder only when the folder holds
 * exactly those files, and deletes only those. A folder that is not empty and not such an output (a notes
 * folder, a repository, `.`) is refused before anything is written. A symbolic link is followed: the folder it
 * points to is written, and the link stays as it is.
 */
import {
  lstatSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  renameSync,
  rmSync,
  rmdirSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

/** The marker file in every output folder. */
export const OUTPUT_MARKER = '.central-secret-store-output.json';

interface Marker {
  readonly writtenBy: string;
  /** Paths relative to the folder, with `/`, sorted. */
  readonly files: string[];
}

export interface OutputFile {
  /** Path relative to the output folder, with `/`. */
  readonly path: string;
  readonly content: string;
}

/** Thrown when the output folder may not be written; nothing has been written then. */
export class OutputFolderError extends Error {
  override name = 'OutputFolderError';
}

/** The file names an output written before markers existed may hold: one folder per cluster with these. */
export interface LegacyLayout {
  readonly filesPerFolder: readonly string[];
}

export interface ReplaceResult {
  /** The folder written, after following symbolic links. */
  readonly folder: string;
  /** Set when the previous output's folder could not be removed because something else appeared in it. */
  readonly leftBehind?: string;
}

export function replaceOutputFolder(outDir: string, files: readonly OutputFile[], writtenBy: string, legacy?: LegacyLayout): ReplaceResult {
  const folder = followLinks(resolve(outDir));
  const previous = previousOutput(folder, outDir, legacy);
  const staging = `${folder}.tmp-${process.pid}`;
  const retired = `${folder}.old-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  try {
    const marker: Marker = { writtenBy, files: files.map((f) => f.path).sort() };
    for (const file of [...files, { path: OUTPUT_MARKER, content: `${JSON.stringify(marker, null, 2)}\n` }]) {
      const path = join(staging, ...file.path.split('/'));
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, file.content);
    }
    mkdirSync(dirname(folder), { recursive: true });
    if (previous === undefined) {
      renameSync(staging, folder);
      return { folder };
    }
    renameSync(folder, retired);
    renameSync(staging, folder);
    return { folder, leftBehind: removeListed(retired, previous) ? undefined : retired };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/**
 * Throws the OutputFolderError `replaceOutputFolder` would throw for this folder, without writing anything:
 * for commands that check `--out` before doing their work.
 */
export function checkOutputFolder(outDir: string, legacy?: LegacyLayout): void {
  previousOutput(followLinks(resolve(outDir)), outDir, legacy);
}

/** The real folder behind a path: symbolic links are followed, even to a folder that does not exist yet. */
function followLinks(path: string): string {
  for (let hops = 0; hops < 40; hops++) {
    let isLink: boolean;
    try {
      isLink = lstatSync(path).isSymbolicLink();
    } catch {
      return path;
    }
    if (!isLink) return path;
    path = resolve(dirname(path), readlinkSync(path));
  }
  throw new OutputFolderError(`--out ${path}: too many levels of symbolic links`);
}

/**
 * The files of an earlier output in the folder, [] when the folder is empty, undefined when it does not exist;
 * throws when the folder holds anything synth did not write.
 */
function previousOutput(folder: string, shown: string, legacy?: LegacyLayout): string[] | undefined {
  let stat;
  try {
    stat = lstatSync(folder);
  } catch {
    return undefined;
  }
  if (!stat.isDirectory()) throw new OutputFolderError(`--out ${shown}: ${folder} is a file, not a folder; choose a folder for the output`);
  const present = listTree(folder);
  if (present.length === 0) return [];
  const listed = readMarker(folder) ?? legacyFiles(present, legacy);
  if (listed === undefined) {
    throw new OutputFolderError(
      `--out ${shown}: ${folder} is not empty and is not the output of an earlier synth (it has no ${OUTPUT_MARKER}). ` +
        'Synth writes only into a new or empty folder or replaces its own earlier output; choose another --out.',
    );
  }
  const known = new Set([...listed, OUTPUT_MARKER]);
  const foreign = present.filter((f) => !known.has(f));
  if (foreign.length > 0) {
    const shownFiles = foreign.slice(0, 5).join(', ') + (foreign.length > 5 ? `, and ${foreign.length - 5} more` : '');
    throw new OutputFolderError(
      `--out ${shown}: ${folder} holds files synth did not write (${shownFiles}). Synth replaces only its own output; move them away or choose another --out.`,
    );
  }
  return [...listed, OUTPUT_MARKER].filter((f) => present.includes(f));
}

function readMarker(folder: string): string[] | undefined {
  try {
    const marker = JSON.parse(readFileSync(join(folder, OUTPUT_MARKER), 'utf8')) as Marker;
    return Array.isArray(marker.files) && marker.files.every((f) => typeof f === 'string') ? marker.files : undefined;
  } catch {
    return undefined;
  }
}

/** An output written before markers existed: every file is one of the layout's names, one folder deep. */
function legacyFiles(present: readonly string[], legacy?: LegacyLayout): string[] | undefined {
  if (!legacy) return undefined;
  const matches = present.every((f) => {
    const parts = f.split('/');
    return parts.length === 2 && legacy.filesPerFolder.includes(parts[1]);
  });
  return matches ? [...present] : undefined;
}

/** Every file and empty folder under `folder`, relative, with `/`. Anything that is not a plain file counts too. */
function listTree(folder: string): string[] {
  const entries: string[] = [];
  const walk = (dir: string) => {
    const children = readdirSync(dir, { withFileTypes: true });
    if (children.length === 0 && dir !== folder) entries.push(`${relative(folder, dir).split(sep).join('/')}/`);
    for (const child of children) {
      const path = join(dir, child.name);
      if (child.isDirectory()) walk(path);
      else entries.push(relative(folder, path).split(sep).join('/'));
    }
  };
  walk(folder);
  return entries.sort();
}

/** Deletes exactly the listed files and then the folders they leave empty; false if anything else remains. */
function removeListed(folder: string, files: readonly string[]): boolean {
  for (const file of files) unlinkSync(join(folder, ...file.split('/')));
  const dirs = [
    ...new Set(
      files.flatMap((f) =>
        f
          .split('/')
          .slice(0, -1)
          .map((_, i, parts) => parts.slice(0, i + 1).join('/')),
      ),
    ),
  ].sort((a, b) => b.length - a.length);
  try {
    for (const dir of dirs) rmdirSync(join(folder, ...dir.split('/')));
    rmdirSync(folder);
    return true;
  } catch {
    return false;
  }
}
