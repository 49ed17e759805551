/**
 * The access report as one self-contained HTML file: the style, the script (report/page.ts, compiled here)
 * and the data inline, and a Content-Security-Policy that forbids the page any network access, so it can be
 * attached to a review, mailed or opened from disk and shows the same thing everywhere.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { transformSync } from 'esbuild';
import type { ReportData } from '../../report/data';

const ASSETS = join(__dirname, '..', '..', 'report');

/** Inline style and script only; nothing may be fetched. */
const CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'";

/** The page's generator: how `report --out` knows a page it wrote before, which it may replace. */
export const REPORT_GENERATOR = 'central-secret-store report';

export function reportPage(data: ReportData): string {
  const summary = [
    count(data.tenants.length, 'tenant'),
    count(data.namespaces.length, 'namespace'),
    count(data.credentials.length, 'shared credential'),
    count(data.clusters.length, 'cluster'),
  ].join(', ');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="${REPORT_GENERATOR}">
<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">
<title>Who has what: ${escapeHtml(data.catalogue)}</title>
<style>
${readFileSync(join(ASSETS, 'page.css'), 'utf8')}</style>
</head>
<body>
<header>
<h1>Who has what</h1>
<p class="summary">Catalogue <code>${escapeHtml(data.catalogue)}</code>: ${summary}. Names only: the catalogue holds no secret value, and neither does this page.</p>
<p class="source">${sourceLine(data)}</p>
</header>
<main>
<div class="controls">
<input type="search" id="search" placeholder="Search tenants, namespaces, credentials, secrets, ServiceAccounts" aria-label="Search">
<select id="tenant" aria-label="Tenant"></select>
<select id="credential" aria-label="Credential"></select>
<select id="cluster" aria-label="Cluster"></select>
<button type="button" id="reset">Reset</button>
<button type="button" id="csv" title="The namespaces shown, as a CSV file">Download CSV</button>
<span id="count"></span>
</div>
<h2>Tenants and their owners</h2>
<p class="note">The owners administer the tenant's namespaces: they are bound to the tenant owner role in each, and sign off for them.</p>
<div class="scroll"><table id="tenants"><thead><tr><th>tenant</th><th>owners</th><th>description</th></tr></thead><tbody>
${data.tenants.map((t) => `<tr data-tenant="${escapeHtml(t.name)}"><th>${escapeHtml(t.name)}</th><td>${escapeHtml(t.owners.join(', '))}</td><td>${escapeHtml(t.description)}</td></tr>`).join('\n')}
</tbody></table></div>
<h2>Tenants × credentials</h2>
<p class="note">On which clusters each tenant's namespaces (those shown below) receive each credential, and in how many; "allowed": the tenant may request it and does not. Click a cell to filter by it.</p>
<div class="scroll"><table id="matrix"></table></div>
<h2>Namespaces</h2>
<div class="scroll" id="namespaces" role="table" aria-label="Namespaces">
<div class="row head" role="row"><div role="columnheader">cluster</div><div role="columnheader">tenant</div><div role="columnheader">namespace</div><div role="columnheader">shared credentials, as formats</div><div role="columnheader">own secrets, readable by</div></div>
<div id="namespaces-body" role="rowgroup"></div>
<p id="empty" hidden>No namespace matches.</p>
</div>
</main>
<script id="report-data" type="application/json">${JSON.stringify(data).replace(/</g, '\\u003c')}</script>
<script type="module">
${pageScript()}</script>
</body>
</html>
`;
}

/** report/page.ts as JavaScript; a module script, so its type-only import compiles to nothing that loads. */
function pageScript(): string {
  const source = readFileSync(join(ASSETS, 'page.ts'), 'utf8');
  return transformSync(source, { loader: 'ts', format: 'esm', target: 'es2020' }).code;
}

/** When the report was generated and from which commit of the catalogue, so a signed-off copy says what it covers. */
function sourceLine(data: ReportData): string {
  const at = `Generated ${data.generatedAt.slice(0, 10)} ${data.generatedAt.slice(11, 16)} UTC`;
  if (data.commit === null) return `${at} from a catalogue folder outside git.`;
  const changes = data.uncommittedChanges ? ', with uncommitted changes to the catalogue' : '';
  return `${at} from commit <code>${escapeHtml(data.commit.slice(0, 12))}</code> of the catalogue's repository${changes}.`;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function count(n: number, word: string): string {
  return `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;
}
