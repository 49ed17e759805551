import { quoted, secretLikeReason } from './secret-like';

/** One problem found in the catalogue, located by file, field path and (for YAML) line. */
export interface CatalogueIssue {
  readonly file: string;
  /** Field path inside the file, e.g. `clusters.aks-weu-prod.namespaces[0].requests[1]`. */
  readonly path: string;
  readonly message: string;
  readonly line?: number;
}

/** Thrown when a catalogue is invalid; carries every issue found, not just the first. */
export class CatalogueError extends Error {
  constructor(readonly issues: readonly CatalogueIssue[]) {
    super(
      `The catalogue has ${issues.length} error${issues.length === 1 ? '' : 's'}; nothing was written:\n` +
        issues.map((i) => `  ${formatIssue(i)}`).join('\n'),
    );
    this.name = 'CatalogueError';
  }
}

export function formatIssue(issue: CatalogueIssue): string {
  const where = issue.line === undefined ? issue.file : `${issue.file}:${issue.line}`;
  return `${where}: ${issue.path || '(file)'}: ${issue.message}`;
}

/**
 * Renders a path as `a.b[0].c`; keys that are not plain identifiers are quoted, and a key that looks like a
 * secret (a value pasted as a map key) is shown by its length only, like every value a message shows.
 */
export function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((segment, i) => {
      if (typeof segment === 'number') return `[${segment}]`;
      const key = String(segment);
      if (secretLikeReason(key) !== undefined) return `[${quoted(key)}]`;
      const plain = /^[A-Za-z0-9_-]+$/.test(key);
      if (plain) return i === 0 ? key : `.${key}`;
      return `[${JSON.stringify(key)}]`;
    })
    .join('');
}
