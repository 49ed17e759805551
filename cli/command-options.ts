/**
 * Options, error reporting and running that `plan` and `report` share, so both read and fail alike.
 */
import { relative, resolve } from 'node:path';
import { type Command, InvalidArgumentError } from 'commander';
import { type CatalogueError, formatIssue } from '../tenants/lib';
import { EXIT } from './exit-codes';

/** Runs a command on the process's arguments; anything it throws is an error (exit 1) named by the command. */
export function runCommand(command: Command): void {
  command.parseAsync(process.argv).catch((error: Error) => {
    console.error(`${command.name()}: ${error.message}`);
    process.exitCode = EXIT.error;
  });
}

/** `--now`: a timestamp, for reproducible output; the clock by default. */
export function parseNow(text: string): Date {
  const now = new Date(text);
  if (Number.isNaN(now.getTime())) throw new InvalidArgumentError(`"${text}" is not a timestamp such as 2026-01-31T00:00:00Z`);
  return now;
}

/** A whole number of days, 0 or more. */
export function parseDays(text: string): number {
  if (!/^\d+$/.test(text)) throw new InvalidArgumentError(`"${text}" is not a whole number of days`);
  return Number(text);
}

/** How a catalogue folder is named in output: relative to the working folder, so output does not vary by machine. */
export function folderLabel(dir: string): string {
  return relative(process.cwd(), resolve(dir)) || '.';
}

/** An invalid catalogue's errors, one per line with file, line and field path. */
export function catalogueErrorsText(which: string, error: CatalogueError): string {
  const count = error.issues.length;
  return [`${which} has ${count} error${count === 1 ? '' : 's'}:`, ...error.issues.map((issue) => `  ${formatIssue(issue)}`)].join('\n');
}
