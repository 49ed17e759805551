/**
 * The access report in a real browser: Debian's Chromium, headless, driven by playwright-core, opening the
 * page from a file:// URL. Asserts on what is shown and on filter interactions, checks the page fetches
 * nothing and holds only names, and prints its size and render and filter times at 150 tenants and 2,000
 * namespaces (printed, never asserted: timings depend on the machine). Screenshots go to test-artifacts/.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type BrowserContext, type Page, chromium } from 'playwright-core';
import { writeCatalogue } from '../../bench/generate-catalogue';
import { type ReportSource, reportData } from '../../cli/review/report-data';
import { reportPage } from '../../cli/review/report-page';
import { type Catalogue, formatsOf, loadCatalogue, ownSecretsOf, parseVaultReference, tenantSpaceOf } from '../../tenants/lib';
import { FIXTURE_CATALOGUE_DIR, vaultFixture, writeFixture } from '../support/fixture-catalogue';
import { tempDir } from '../support/temp-dir';

/** Debian's Chromium (.ci/run installs it); CSS_CHROMIUM points at another Chromium-based browser, such as a CI image's Chrome. */
const CHROMIUM = process.env.CSS_CHROMIUM ?? '/usr/bin/chromium';
const ARTIFACTS = join(__dirname, '..', '..', 'test-artifacts');

let browser: BrowserContext;

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `${CHROMIUM} is missing: install Debian's Chromium (apt-get install -y chromium), as .ci/run does, or set CSS_CHROMIUM`,
    );
  mkdirSync(ARTIFACTS, { recursive: true });
  browser = await chromium.launchPersistentContext(tempDir('css-report-browser-'), {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1440, height: 900 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
});
afterAll(() => browser?.close());

/** Debian's poppler-utils (.ci/run installs it), to read back the text of a printed page. */
const PDFTOTEXT = '/usr/bin/pdftotext';

/** A fixed generation time and commit, so that pages are the same on every run. */
const SOURCE: ReportSource = {
  generatedAt: new Date('2026-12-04T10:30:00Z'),
  commit: '0123456789abcdef0123456789abcdef01234567',
  uncommittedChanges: false,
};

/** Writes the report of a catalogue to test-artifacts/ and opens it; fails on any request beyond the file or any script error. */
async function openReport(
  catalogue: Catalogue,
  name: string,
  viewport?: { width: number; height: number },
): Promise<{ page: Page; html: string; problems: string[] }> {
  const html = reportPage(reportData(catalogue, name, SOURCE));
  const file = join(ARTIFACTS, `${name}.html`);
  writeFileSync(file, html);
  const page = await browser.newPage();
  if (viewport) await page.setViewportSize(viewport);
  const problems: string[] = [];
  page.on('request', (request) => {
    if (request.url() !== `file://${file}`) problems.push(`request: ${request.url()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  await page.goto(`file://${file}`);
  await page.waitForFunction(() => performance.getEntriesByName('report-rendered').length > 0);
  return { page, html, problems };
}

const visibleRows = (page: Page) => page.locator('#namespaces-body .row:not([hidden])');
/**
 * The shown rows' text, cell by cell and grant by grant. Read from the DOM rather than as rendered text: rows
 * scrolled out of view skip rendering (content-visibility), and their rendered text can be empty until painted.
 */
const rowTexts = (page: Page) =>
  visibleRows(page).evaluateAll((rows) =>
    rows.map((row) =>
      [...row.children]
        .map((cell) => (cell.children.length > 0 ? [...cell.children].map((grant) => grant.textContent).join(' ') : cell.textContent))
        .join(' ')
        .replace(/\s+/g, ' ')
        .trim(),
    ),
  );

/** Every string and every key in the page's embedded data. */
function embeddedData(html: string): { strings: Set<string>; keys: Set<string> } {
  const json = /<script id="report-data" type="application\/json">(.*?)<\/script>/s.exec(html)![1];
  const strings = new Set<string>();
  const keys = new Set<string>();
  const walk = (value: unknown): void => {
    if (typeof value === 'string') strings.add(value);
    else if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) {
        keys.add(k);
        walk(v);
      }
    }
  };
  walk(JSON.parse(json));
  return { strings, keys };
}

/**
 * Everything the catalogue names, and the names it implies (default formats, owners as "Kind name", an own
 * secret's Vault references as `<the tenant's space>/<path>#<field>`).
 */
function catalogueStrings(catalogue: Catalogue, label: string): Set<string> {
  // Besides names: where the report came from, and each own secret's backend (the environment's field name).
  const strings = new Set<string>([label, '', SOURCE.generatedAt.toISOString(), SOURCE.commit!, 'keyVault', 'vault']);
  const walk = (value: unknown): void => {
    if (typeof value === 'string') strings.add(value);
    else if (value && typeof value === 'object') Object.values(value).forEach(walk);
  };
  walk({
    environments: catalogue.environments,
    clusters: catalogue.clusters,
    credentials: catalogue.credentials,
    tenants: catalogue.tenants,
  });
  for (const credential of catalogue.credentials) formatsOf(credential).forEach((f) => strings.add(f.id));
  for (const tenant of catalogue.tenants) tenant.owners.forEach((o) => strings.add(`${o.kind} ${o.name}`));
  for (const { vault } of catalogue.environments) {
    for (const { tenant, secret } of vault ? ownSecretsOf(catalogue) : []) {
      const { namespace, mount } = tenantSpaceOf(vault!, tenant);
      for (const [key, reference] of Object.entries(secret.vault ?? {})) {
        const { path, field } = parseVaultReference(reference, key);
        strings.add(`${[namespace, mount].filter(Boolean).join('/')}/${path}#${field}`);
      }
    }
  }
  return strings;
}

const DATA_FIELDS = [
  'catalogue',
  'clusters',
  'credentials',
  'tenants',
  'namespaces',
  'name',
  'environment',
  'kind',
  'description',
  'allowedTenants',
  'formats',
  'owners',
  'cluster',
  'tenant',
  'credential',
  'ownSecrets',
  'global',
  'serviceAccount',
  'vaultSecrets',
  'pullSecretOf',
  'backend',
  'generatedAt',
  'commit',
  'uncommittedChanges',
];

describe('access report page in Chromium', () => {
  test('the example: who has what, a filter by credential, a search, a click on the matrix', async () => {
    const catalogue = loadCatalogue(FIXTURE_CATALOGUE_DIR);
    const { page, problems } = await openReport(catalogue, 'access-report-example');
    await expect(page.textContent('#count')).resolves.toBe('15 of 15 namespaces');
    const rows = await rowTexts(page);
    expect(rows).toHaveLength(15);
    expect(rows).toContain(
      'aks-weu-prod payments payments-api acr-pull as dockerconfigjson, pull secret of ServiceAccount default datadog-api as opaque entra-oauth-client as oauth ' +
        'ghcr-pull as dockerconfigjson, kargo, pull secret of ServiceAccount default, settlement-worker wildcard-tls as mapping, tls ' +
        'payments-feature-flags (global), any reader of Secrets here Azure Key Vault: payments--feature-flags ' +
        'postgres, any reader of Secrets here Azure Key Vault: payments--postgres-password, payments--postgres-username ' +
        'settlement-signing-key, ServiceAccount settlement-worker only Azure Key Vault: payments--settlement-signing-key',
    );
    const matrixRow = async (tenant: string) =>
      (await page.locator('#matrix tbody tr', { has: page.locator(`th:text-is("${tenant}")`) }).innerText())
        .split('\t')
        .map((c) => c.trim());
    await expect(page.locator('#matrix thead th').allInnerTexts()).resolves.toEqual([
      'tenant',
      ...catalogue.credentials.map((c) => c.name),
    ]);
    // acr-pull, datadog-api, edge-gateway-tls, entra-oauth-client, ghcr-pull, github-gitops, gitlab-deploy-key, wildcard-tls
    expect(await matrixRow('search')).toEqual([
      'search',
      '3 ns on 2 clusters',
      '3 ns on 2 clusters',
      '·',
      '3 ns on 2 clusters',
      '3 ns on 2 clusters',
      '·',
      '·',
      '1 ns on aks-weu-prod',
    ]);

    await page.selectOption('#credential', 'wildcard-tls');
    await expect(page.textContent('#count')).resolves.toBe('2 of 15 namespaces');
    expect((await rowTexts(page)).map((r) => r.split(' ').slice(0, 3).join(' '))).toEqual([
      'aks-weu-prod payments payments-api',
      'aks-weu-prod search search-api',
    ]);
    await expect(page.locator('#matrix thead th').allInnerTexts()).resolves.toEqual(['tenant', 'wildcard-tls']);
    await expect(page.locator('#matrix tbody th').allInnerTexts()).resolves.toEqual(['payments', 'search']);

    await page.click('#reset');
    await page.fill('#search', 'SETTLEMENT-worker');
    expect((await rowTexts(page)).map((r) => r.split(' ')[2])).toEqual(['payments-api']);
    await page.fill('#search', 'no such thing');
    await expect(visibleRows(page).count()).resolves.toBe(0);
    await expect(page.isVisible('#empty')).resolves.toBe(true);

    await page.click('#reset');
    await page
      .locator('#matrix tbody tr', { has: page.locator('th:text-is("data-science")') })
      .locator('td')
      .nth(6)
      .click(); // gitlab-deploy-key
    await expect(page.inputValue('#tenant')).resolves.toBe('data-science');
    await expect(page.inputValue('#credential')).resolves.toBe('gitlab-deploy-key');
    expect((await rowTexts(page)).map((r) => r.split(' ').slice(0, 3).join(' '))).toEqual([
      'aks-weu-staging data-science ds-pipelines',
      'k3s-onprem-01 data-science ds-training',
    ]);

    await page.click('#reset');
    await page.screenshot({ path: join(ARTIFACTS, 'access-report-example.png'), fullPage: true });
    expect(problems).toEqual([]);
    await page.close();
  });

  test('the page holds only names from the catalogue, in the fields of the report data, never a value', () => {
    const catalogue = loadCatalogue(FIXTURE_CATALOGUE_DIR);
    const { strings, keys } = embeddedData(reportPage(reportData(catalogue, 'tenants', SOURCE)));
    const known = catalogueStrings(catalogue, 'tenants');
    expect([...strings].filter((s) => !known.has(s))).toEqual([]);
    expect([...keys].filter((k) => !DATA_FIELDS.includes(k))).toEqual([]);
    // The vault secrets appear by name, as the catalogue names them, and only the tenants' own.
    expect(strings).toContain('payments--settlement-signing-key');
    expect(strings).not.toContain('ghcr-pull-token');
  });

  test('150 tenants and 2,000 namespaces: usable, with size, render and filter times printed', async () => {
    const dir = tempDir('css-report-scale-');
    writeCatalogue(dir, { clusters: 10, tenants: 150, namespaces: 2000, credentials: 10 });
    const catalogue = loadCatalogue(dir);
    const { page, html, problems } = await openReport(catalogue, 'access-report-150-tenants');
    await expect(page.textContent('#count')).resolves.toBe('2000 of 2000 namespaces');
    // The generator gives each tenant up to 14 namespaces, so the last few tenants have none and no matrix row.
    const placed = catalogue.tenants.filter((t) => Object.keys(t.clusters).length > 0);
    await expect(page.locator('#matrix tbody tr').count()).resolves.toBe(placed.length);

    // The callbacks run in the page; this project has no DOM types, so the page's objects are untyped here.
    const rendered = await page.evaluate(() => ({
      rendered: performance.getEntriesByName('report-rendered')[0].startTime,
      loaded: (performance.getEntriesByType('navigation' as never)[0] as unknown as { loadEventEnd: number }).loadEventEnd,
    }));
    /** Runs a filter change in the page and times it up to the next layout. */
    const timeFilter = (id: string, value: string) =>
      page.evaluate(
        ([id, value]) => {
          const document = (globalThis as any).document;
          const control = document.getElementById(id);
          const start = performance.now();
          control.value = value;
          control.dispatchEvent(new Event(control.tagName === 'SELECT' ? 'change' : 'input'));
          void document.body.offsetHeight;
          return performance.now() - start;
        },
        [id, value],
      );
    const byTenant = await timeFilter('tenant', 'tenant-42');
    const expected = catalogue.tenants.find((t) => t.name === 'tenant-42')!;
    const namespaces = Object.values(expected.clusters)
      .flatMap((p) => p.namespaces.map((n) => n.name))
      .sort();
    expect((await rowTexts(page)).map((r) => r.split(' ')[2]).sort()).toEqual(namespaces);
    await page.click('#reset');
    const bySearch = await timeFilter('search', 'ns-7');
    await expect(page.textContent('#count')).resolves.toBe(
      `${placed.filter((t) => Object.values(t.clusters).some((p) => p.namespaces.some((n) => n.name.endsWith('-ns-7')))).length} of 2000 namespaces`,
    );
    const reset = await timeFilter('search', '');

    await page.selectOption('#tenant', 'tenant-42');
    await page.screenshot({ path: join(ARTIFACTS, 'access-report-150-tenants.png') });
    console.log(
      [
        'access report at 150 tenants, 2,000 namespaces, 10 credentials, 10 clusters:',
        `  page ${Buffer.byteLength(html).toLocaleString('en-US')} bytes`,
        `  rendered ${rendered.rendered.toFixed(0)} ms after navigation start, load event at ${rendered.loaded.toFixed(0)} ms`,
        `  filter by tenant ${byTenant.toFixed(1)} ms, search ${bySearch.toFixed(1)} ms, clear search ${reset.toFixed(1)} ms`,
      ].join('\n'),
    );
    const { strings } = embeddedData(html);
    const known = catalogueStrings(catalogue, 'access-report-150-tenants');
    expect([...strings].filter((s) => !known.has(s))).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  });
});

describe('access report page fit for sign-off', () => {
  const fixture = () => loadCatalogue(writeFixture(vaultFixture()));

  test('says where it comes from, labels each vault reference by its backend, and shows owners and references as text', async () => {
    const { page, problems } = await openReport(fixture(), 'access-report-fixture');
    await expect(page.textContent('header .source')).resolves.toBe(
      "Generated 2026-12-04 10:30 UTC from commit 0123456789ab of the catalogue's repository.",
    );
    const rows = await rowTexts(page);
    expect(rows).toEqual([
      'c1 alpha alpha-app registry as dockerconfigjson db, any reader of Secrets here Azure Key Vault: alpha--db-password signing, ServiceAccount signer only Azure Key Vault: alpha--signing-key',
      'v1 alpha alpha-lab registry as dockerconfigjson db, any reader of Secrets here HashiCorp Vault: css-tenant-alpha/db#pw, css-tenant-alpha/db#username flags (global), any reader of Secrets here HashiCorp Vault: css-tenant-alpha/app/flags#json',
      'v2 alpha alpha-lab registry as dockerconfigjson',
      'c1 beta beta-app',
      'v1 beta beta-lab',
    ]);
    // Visible as text, not in a tooltip.
    await expect(
      page.locator('#namespaces-body .refs', { hasText: 'HashiCorp Vault: css-tenant-alpha/app/flags#json' }).isVisible(),
    ).resolves.toBe(true);
    await expect(page.locator('#tenants tbody tr').allInnerTexts()).resolves.toEqual([
      'alpha\tGroup alpha-admins\t',
      'beta\tUser beta@example.com\t',
    ]);
    await page.selectOption('#tenant', 'beta');
    await expect(page.locator('#tenants tbody tr:not([hidden])').allInnerTexts()).resolves.toEqual(['beta\tUser beta@example.com\t']);
    expect(problems).toEqual([]);
    await page.close();
  });

  test('a catalogue outside git, or with uncommitted changes, says so', () => {
    const catalogue = fixture();
    expect(reportPage(reportData(catalogue, 'x', { generatedAt: SOURCE.generatedAt, commit: null, uncommittedChanges: false }))).toContain(
      '<p class="source">Generated 2026-12-04 10:30 UTC from a catalogue folder outside git.</p>',
    );
    expect(reportPage(reportData(catalogue, 'x', { ...SOURCE, uncommittedChanges: true }))).toContain(
      '<p class="source">Generated 2026-12-04 10:30 UTC from commit <code>0123456789ab</code> of the catalogue\'s repository, with uncommitted changes to the catalogue.</p>',
    );
  });

  test('printed, it shows every namespace row, not only those of an inner scroller', async () => {
    if (!existsSync(PDFTOTEXT))
      throw new Error(`${PDFTOTEXT} is missing: install Debian's poppler-utils (apt-get install -y poppler-utils), as .ci/run does`);
    const dir = tempDir('css-report-print-');
    writeCatalogue(dir, { clusters: 3, tenants: 6, namespaces: 40, credentials: 4 });
    const { page, problems } = await openReport(loadCatalogue(dir), 'access-report-print');
    const names = (await rowTexts(page)).map((r) => r.split(' ')[2]);
    expect(names).toHaveLength(40);
    const pdf = join(ARTIFACTS, 'access-report-print.pdf');
    await page.pdf({ path: pdf, format: 'A4', printBackground: true });
    const text = execFileSync(PDFTOTEXT, ['-layout', pdf, '-'], { encoding: 'utf8' });
    expect(names.filter((name) => !new RegExp(`(^|\\s)${name}(\\s|$)`, 'm').test(text))).toEqual([]);
    // Controls make no sense on paper.
    expect(text).not.toContain('Reset');
    expect(problems).toEqual([]);
    await page.close();
  });

  test("at 420 px wide nothing in the header, the controls or the namespace table's head overlaps, collapses or leaves the screen", async () => {
    const { page, problems } = await openReport(fixture(), 'access-report-420px', { width: 420, height: 860 });
    await page.screenshot({ path: join(ARTIFACTS, 'access-report-420px.png'), fullPage: true });
    const boxes = await page
      .locator('header > *, .controls > *, #namespaces .head > *, #namespaces-body .row:first-child > *')
      .evaluateAll((elements) =>
        elements.map((e) => {
          const r = e.getBoundingClientRect();
          const what = `${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ''}${e.className ? `.${e.className}` : ''} "${(e.textContent ?? '').slice(0, 30)}"`;
          return {
            what,
            left: r.left,
            right: r.right,
            top: r.top,
            bottom: r.bottom,
            width: r.width,
            height: r.height,
            head: e.getAttribute('role') === 'columnheader',
          };
        }),
      );
    expect(boxes.filter((b) => b.width === 0).map((b) => b.what)).toEqual([]);
    expect(boxes.filter((b) => b.left < 0 || b.right > 420).map((b) => b.what)).toEqual([]);
    // A column head squeezed to a letter a line is collapsed: each stays within two lines.
    expect(boxes.filter((b) => b.head && b.height > 48).map((b) => `${b.what}: ${b.height}px tall`)).toEqual([]);
    const overlapping = boxes.flatMap((a, i) =>
      boxes
        .slice(i + 1)
        .filter((b) => a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5)
        .map((b) => `${a.what} and ${b.what}`),
    );
    expect(overlapping).toEqual([]);
    await expect(page.evaluate(() => (globalThis as any).document.documentElement.scrollWidth)).resolves.toBeLessThanOrEqual(420);
    expect(problems).toEqual([]);
    await page.close();
  });

  test('filters are kept in the URL and restored on reload', async () => {
    const { page, problems } = await openReport(fixture(), 'access-report-url');
    await page.selectOption('#tenant', 'alpha');
    await page.selectOption('#cluster', 'v1');
    await page.fill('#search', 'flags json');
    await page.fill('#search', 'flags');
    // Read in the page: Playwright's page.url() learns of replaceState a moment later.
    const hash = () => page.evaluate(() => (globalThis as any).location.hash);
    await expect(hash()).resolves.toBe('#tenant=alpha&cluster=v1&q=flags');
    await page.reload();
    await page.waitForFunction(() => performance.getEntriesByName('report-rendered').length > 0);
    await expect(page.inputValue('#tenant')).resolves.toBe('alpha');
    await expect(page.inputValue('#cluster')).resolves.toBe('v1');
    await expect(page.inputValue('#search')).resolves.toBe('flags');
    await expect(page.inputValue('#credential')).resolves.toBe('');
    await expect(page.textContent('#count')).resolves.toBe('1 of 5 namespaces');
    await page.click('#reset');
    await expect(hash()).resolves.toBe('');
    expect(problems).toEqual([]);
    await page.close();
  });

  test('exports the shown namespace rows as CSV, without the network', async () => {
    const { page, problems } = await openReport(fixture(), 'access-report-csv');
    const csv = async () => {
      const [download] = await Promise.all([page.waitForEvent('download'), page.click('#csv')]);
      expect(download.suggestedFilename()).toBe('access-report-csv-namespaces.csv');
      return readFileSync((await download.path())!, 'utf8');
    };
    expect(await csv()).toBe(
      [
        'cluster,tenant,namespace,shared credentials,own secrets',
        'c1,alpha,alpha-app,registry as dockerconfigjson,"db, any reader of Secrets here, Azure Key Vault: alpha--db-password; signing, ServiceAccount signer only, Azure Key Vault: alpha--signing-key"',
        'v1,alpha,alpha-lab,registry as dockerconfigjson,"db, any reader of Secrets here, HashiCorp Vault: css-tenant-alpha/db#pw, css-tenant-alpha/db#username; flags (global), any reader of Secrets here, HashiCorp Vault: css-tenant-alpha/app/flags#json"',
        'v2,alpha,alpha-lab,registry as dockerconfigjson,',
        'c1,beta,beta-app,,',
        'v1,beta,beta-lab,,',
        '',
      ].join('\r\n'),
    );
    await page.selectOption('#tenant', 'beta');
    expect(await csv()).toBe(
      ['cluster,tenant,namespace,shared credentials,own secrets', 'c1,beta,beta-app,,', 'v1,beta,beta-lab,,', ''].join('\r\n'),
    );
    expect(problems).toEqual([]);
    await page.close();
  });
});
