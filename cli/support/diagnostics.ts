/**
 * A catalogue's errors and warnings for machines: as JSON (`--json`, under `diagnostics`) and as GitHub
 * Actions annotations (`--github`, and by default when GITHUB_ACTIONS=true), so a pull request shows each
 * problem on its file and line. People get the same problems as text on stderr either way.
 */
import type { CatalogueIssue } from '../../tenants/lib';

export interface Diagnostic {
  /** The file, as the text names it (relative to the working folder; `<ref>:<path>` for a base at a ref). */
  readonly file: string;
  /** Its line, for YAML files; null for TypeScript tenants and whole-file problems. */
  readonly line: number | null;
  /** The field path inside the file, '' for the whole file. */
  readonly path: string;
  readonly message: string;
  readonly severity: 'error' | 'warning';
}

export function diagnosticsOf(errors: readonly CatalogueIssue[], warnings: readonly CatalogueIssue[] = []): Diagnostic[] {
  const of =
    (severity: Diagnostic['severity']) =>
    (issue: CatalogueIssue): Diagnostic => ({
      file: issue.file,
      line: issue.line ?? null,
      path: issue.path,
      message: issue.message,
      severity,
    });
  return [...errors.map(of('error')), ...warnings.map(of('warning'))];
}

/**
 * `::error file=…,line=…,title=…::message`. The runner unescapes `%25`, `%0D`, `%0A` in the message and also
 * `%3A`, `%2C` in properties (actions/toolkit's escapeData and escapeProperty): escaping them keeps a field
 * path or message from ending the command early or starting a second one on a new line.
 */
export function githubAnnotation(diagnostic: Diagnostic): string {
  const properties = [
    `file=${escapeProperty(diagnostic.file)}`,
    ...(diagnostic.line === null ? [] : [`line=${diagnostic.line}`]),
    `title=${escapeProperty(diagnostic.path || 'central-secret-store')}`,
  ];
  return `::${diagnostic.severity} ${properties.join(',')}::${escapeData(diagnostic.message)}`;
}

const escapeData = (text: string) => text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (text: string) => escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');

/** Whether to print annotations: `--github`, or running in GitHub Actions; never with `--json`, which owns stdout. */
export function annotating(options: { readonly github?: boolean; readonly json?: boolean }): boolean {
  if (options.json) return false;
  return options.github === true || process.env.GITHUB_ACTIONS === 'true';
}

/** Prints the annotations on stdout, where the runner reads workflow commands. */
export function printAnnotations(diagnostics: readonly Diagnostic[]): void {
  for (const diagnostic of diagnostics) console.log(githubAnnotation(diagnostic));
}
