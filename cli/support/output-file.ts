/**
 * Writes one output file (`plan --out`, `report --out`): checked before the command does its work, so a path that cannot
 * take the output is refused in words (not as EISDIR or ENOENT) and nothing is printed first; a file the
 * command did not write is never overwritten without `--force`; the file appears whole or not at all.
 */
import { lstatSync, readFileSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** Thrown when `--out` cannot or may not be written; nothing has been written then. */
export class OutputFileError extends Error {
  override name = 'OutputFileError';
}

export interface OutputFileOptions {
  /** Overwrite an existing file whatever it holds. */
  readonly force: boolean;
  /** Whether an existing file's text is this command's own earlier output, which it may replace. */
  readonly ours: (text: string) => boolean;
  /** What the command writes, for messages: "a plan". */
  readonly what: string;
  /** A file name to suggest when the path names a folder. */
  readonly suggestion: string;
  /** The option that named the path, for messages. @default '--out' */
  readonly option?: string;
}

/** Throws an OutputFileError saying what is wrong with `path`, if anything. */
export function checkOutputFile(path: string, options: OutputFileOptions): void {
  const option = options.option ?? '--out';
  const parent = dirname(path);
  const parentKind = kind(parent);
  if (parentKind === 'missing')
    throw new OutputFileError(`${option} ${path}: the folder ${parent} does not exist; create it or choose another path`);
  if (parentKind !== 'folder') throw new OutputFileError(`${option} ${path}: ${parent} is a file, not a folder`);
  const own = kind(path);
  if (own === 'missing') return;
  if (own === 'folder')
    throw new OutputFileError(`${option} ${path} is a folder; give a file path, such as ${join(path, options.suggestion)}`);
  if (own !== 'file') throw new OutputFileError(`${option} ${path} is not a regular file (a device, FIFO or socket); choose another path`);
  if (options.force) return;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new OutputFileError(
      `${option} ${path} cannot be read to tell whether this command wrote it (${(error as NodeJS.ErrnoException).code}); choose another path or pass --force`,
    );
  }
  if (!options.ours(text))
    throw new OutputFileError(
      `${option} ${path} exists and is not ${options.what} this command wrote; it is not overwritten: choose another path, remove it, or pass --force`,
    );
}

/** Runs an output check or write as a command's step: an OutputFileError becomes its error (exit 1), prefixed with its name. */
export function outputStep(command: string, step: () => void): void {
  try {
    step();
  } catch (error) {
    if (error instanceof OutputFileError) throw new Error(`${command}: ${error.message}`);
    throw error;
  }
}

/** Writes `text` to `path` through a sibling file renamed over it, so a failure leaves the old file as it was. */
export function writeOutputFile(out: string, text: string, option = '--out'): void {
  // A link to a file is written through, as synth follows a link to its folder: the link stays.
  const path = kind(out) === 'file' ? realpathSync(out) : out;
  const staging = join(dirname(path), `.${basename(path)}.tmp-${process.pid}`);
  try {
    writeFileSync(staging, text, { flag: 'wx' });
    renameSync(staging, path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new OutputFileError(
      `${option} ${out} cannot be written${code === 'EACCES' || code === 'EPERM' ? ': permission denied' : code === 'ENOSPC' ? ': no space left on the device' : ` (${code ?? (error as Error).message})`}`,
    );
  } finally {
    rmSync(staging, { force: true });
  }
}

function kind(path: string): 'missing' | 'folder' | 'file' | 'other' {
  let stat;
  try {
    stat = statSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return lstatIsLink(path) ? 'other' : 'missing';
    if (code === 'ENOTDIR') return 'other';
    throw error;
  }
  return stat.isDirectory() ? 'folder' : stat.isFile() ? 'file' : 'other';
}

/** A dangling link is not a missing file: writing through it would create a file wherever it points. */
function lstatIsLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}
