/**
 * Reads a catalogue folder:
 *
 *   <dir>/clusters.yaml       environments and clusters
 *   <dir>/credentials.yaml    shared credentials
 *   <dir>/teams/*.yaml|*.ts   one tenant per file (TypeScript modules `export default defineTenant({...})`)
 *
 * Every file is checked against its schema and then the whole catalogue against the cross-file rules; all
 * problems are collected and thrown together as one CatalogueError.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { LineCounter, isNode, parseDocument } from 'yaml';
import type { z } from 'zod';
import type { Catalogue } from './catalogue';
import { CatalogueError, type CatalogueIssue, formatPath } from './errors';
import { clustersFileSchema, credentialsFileSchema, tenantSchema, type Tenant } from './schema';
import { validateCatalogue } from './validate';

export const CATALOGUE_FILES = { clusters: 'clusters.yaml', credentials: 'credentials.yaml', teams: 'teams' } as const;

/** The example catalogue shipped with the product; `npm run synth` uses it unless told otherwise. */
export const EXAMPLE_CATALOGUE_DIR = resolve(__dirname, '..');

interface Parsed<T> {
  readonly value?: T;
  readonly issues: CatalogueIssue[];
}

export function loadCatalogue(dir: string = EXAMPLE_CATALOGUE_DIR): Catalogue {
  const root = resolve(dir);
  const display = (file: string) => relative(process.cwd(), file) || file;
  const clustersFile = join(root, CATALOGUE_FILES.clusters);
  const credentialsFile = join(root, CATALOGUE_FILES.credentials);
  const teamsDir = join(root, CATALOGUE_FILES.teams);

  const clusters = parseYamlFile(clustersFile, display(clustersFile), clustersFileSchema);
  const credentials = parseYamlFile(credentialsFile, display(credentialsFile), credentialsFileSchema);
  const tenantFiles = existsSync(teamsDir)
    ? readdirSync(teamsDir)
        .filter((f) => /\.(ya?ml|ts)$/.test(f) && !f.endsWith('.d.ts'))
        .sort()
        .map((f) => join(teamsDir, f))
    : [];
  const tenants = tenantFiles.map((file) => ({
    file: display(file),
    parsed: file.endsWith('.ts') ? parseModule(file, display(file)) : parseYamlFile(file, display(file), tenantSchema),
  }));

  const issues = [...clusters.issues, ...credentials.issues, ...tenants.flatMap((t) => t.parsed.issues)];
  const loadedTenants = tenants.filter((t): t is { file: string; parsed: { value: Tenant; issues: CatalogueIssue[] } } => t.parsed.value !== undefined);
  const byName = <T extends { name: string }>(items: readonly T[]) => [...items].sort((a, b) => a.name.localeCompare(b.name));

  const catalogue: Catalogue = {
    environments: byName(clusters.value?.environments ?? []),
    clusters: byName(clusters.value?.clusters ?? []),
    credentials: byName(credentials.value?.credentials ?? []),
    tenants: byName(loadedTenants.map((t) => t.parsed.value)),
    sources: {
      clusters: display(clustersFile),
      credentials: display(credentialsFile),
      tenants: Object.fromEntries(loadedTenants.map((t) => [t.parsed.value.name, t.file])),
    },
  };
  // Cross-file rules run on what parsed, so one broken file does not hide the problems of the others.
  issues.push(
    ...validateCatalogue(catalogue, {
      clusters: clusters.value !== undefined,
      credentials: credentials.value !== undefined,
      tenants: loadedTenants.length === tenants.length,
    }),
  );
  if (issues.length > 0) throw new CatalogueError(issues);
  return catalogue;
}

function parseYamlFile<S extends z.ZodType>(file: string, display: string, schema: S): Parsed<z.infer<S>> {
  if (!existsSync(file)) return { issues: [{ file: display, path: '', message: 'file not found' }] };
  const lineCounter = new LineCounter();
  const doc = parseDocument(readFileSync(file, 'utf8'), { lineCounter, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      issues: doc.errors.map((e) => ({ file: display, path: '', line: e.linePos?.[0].line, message: `invalid YAML: ${e.message.split('\n')[0]}` })),
    };
  }
  const lineOf = (path: readonly PropertyKey[]): number | undefined => {
    // Walk up to the nearest node that exists (a missing field is reported at its parent).
    for (let n = path.length; n >= 0; n--) {
      const node = doc.getIn(path.slice(0, n) as unknown[], true);
      if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line;
    }
    return undefined;
  };
  return validate(doc.toJS(), display, schema, lineOf);
}

function parseModule(file: string, display: string): Parsed<Tenant> {
  let exported: unknown;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(file);
    exported = mod?.default ?? mod;
  } catch (error) {
    return { issues: [{ file: display, path: '', message: `cannot load module: ${(error as Error).message.split('\n')[0]}` }] };
  }
  return validate(exported, display, tenantSchema, () => undefined);
}

function validate<S extends z.ZodType>(
  data: unknown,
  display: string,
  schema: S,
  lineOf: (path: readonly PropertyKey[]) => number | undefined,
): Parsed<z.infer<S>> {
  const result = schema.safeParse(data ?? {});
  if (result.success) return { value: result.data, issues: [] };
  return {
    issues: result.error.issues.map((issue) => ({
      file: display,
      path: formatPath(issue.path),
      line: lineOf(issue.path),
      message: describeIssue(issue),
    })),
  };
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_key') return `key "${String(issue.input)}" ${issue.issues.map((i) => i.message).join('; ')}`;
  if (issue.code !== 'unrecognized_keys') return issue.message;
  const fields = issue.keys.map((k) => `"${k}"`).join(', ');
  const hint = issue.keys.includes('value') ? ': secret values never belong in the catalogue; reference a Key Vault secret by name' : '';
  return `unknown field${issue.keys.length > 1 ? 's' : ''} ${fields}${hint}`;
}
