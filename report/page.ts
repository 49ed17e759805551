/**
 * The access report page's script: reads the embedded data, builds the namespace list once and, on every
 * search or filter change, hides the rows that do not match, redraws the tenants × credentials matrix from the
 * rows still shown and keeps the filters in the URL's fragment, so a link or a reload shows the same. The rows
 * shown download as CSV. Plain DOM, no network, no framework: the page is one file that opens anywhere.
 */
import type { ReportData, ReportNamespace, ReportOwnSecret } from './data';

interface Row {
  readonly namespace: ReportNamespace;
  readonly element: HTMLDivElement;
  /** Everything the row says, lower-cased, for the search box. */
  readonly text: string;
  readonly credentials: ReadonlySet<string>;
}

const data = JSON.parse(byId('report-data').textContent ?? '{}') as ReportData;
const search = byId<HTMLInputElement>('search');
const filters = {
  tenant: byId<HTMLSelectElement>('tenant'),
  credential: byId<HTMLSelectElement>('credential'),
  cluster: byId<HTMLSelectElement>('cluster'),
};
const allowed = new Map(data.credentials.map((c) => [c.name, new Set(c.allowedTenants)]));
const tenantRows = [...document.querySelectorAll<HTMLTableRowElement>('#tenants tbody tr')];
/** How each backend is named next to what an own secret reads there. */
const BACKENDS: Readonly<Record<ReportOwnSecret['backend'], string>> = { keyVault: 'Azure Key Vault', vault: 'HashiCorp Vault' };
/** URL fragment parameter -> control: `#tenant=payments&q=worker`. */
const PARAMETERS = { tenant: filters.tenant, credential: filters.credential, cluster: filters.cluster, q: search } as const;

fillSelect(
  filters.tenant,
  'All tenants',
  data.tenants.map((t) => t.name),
);
fillSelect(
  filters.credential,
  'All credentials',
  data.credentials.map((c) => c.name),
);
fillSelect(
  filters.cluster,
  'All clusters',
  data.clusters.map((c) => c.name),
);
const rows = data.namespaces.map(buildRow);
byId('namespaces-body').append(...rows.map((r) => r.element));
search.addEventListener('input', apply);
for (const select of Object.values(filters)) select.addEventListener('change', apply);
byId('reset').addEventListener('click', () => {
  search.value = '';
  for (const select of Object.values(filters)) select.value = '';
  apply();
});
byId('csv').addEventListener('click', downloadCsv);
readFragment();
apply();
performance.mark('report-rendered');

function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) throw new Error(`the page has no #${id}`);
  return element as T;
}

function element<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, className?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

function fillSelect(select: HTMLSelectElement, all: string, names: readonly string[]): void {
  select.append(new Option(all, ''), ...names.map((name) => new Option(name, name)));
}

/** Sets the controls from the URL's fragment; values the page does not offer are left out. */
function readFragment(): void {
  const parameters = new URLSearchParams(location.hash.slice(1));
  for (const [name, control] of Object.entries(PARAMETERS)) {
    const value = parameters.get(name) ?? '';
    if (control instanceof HTMLSelectElement && ![...control.options].some((o) => o.value === value)) continue;
    control.value = value;
  }
}

/** Writes the controls into the URL's fragment, without a history entry per keystroke. */
function writeFragment(): void {
  const parameters = new URLSearchParams();
  for (const [name, control] of Object.entries(PARAMETERS)) {
    if (control.value !== '') parameters.set(name, control.value);
  }
  const fragment = parameters.toString();
  history.replaceState(null, '', fragment === '' ? location.pathname + location.search : `#${fragment}`);
}

/** What a namespace receives, as the table shows it: one entry per shared credential. */
function deliveryTexts(namespace: ReportNamespace): string[] {
  return namespace.credentials.map(
    ({ credential, formats, pullSecretOf }) =>
      `${credential} as ${formats.join(', ')}${pullSecretOf.length > 0 ? `, pull secret of ServiceAccount ${pullSecretOf.join(', ')}` : ''}`,
  );
}

function readerText(secret: ReportOwnSecret): string {
  return `${secret.global ? ' (global)' : ''}, ${secret.serviceAccount === null ? 'any reader of Secrets here' : `ServiceAccount ${secret.serviceAccount} only`}`;
}

function referencesText(secret: ReportOwnSecret): string {
  return `${BACKENDS[secret.backend]}: ${secret.vaultSecrets.join(', ')}`;
}

function buildRow(namespace: ReportNamespace): Row {
  const row = element('div', undefined, 'row');
  row.setAttribute('role', 'row');
  const cell = (text?: string, className?: string) => {
    const node = element('div', text, className);
    node.setAttribute('role', 'cell');
    return node;
  };
  row.append(cell(namespace.cluster), cell(namespace.tenant), cell(namespace.name, 'name'));
  const credentials = cell();
  namespace.credentials.forEach(({ credential }, i) => {
    const item = element('div', undefined, 'grant');
    item.append(
      element('span', credential, 'credential'),
      element('span', deliveryTexts(namespace)[i].slice(credential.length), 'formats'),
    );
    credentials.append(item);
  });
  const secrets = cell();
  for (const secret of namespace.ownSecrets) {
    const item = element('div', undefined, 'grant');
    // What the secret reads is shown, not hidden in a tooltip: a reviewer signs off on it. The leading space
    // keeps the words apart in the row's text; the block starts a line of its own.
    item.append(
      element('span', secret.name, 'secret'),
      element('span', readerText(secret), 'reader'),
      element('span', ` ${referencesText(secret)}`, 'refs'),
    );
    secrets.append(item);
  }
  row.append(credentials, secrets);
  const words = [
    namespace.cluster,
    namespace.tenant,
    namespace.name,
    ...namespace.credentials.flatMap((c) => [c.credential, ...c.formats, ...c.pullSecretOf]),
    ...namespace.ownSecrets.flatMap((s) => [s.name, s.serviceAccount ?? '', ...s.vaultSecrets]),
  ];
  return {
    namespace,
    element: row,
    text: words.join(' ').toLowerCase(),
    credentials: new Set(namespace.credentials.map((c) => c.credential)),
  };
}

function apply(): void {
  const query = search.value.trim().toLowerCase();
  const [tenant, credential, cluster] = [filters.tenant.value, filters.credential.value, filters.cluster.value];
  const shown = rows.filter((row) => {
    const match =
      (tenant === '' || row.namespace.tenant === tenant) &&
      (cluster === '' || row.namespace.cluster === cluster) &&
      (credential === '' || row.credentials.has(credential)) &&
      (query === '' || row.text.includes(query));
    row.element.hidden = !match;
    return match;
  });
  for (const row of tenantRows) row.hidden = tenant !== '' && row.dataset.tenant !== tenant;
  writeFragment();
  byId('count').textContent = `${shown.length} of ${rows.length} namespaces`;
  byId('empty').hidden = shown.length > 0;
  drawMatrix(shown, credential === '' ? data.credentials.map((c) => c.name) : [credential]);
}

/** Namespaces and clusters in a few characters, so ten credentials fit a laptop screen; the title lists them all. */
function matrixCell(byCluster: ReadonlyMap<string, number>): HTMLTableCellElement {
  const clusters = [...byCluster.keys()];
  const namespaces = [...byCluster.values()].reduce((sum, n) => sum + n, 0);
  const td = element('td', `${namespaces} ns on ${clusters.length === 1 ? clusters[0] : `${clusters.length} clusters`}`, 'has');
  td.title = [...byCluster].map(([cluster, n]) => `${cluster}: ${n} namespace${n === 1 ? '' : 's'}`).join('\n');
  return td;
}

/** Tenants of the shown rows × credentials: on which clusters, in how many of the shown namespaces. */
function drawMatrix(shown: readonly Row[], credentials: readonly string[]): void {
  const counts = new Map<string, Map<string, number>>(); // tenant\0credential -> cluster -> namespaces
  for (const row of shown) {
    for (const credential of row.credentials) {
      const key = `${row.namespace.tenant}\0${credential}`;
      const byCluster = counts.get(key) ?? new Map<string, number>();
      byCluster.set(row.namespace.cluster, (byCluster.get(row.namespace.cluster) ?? 0) + 1);
      counts.set(key, byCluster);
    }
  }
  const head = element('tr');
  head.append(element('th', 'tenant'), ...credentials.map((c) => element('th', c)));
  const body = [...new Set(shown.map((r) => r.namespace.tenant))].map((tenant) => {
    const tr = element('tr');
    tr.append(element('th', tenant));
    for (const credential of credentials) {
      const byCluster = counts.get(`${tenant}\0${credential}`);
      const td = byCluster ? matrixCell(byCluster) : element('td', allowed.get(credential)?.has(tenant) ? 'allowed' : '·', 'none');
      td.addEventListener('click', () => {
        filters.tenant.value = tenant;
        filters.credential.value = credential;
        apply();
      });
      tr.append(td);
    }
    return tr;
  });
  const [thead, tbody] = [element('thead'), element('tbody')];
  thead.append(head);
  tbody.append(...body);
  byId('matrix').replaceChildren(thead, tbody);
}

/** A CSV field (RFC 4180): quoted when it holds a comma, a quote or a line break. */
function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The namespace rows shown, as the table shows them, in a CSV file made in the page: nothing is fetched. */
function downloadCsv(): void {
  const lines = [
    ['cluster', 'tenant', 'namespace', 'shared credentials', 'own secrets'],
    ...rows
      .filter((row) => !row.element.hidden)
      .map(({ namespace }) => [
        namespace.cluster,
        namespace.tenant,
        namespace.name,
        deliveryTexts(namespace).join('; '),
        namespace.ownSecrets.map((s) => `${s.name}${readerText(s)}, ${referencesText(s)}`).join('; '),
      ]),
  ];
  const csv = lines.map((fields) => `${fields.map(csvField).join(',')}\r\n`).join('');
  const link = element('a');
  link.href = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }));
  link.download = `${data.catalogue.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[-.]+|[-.]+$/g, '') || 'catalogue'}-namespaces.csv`;
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 0);
}
