/**
 * Reads a catalogue folder:
 *
 *   <dir>/clusters.yaml       environments and clusters
 *   <dir>/credentials.yaml    shared credentials
 *   <dir>/teams/*.yaml|*.ts   one tenant per file (TypeScript modules `export default defineTenant({...})`)
 *
 * Every file is checked against its schema and then the whole catalogue against the cross-file rules; all
 * problems are collected and thrown together as one CatalogueError, each with its file, line and field path.
 */
import { readdirSync, realpathSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { type Document, LineCounter, isMap, isScalar, isSeq, parseDocument } from 'yaml';
import type { z } from 'zod';
import { type Catalogue, lineIn } from './catalogue';
import { CatalogueError, type CatalogueIssue, formatPath } from './errors';
import { clustersFileSchema, credentialsFileSchema, tenantSchema, type Tenant } from './schema';
import { linksOutOf } from './catalogue-links';
import { closestKey, expectedAt, keysAt, listed } from './key-hints';
import { CATALOGUE_LIMITS, annotationSizeIssues } from './limits';
import { quoted } from './secret-like';
import { linkOutside, readSourceText } from './source-text';
import { type ModuleResult, loadTenantModules } from './tenant-modules';
import { validateCatalogue } from './validate';

export const CATALOGUE_FILES = { clusters: 'clusters.yaml', credentials: 'credentials.yaml', teams: 'teams' } as const;

/** The example catalogue shipped with the product; `npm run synth` uses it unless told otherwise. */
export const EXAMPLE_CATALOGUE_DIR = resolve(__dirname, '..');

/** Aliases a file may expand; more is an alias bomb (billions of nodes from a few lines), not a catalogue. */
const MAX_ALIAS_COUNT = 100;

type Lines = Record<string, number>;

interface Parsed<T> {
  readonly value?: T;
  readonly issues: CatalogueIssue[];
  /** Field path -> line, for YAML files. */
  readonly lines?: Lines;
}

export function loadCatalogue(dir: string = EXAMPLE_CATALOGUE_DIR): Catalogue {
  const root = resolve(dir);
  const display = (file: string) => relative(process.cwd(), file) || file;
  const folderProblem = directoryProblem(root);
  if (folderProblem) throw new CatalogueError([{ file: display(root), path: '', message: `catalogue folder ${folderProblem}` }]);
  // Catalogue files are read only where their real path lies inside this folder (see readSourceText).
  const realRoot = realpathSync(root);
  const clustersFile = display(join(root, CATALOGUE_FILES.clusters));
  const credentialsFile = display(join(root, CATALOGUE_FILES.credentials));
  const teamsDir = join(root, CATALOGUE_FILES.teams);

  const clusters = parseYamlFile(join(root, CATALOGUE_FILES.clusters), clustersFile, realRoot, clustersFileSchema);
  const credentials = parseYamlFile(join(root, CATALOGUE_FILES.credentials), credentialsFile, realRoot, credentialsFileSchema);
  const listing = listTenantFiles(teamsDir, display(teamsDir), realRoot);
  const folder = listing.files.some((f) => f.endsWith('.ts')) ? moduleFolderIssues(realRoot, display) : [];
  const tenants = parseTenantFiles(listing.files, display, realRoot, folder.length === 0);

  const issues = [...clusters.issues, ...credentials.issues, ...listing.issues, ...folder, ...tenants.flatMap((t) => t.parsed.issues)];
  const loadedTenants = tenants.filter(
    (t): t is { file: string; parsed: Parsed<Tenant> & { value: Tenant } } => t.parsed.value !== undefined,
  );
  const environments = sortedByName(clusters.value?.environments ?? []);
  const clusterList = sortedByName(clusters.value?.clusters ?? []);
  const credentialList = sortedByName(credentials.value?.credentials ?? []);
  const tenantList = sortedByName(loadedTenants.map((t) => ({ ...t.parsed.value, file: t.file })));

  const catalogue: Catalogue = {
    environments: environments.map((e) => e.item),
    clusters: clusterList.map((c) => c.item),
    credentials: credentialList.map((c) => c.item),
    tenants: tenantList.map(({ item: { file: _file, ...tenant } }) => tenant),
    sources: {
      clusters: clustersFile,
      credentials: credentialsFile,
      tenants: Object.fromEntries(loadedTenants.map((t) => [t.parsed.value.name, t.file])),
      written: {
        environments: environments.map((e) => e.index),
        clusters: clusterList.map((c) => c.index),
        credentials: credentialList.map((c) => c.index),
        tenants: tenantList.map((t) => t.item.file),
      },
      lines: Object.fromEntries(
        [
          [clustersFile, clusters] as const,
          [credentialsFile, credentials] as const,
          ...tenants.map((t) => [t.file, t.parsed] as const),
        ].flatMap(([file, parsed]) => (parsed.lines ? [[file, parsed.lines]] : [])),
      ),
    },
  };
  // Cross-file rules run on what parsed, so one broken file does not hide the problems of the others.
  issues.push(
    ...validateCatalogue(catalogue, {
      clusters: clusters.value !== undefined,
      credentials: credentials.value !== undefined,
      tenants: loadedTenants.length === tenants.length && listing.issues.length === 0 && folder.length === 0,
    }),
  );
  if (issues.length > 0) throw new CatalogueError(issues);
  return catalogue;
}

/** Entries sorted by name, each with its index in the file, so errors can point where the author wrote it. */
function sortedByName<T extends { name: string }>(items: readonly T[]): { item: T; index: number }[] {
  return items.map((item, index) => ({ item, index })).sort((a, b) => a.item.name.localeCompare(b.item.name) || a.index - b.index);
}

function directoryProblem(path: string): string | undefined {
  try {
    return statSync(path).isDirectory() ? undefined : 'is a file, not a folder';
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'not found' : `cannot be read: ${(error as Error).message}`;
  }
}

function listTenantFiles(teamsDir: string, display: string, realRoot: string): { files: string[]; issues: CatalogueIssue[] } {
  const problem = directoryProblem(teamsDir);
  // Without it every tenant a credential allows would be "unknown": one error that says what is missing instead.
  if (problem === 'not found') {
    return {
      files: [],
      issues: [
        {
          file: display,
          path: '',
          message: `folder ${CATALOGUE_FILES.teams}/ missing: the catalogue keeps one file per tenant there (${CATALOGUE_FILES.teams}/<tenant>.yaml or ${CATALOGUE_FILES.teams}/<tenant>.ts); create it, even empty`,
        },
      ],
    };
  }
  if (problem) return { files: [], issues: [{ file: display, path: '', message: problem }] };
  const outside = linkOutside(teamsDir, realRoot);
  if (outside) return { files: [], issues: [{ file: display, path: '', message: outside }] };
  // Spread: under jest, Node's own arrays belong to another realm, and map/filter would keep them there.
  const files = [...readdirSync(teamsDir)]
    .filter((f) => /\.(ya?ml|ts)$/.test(f) && !f.endsWith('.d.ts'))
    .sort()
    .map((f) => join(teamsDir, f));
  return { files, issues: [] };
}

/** Why TypeScript tenants cannot be run in this catalogue folder: links out of it (see catalogue-links.ts). */
function moduleFolderIssues(realRoot: string, display: (file: string) => string): CatalogueIssue[] {
  const { links, tooMany } = linksOutOf(realRoot);
  const issues: CatalogueIssue[] = links.map(({ link, target }) => ({
    file: display(link),
    path: '',
    message: `is a link to ${target}, outside the catalogue folder; TypeScript tenants may read the catalogue folder, so it may hold no link leading out of it`,
  }));
  if (tooMany) {
    issues.push({
      file: display(realRoot),
      path: '',
      message: `holds more than ${CATALOGUE_LIMITS.folderEntries} files and folders; TypeScript tenants need a catalogue folder of its own that can be searched for links leading out of it`,
    });
  }
  return issues;
}

function parseTenantFiles(
  files: readonly string[],
  display: (file: string) => string,
  realRoot: string,
  runModules: boolean,
): { file: string; parsed: Parsed<Tenant> }[] {
  const read = files.map((file) => ({ file, shown: display(file), source: readSourceText(file, display(file), realRoot) }));
  // Only modules that read as UTF-8 text are imported, each in its own sandbox.
  const modules = read.filter((r) => r.file.endsWith('.ts') && r.source.text !== undefined).map((r) => r.file);
  const notRun: ModuleResult = {
    error: 'not loaded: the catalogue folder holds links leading out of it (listed with this error); remove them',
  };
  const results = modules.length === 0 ? [] : runModules ? loadTenantModules(realRoot, modules) : modules.map(() => notRun);
  const exported = new Map(modules.map((file, i) => [file, results[i]] as const));
  return read.map(({ file, shown, source }) => {
    if (source.text === undefined) return { file: shown, parsed: { issues: source.issues } };
    if (!file.endsWith('.ts')) return { file: shown, parsed: withinLimits(parseYamlText(source.text, shown, tenantSchema), shown) };
    const result = exported.get(file)!;
    if (result.error !== undefined) return { file: shown, parsed: { issues: [{ file: shown, path: '', message: result.error }] } };
    return { file: shown, parsed: withinLimits(validate(result.value, shown, tenantSchema, {}), shown) };
  });
}

/** A valid tenant that synth could write but the API server would refuse becomes issues here, not at apply time. */
function withinLimits(parsed: Parsed<Tenant>, display: string): Parsed<Tenant> {
  if (parsed.value === undefined) return parsed;
  const issues = annotationSizeIssues(parsed.value, display, parsed.lines);
  return issues.length === 0 ? parsed : { issues, lines: parsed.lines };
}

function parseYamlFile<S extends z.ZodType>(file: string, display: string, realRoot: string, schema: S): Parsed<z.infer<S>> {
  const source = readSourceText(file, display, realRoot);
  if (source.text === undefined) return { issues: source.issues };
  return parseYamlText(source.text, display, schema);
}

function parseYamlText<S extends z.ZodType>(text: string, display: string, schema: S): Parsed<z.infer<S>> {
  const lineCounter = new LineCounter();
  // The yaml package's own duplicate-key check compares each key with every earlier one of its mapping: 40,000
  // annotations took 27 s. lineIndex finds duplicates with one set per mapping instead.
  const doc = parseDocument(text, { lineCounter, uniqueKeys: false });
  if (doc.errors.length > 0) {
    return {
      issues: doc.errors.map((e) => ({
        file: display,
        path: '',
        line: e.linePos?.[0].line,
        message: `invalid YAML: ${e.message.split('\n')[0]}`,
      })),
    };
  }
  const { lines, duplicates } = lineIndex(doc, lineCounter);
  if (duplicates.length > 0) {
    return {
      issues: duplicates.map((d) => ({
        file: display,
        path: d.path,
        line: d.line,
        message: `duplicate key "${d.key}"; a key may appear only once in a mapping`,
      })),
    };
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    return {
      issues: [
        { file: display, path: '', message: `invalid YAML: ${(error as Error).message} (more than ${MAX_ALIAS_COUNT} alias expansions)` },
      ],
    };
  }
  return { ...validate(data, display, schema, lines), lines };
}

interface DuplicateKey {
  readonly key: string;
  readonly path: string;
  readonly line?: number;
}

/**
 * The line of every field and list item of a YAML document (a map entry's key line, a list item's own line),
 * and every key that repeats one before it in its mapping. Keys compare as the strings they become in the
 * data, so `1:` and `"1":` are one key, as they would be after loading.
 */
function lineIndex(doc: Document, lineCounter: LineCounter): { lines: Lines; duplicates: DuplicateKey[] } {
  const lines: Lines = { '': 1 };
  const duplicates: DuplicateKey[] = [];
  const walk = (node: unknown, path: PropertyKey[]) => {
    if (isMap(node)) {
      const seen = new Set<string>();
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? pair.key.value : undefined;
        if (typeof key !== 'string' && typeof key !== 'number' && typeof key !== 'boolean' && key !== null) continue;
        const child = [...path, String(key)];
        const line = isScalar(pair.key) && pair.key.range ? lineCounter.linePos(pair.key.range[0]).line : undefined;
        if (seen.has(String(key))) {
          duplicates.push({ key: String(key), path: formatPath(child), line });
          continue;
        }
        seen.add(String(key));
        if (line !== undefined) lines[formatPath(child)] = line;
        walk(pair.value, child);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => {
        const child = [...path, i];
        const range = (item as { range?: [number, number, number] } | null)?.range;
        if (range) lines[formatPath(child)] = lineCounter.linePos(range[0]).line;
        walk(item, child);
      });
    }
  };
  walk(doc.contents, []);
  return { lines, duplicates };
}

function validate<S extends z.ZodType>(data: unknown, display: string, schema: S, lines: Lines): Parsed<z.infer<S>> {
  const result = schema.safeParse(data ?? {});
  if (result.success) return { value: result.data, issues: [] };
  const located = (path: readonly PropertyKey[], message: string): CatalogueIssue => ({
    file: display,
    path: formatPath(path),
    line: lineIn(lines, path as PropertyKey[]),
    message,
  });
  const issues = result.error.issues;
  // A key that is a typo of a missing required one is reported once, as the typo, not again as missing.
  const meant = new Set(
    issues.flatMap((issue) =>
      issue.code === 'unrecognized_keys'
        ? issue.keys.flatMap((k) => closestKey(k, keysAt(schema, issue.path)) ?? []).map((k) => formatPath([...issue.path, k]))
        : [],
    ),
  );
  return {
    issues: issues.flatMap((issue) => {
      if (issue.code === 'unrecognized_keys')
        return issue.keys.map((key) => located(issue.path, unknownKeyMessage(key, schema, issue.path)));
      if (issue.code === 'invalid_type' && valueAt(data, issue.path) === undefined && issue.path.length > 0) {
        if (meant.has(formatPath(issue.path))) return [];
        const expected = expectedAt(schema, issue.path);
        return [
          located(
            issue.path,
            `missing field ${quoted(String(issue.path.at(-1)))}${expected ? ` (${expected})` : ''}${topLevel(schema, issue.path.slice(0, -1))}`,
          ),
        ];
      }
      return [located(issue.path, describeIssue(issue))];
    }),
  };
}

/** How each file's top level is named in a sentence that lists its keys. */
const FILE_KINDS = new Map<z.ZodType, string>([
  [clustersFileSchema, CATALOGUE_FILES.clusters],
  [credentialsFileSchema, CATALOGUE_FILES.credentials],
  [tenantSchema, 'a tenant file'],
]);

/** At a file's top level, the sentence naming its keys (`; clusters.yaml holds environments and clusters`). */
function topLevel(schema: z.ZodType, parent: readonly PropertyKey[]): string {
  const kind = FILE_KINDS.get(schema);
  return parent.length === 0 && kind ? `; ${kind} holds ${listed(keysAt(schema, []))}` : '';
}

function unknownKeyMessage(key: string, schema: z.ZodType, path: readonly PropertyKey[]): string {
  const field = `unknown field ${quoted(key)}`;
  if (key === 'value') return `${field}: secret values never belong in the catalogue; reference a Key Vault secret by name`;
  const allowed = keysAt(schema, path);
  const closest = closestKey(key, allowed);
  const top = topLevel(schema, path);
  if (closest) return `${field}; did you mean ${quoted(closest)}?${top ? top.replace(/^; /, ' ') : ''}`;
  if (top) return `${field}${top}`;
  return allowed.length > 0 ? `${field} (allowed here: ${allowed.join(', ')})` : field;
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let value = data;
  for (const segment of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[segment];
  }
  return value;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  // The key is the last segment of the issue's path (zod leaves `input` unset for keys).
  if (issue.code === 'invalid_key')
    return `key ${quoted(String(issue.input ?? issue.path.at(-1)))} ${issue.issues.map((i) => i.message).join('; ')}`;
  return issue.message;
}
