import { formatPath } from './errors';
import type { Cluster, Credential, Environment, Tenant } from './schema';

/** Where each part of a catalogue was read from, so that cross-file errors can name the right file and entry. */
export interface CatalogueSources {
  readonly clusters: string;
  readonly credentials: string;
  /** Tenant name -> file. */
  readonly tenants: Readonly<Record<string, string>>;
  /**
   * Where each entry of the sorted lists is written: for environments, clusters and credentials its index in
   * its file, for tenants its file. Absent for catalogues built in code, whose lists are taken as written.
   */
  readonly written?: {
    readonly environments: readonly number[];
    readonly clusters: readonly number[];
    readonly credentials: readonly number[];
    readonly tenants: readonly string[];
  };
  /** File -> field path (as `formatPath` writes it) -> line, for every field of every YAML file. */
  readonly lines?: Readonly<Record<string, Readonly<Record<string, number>>>>;
}

/** A loaded, validated catalogue. Every list is sorted by name, so everything derived from it is stable. */
export interface Catalogue {
  readonly environments: readonly Environment[];
  readonly clusters: readonly Cluster[];
  readonly credentials: readonly Credential[];
  readonly tenants: readonly Tenant[];
  readonly sources: CatalogueSources;
}

/** The index in its file of the `sorted`-th entry of a list, for error paths that match what the author wrote. */
export function writtenIndex(catalogue: Catalogue, list: 'environments' | 'clusters' | 'credentials', sorted: number): number {
  return catalogue.sources.written?.[list][sorted] ?? sorted;
}

/** The file of the `sorted`-th tenant (two files may declare one tenant name). */
export function tenantFileAt(catalogue: Catalogue, sorted: number): string {
  return catalogue.sources.written?.tenants[sorted] ?? catalogue.sources.tenants[catalogue.tenants[sorted].name];
}

/** The line of a field in a catalogue file, or of its nearest enclosing field; undefined for TypeScript files. */
export function lineAt(sources: CatalogueSources, file: string, path: readonly PropertyKey[]): number | undefined {
  return lineIn(sources.lines?.[file], path);
}

/** The line of a field, or of its nearest enclosing field, in one file's line index. */
export function lineIn(lines: Readonly<Record<string, number>> | undefined, path: readonly PropertyKey[]): number | undefined {
  if (!lines) return undefined;
  for (let n = path.length; n >= 0; n--) {
    const line = lines[formatPath(path.slice(0, n))];
    if (line !== undefined) return line;
  }
  return undefined;
}
