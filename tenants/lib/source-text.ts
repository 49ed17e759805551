/**
 * Reads one catalogue file as text. Whatever goes wrong (missing, a directory, unreadable, not UTF-8) becomes
 * an issue naming the file, never an exception: a catalogue gets every error at once.
 */
import { readFileSync } from 'node:fs';
import type { CatalogueIssue } from './errors';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** How many invalid lines are listed before the rest are summarised: a binary file would list thousands. */
const MAX_LINES_LISTED = 5;

export interface SourceText {
  readonly text?: string;
  readonly issues: CatalogueIssue[];
}

export function readSourceText(file: string, display: string): SourceText {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    return { issues: [{ file: display, path: '', message: describeReadError(error as NodeJS.ErrnoException) }] };
  }
  try {
    return { text: strictUtf8.decode(bytes), issues: [] };
  } catch {
    return { issues: invalidUtf8Lines(bytes, display) };
  }
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
    issues.push({ file: display, path: '', line: lines[MAX_LINES_LISTED], message: `${message} (and ${lines.length - MAX_LINES_LISTED} more lines like it)` });
  }
  return issues;
}
