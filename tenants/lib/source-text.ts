/**
 * Reads one catalogue file as text. Whatever goes wrong (missing, a directory, a link out of the catalogue, a
 * FIFO or device, too large, unreadable, not UTF-8) becomes an issue naming the file, never an exception: a
 * catalogue gets every error at once.
 */
import { closeSync, constants, fstatSync, openSync, readSync, realpathSync, statSync, type Stats } from 'node:fs';
import { isAbsolute, relative, sep } from 'node:path';
import type { CatalogueIssue } from './errors';
import { CATALOGUE_LIMITS } from './limits';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** How many invalid lines are listed before the rest are summarised: a binary file would list thousands. */
const MAX_LINES_LISTED = 5;

export interface SourceText {
  readonly text?: string;
  readonly issues: CatalogueIssue[];
}

/**
 * `root` is the catalogue folder's real path: a file whose real path lies outside it is refused unread, so a
 * link cannot pull `~/.kube/config` or a file of another checkout into the catalogue (and into error messages).
 */
export function readSourceText(file: string, display: string, root: string): SourceText {
  const refuse = (message: string): SourceText => ({ issues: [{ file: display, path: '', message }] });
  let bytes: Buffer;
  try {
    const outside = linkOutside(file, root);
    if (outside) return refuse(outside);
    // stat before open: opening a FIFO blocks until a writer comes, which would hang the loader for good.
    const kind = nonFileKind(statSync(file));
    if (kind) return refuse(kind);
    // O_NONBLOCK and fstat close the race of a file swapped for a FIFO between stat and open.
    const fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      const stats = fstatSync(fd);
      const swapped = nonFileKind(stats);
      if (swapped) return refuse(swapped);
      if (stats.size > CATALOGUE_LIMITS.fileBytes) return refuse(tooLarge(stats.size));
      // One byte more than fstat said, to notice a file that grows while it is read.
      bytes = readAtMost(fd, stats.size + 1);
      if (bytes.length > stats.size) return refuse('changed while it was read; read it again once it is written');
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    return refuse(describeReadError(error as NodeJS.ErrnoException));
  }
  try {
    return { text: strictUtf8.decode(bytes), issues: [] };
  } catch {
    return { issues: invalidUtf8Lines(bytes, display) };
  }
}

/** Whether `path` is inside `root` (both real paths). */
export function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

/** Why a path resolving outside the catalogue folder is refused, or undefined. Throws ENOENT for a dangling link. */
export function linkOutside(path: string, root: string): string | undefined {
  const real = realpathSync(path);
  return isInside(root, real) ? undefined : `is a link to ${real}, outside the catalogue folder; catalogue files must live inside it`;
}

function nonFileKind(stats: Stats): string | undefined {
  if (stats.isFile()) return undefined;
  if (stats.isDirectory()) return 'is a directory, not a file';
  const kind = stats.isFIFO()
    ? 'a FIFO'
    : stats.isSocket()
      ? 'a socket'
      : stats.isCharacterDevice()
        ? 'a character device'
        : stats.isBlockDevice()
          ? 'a block device'
          : 'not a file';
  return `is ${kind}, not a regular file`;
}

function tooLarge(size: number): string {
  return `is ${size} bytes; a catalogue file may hold at most 1 MiB (${CATALOGUE_LIMITS.fileBytes} bytes)`;
}

/** Up to `limit` bytes. */
function readAtMost(fd: number, limit: number): Buffer {
  const buffer = Buffer.alloc(limit);
  let length = 0;
  while (length < limit) {
    const n = readSync(fd, buffer, length, limit - length, null);
    if (n === 0) break;
    length += n;
  }
  return buffer.subarray(0, length);
}

function describeReadError(error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case 'ENOENT':
      return 'file not found';
    case 'EISDIR':
      return 'is a directory, not a file';
    case 'EACCES':
    case 'EPERM':
      return 'cannot be read: permission denied';
    default:
      return `cannot be read: ${error.message}`;
  }
}

/** One issue per line holding bytes that are not UTF-8; decoding them would silently turn them into U+FFFD. */
function invalidUtf8Lines(bytes: Buffer, display: string): CatalogueIssue[] {
  const lines: number[] = [];
  let start = 0;
  for (let line = 1; start <= bytes.length; line++) {
    const newline = bytes.indexOf(0x0a, start);
    const end = newline < 0 ? bytes.length : newline;
    try {
      strictUtf8.decode(bytes.subarray(start, end));
    } catch {
      lines.push(line);
    }
    if (newline < 0) break;
    start = newline + 1;
  }
  const message = 'is not valid UTF-8: the catalogue must be UTF-8 text; re-save the file as UTF-8';
  const issues: CatalogueIssue[] = lines.slice(0, MAX_LINES_LISTED).map((line) => ({ file: display, path: '', line, message }));
  if (lines.length > MAX_LINES_LISTED) {
    issues.push({
      file: display,
      path: '',
      line: lines[MAX_LINES_LISTED],
      message: `${message} (and ${lines.length - MAX_LINES_LISTED} more lines like it)`,
    });
  }
  return issues;
}
