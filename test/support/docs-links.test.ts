/**
 * The documentation cannot rot: every relative link in the README, the documents in docs/ and the other
 * Markdown files a reader lands on points to a file that exists and, with a `#anchor`, to a heading of that
 * file, by GitHub's slug rules. Links inside code (fenced blocks and inline code) are not links. And the code
 * cites the documents by file and heading, `(docs/catalogue.md, "Pull secrets on ServiceAccounts")`: each
 * such heading must exist.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';

const ROOT = join(__dirname, '..', '..');

/** The Markdown files whose links are checked, relative to `root`. */
export function documents(root: string): string[] {
  const docs = existsSync(join(root, 'docs'))
    ? readdirSync(join(root, 'docs'))
        .filter((f) => f.endsWith('.md'))
        .map((f) => `docs/${f}`)
    : [];
  return ['README.md', 'CONTRIBUTING.md', 'SECURITY.md', 'constructs/README.md', ...docs.sort()].filter((f) => existsSync(join(root, f)));
}

/** The lines of a Markdown text outside fenced code blocks, with inline code spans blanked. */
function prose(text: string): { line: number; text: string }[] {
  const lines: { line: number; text: string }[] = [];
  let fence: string | undefined;
  text.split('\n').forEach((raw, i) => {
    const next = fenceAfter(raw, fence);
    if (fence === undefined && !next.isMarker) lines.push({ line: i + 1, text: raw.replace(/(`+)[^`]*?\1/g, (m) => ' '.repeat(m.length)) });
    fence = next.fence;
  });
  return lines;
}

/** GitHub's anchor for a heading: lowercase, punctuation other than `-` and `_` dropped, spaces to `-`. */
export function slug(heading: string): string {
  return heading
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, '')
    .replace(/ /g, '-');
}

/** Whether a line opens or closes a fenced code block, given the fence open so far. */
function fenceAfter(line: string, fence: string | undefined): { fence: string | undefined; isMarker: boolean } {
  const marker = /^\s*(`{3,}|~{3,})/.exec(line)?.[1];
  if (!marker) return { fence, isMarker: false };
  if (fence === undefined) return { fence: marker, isMarker: true };
  const closes = marker[0] === fence[0] && marker.length >= fence.length && line.trim() === marker;
  return { fence: closes ? undefined : fence, isMarker: true };
}

/** The headings of a Markdown file as written (inline code included), in order, outside code blocks. */
function headingTexts(text: string): string[] {
  const result: string[] = [];
  let fence: string | undefined;
  for (const line of text.split('\n')) {
    const next = fenceAfter(line, fence);
    const inside = fence !== undefined || next.isMarker;
    fence = next.fence;
    const heading = inside ? undefined : /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line)?.[1];
    if (heading !== undefined) result.push(heading);
  }
  return result;
}

/** The anchors of a Markdown file's headings, with GitHub's `-1`, `-2` suffixes for repeated ones. */
export function anchors(text: string): Set<string> {
  const seen = new Map<string, number>();
  return new Set(
    headingTexts(text).map((heading) => {
      const base = slug(heading);
      const n = seen.get(base) ?? 0;
      seen.set(base, n + 1);
      return n === 0 ? base : `${base}-${n}`;
    }),
  );
}

/** `file:line: problem` for each relative link of the documents under `root` that leads nowhere. */
export function brokenLinks(root: string, files: readonly string[] = documents(root)): string[] {
  const problems: string[] = [];
  for (const file of files) {
    const path = join(root, file);
    for (const { line, text } of prose(readFileSync(path, 'utf8'))) {
      for (const match of text.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
        const target = match[1];
        if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto: and the like
        const [pathPart, anchor] = target.split('#', 2) as [string, string | undefined];
        const resolved = pathPart === '' ? path : resolve(dirname(path), decodeURIComponent(pathPart));
        const where = `${file}:${line}: ${target}`;
        if (!existsSync(resolved)) {
          problems.push(`${where}: no file ${relative(root, resolved)}`);
          continue;
        }
        if (anchor === undefined) continue;
        if (statSync(resolved).isDirectory() || !resolved.endsWith('.md')) {
          problems.push(`${where}: an anchor into something that is not a Markdown file`);
          continue;
        }
        if (!anchors(readFileSync(resolved, 'utf8')).has(decodeURIComponent(anchor)))
          problems.push(`${where}: no heading #${anchor} in ${relative(root, resolved)}`);
      }
    }
  }
  return problems;
}

/** The code and catalogue files whose comments may cite the documents. */
const CITING = ['cli', 'constructs/src', 'tenants', 'plane', 'stacks', 'test', 'bench', 'scripts', 'report'];

function citingFiles(root: string, dir: string): string[] {
  if (!existsSync(join(root, dir))) return [];
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return entry.name === 'node_modules' || path === 'constructs/src/imports' ? [] : citingFiles(root, path);
    // This file's own cases cite documents that do not exist, on purpose.
    return /\.(ts|js|ya?ml)$/.test(entry.name) && path !== 'test/support/docs-links.test.ts' ? [path] : [];
  });
}

/** `file: citation: problem` for each `(docs/<file>.md, "<heading>")` or `(README.md, ...)` that leads nowhere. */
export function brokenCitations(root: string, files: readonly string[]): string[] {
  const problems: string[] = [];
  for (const file of files) {
    // A citation may run over comment lines: join them, without the comment markers.
    const text = readFileSync(join(root, file), 'utf8').replace(/\n\s*(?:\*(?!\/)|\/\/|#)\s*/g, ' ');
    for (const match of text.matchAll(/\b((?:docs\/[\w-]+|README)\.md),\s+\\?"([^"\\]+)\\?"/g)) {
      const [, doc, heading] = match;
      const where = `${file}: ${doc}, "${heading}"`;
      if (!existsSync(join(root, doc))) problems.push(`${where}: no file ${doc}`);
      else if (!headingTexts(readFileSync(join(root, doc), 'utf8')).includes(heading)) problems.push(`${where}: no such heading in ${doc}`);
    }
  }
  return problems;
}

test('the README and docs/ are there to check', () => {
  expect(documents(ROOT)).toEqual(
    expect.arrayContaining([
      'README.md',
      'docs/architecture.md',
      'docs/catalogue.md',
      'docs/deploying.md',
      'docs/operations.md',
      'docs/testing.md',
    ]),
  );
});

test('every relative link of the documentation leads to a file and, with an anchor, to a heading', () => {
  expect(brokenLinks(ROOT)).toEqual([]);
});

test('every document section the code cites exists', () => {
  const files = CITING.flatMap((dir) => citingFiles(ROOT, dir));
  expect(files).toEqual(
    expect.arrayContaining(['cli/operations/recovery.ts', 'constructs/src/vocabulary/labels.ts', 'tenants/credentials.yaml']),
  );
  expect(brokenCitations(ROOT, files)).toEqual([]);
});

test("anchors follow GitHub's slugs", () => {
  expect(slug('Stack settings (`central-secret-store:<key>`)')).toBe('stack-settings-central-secret-storekey');
  expect(slug("Tenants' own secrets")).toBe('tenants-own-secrets');
  expect(slug('`npm run plan`: who gains or loses which secret, where')).toBe('npm-run-plan-who-gains-or-loses-which-secret-where');
  expect(slug('Access plan: `main` → `tenants`')).toBe('access-plan-main--tenants');
  expect(slug('See [the glossary](x.md#glossary)')).toBe('see-the-glossary');
  expect([...anchors('# A\n## Notes\n```\n## Not a heading\n```\n### Notes\n')]).toEqual(['a', 'notes', 'notes-1']);
});

test('a missing file, a missing heading and a link into code are told apart', () => {
  const root = mkdtempSync(join(tmpdir(), 'css-docs-links-'));
  try {
    writeFileSync(
      join(root, 'README.md'),
      [
        '# Title',
        '## Known heading',
        'Fine: [here](#known-heading), [other](other.md#its-heading), [site](https://example.com/#x).',
        'Broken: [gone](missing.md), [nowhere](#unknown), [there](other.md#nope).',
        '`[not a link](missing-too.md)`',
        '```',
        '[not a link either](missing-as-well.md)',
        '```',
      ].join('\n'),
    );
    writeFileSync(join(root, 'other.md'), '# Its heading\n');
    expect(brokenLinks(root)).toEqual([
      'README.md:4: missing.md: no file missing.md',
      'README.md:4: #unknown: no heading #unknown in README.md',
      'README.md:4: other.md#nope: no heading #nope in other.md',
    ]);
    mkdirSync(join(root, 'docs'));
    writeFileSync(join(root, 'docs', 'guide.md'), '# Guide\n## After an outage: `recover`\n');
    writeFileSync(
      join(root, 'code.ts'),
      [
        '/**',
        ' * Fine (docs/guide.md, "After an outage: `recover`"), across lines (docs/guide.md, "After an',
        ' * outage: `recover`"). Broken (docs/guide.md, "After an outage") and (docs/gone.md, "Guide").',
        ' */',
        '// (README.md, "Known heading"), (README.md, "Title")',
      ].join('\n'),
    );
    expect(brokenCitations(root, ['code.ts'])).toEqual([
      'code.ts: docs/guide.md, "After an outage": no such heading in docs/guide.md',
      'code.ts: docs/gone.md, "Guide": no file docs/gone.md',
    ]);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
