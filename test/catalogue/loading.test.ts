/**
 * Reading a catalogue as a hostile or careless author would leave it: files that are not UTF-8, folders and
 * dangling links where files belong, alias bombs, entries out of name order, and TypeScript tenants that
 * throw, exit or export the wrong shape. Every problem names its file (and line where there is one), and all
 * are reported at once.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { stringify } from 'yaml';
import { CATALOGUE_LIMITS, type CatalogueIssue, loadCatalogue, loadTenantModules } from '../../tenants/lib';
import { tempDir } from '../support/temp-dir';
import { type FixtureCatalogue, catalogueIssues, validFixture, writeFixture } from '../support/fixture-catalogue';

const issuesIn = catalogueIssues;

const fixtureWith = (edit: (dir: string) => void, fixture: FixtureCatalogue = validFixture()) => {
  const dir = writeFixture(fixture);
  edit(dir);
  return dir;
};
const where = (dir: string, issue: CatalogueIssue) => `${relative(dir, resolve(issue.file))}${issue.line === undefined ? '' : `:${issue.line}`} ${issue.path}`;

/** A tenant module; `body` runs at import, before the default export. */
const tenantModule = (name: string, body = '') =>
  `${body}\nexport default { name: '${name}', owners: [{ kind: 'Group', name: '${name}-admins' }], clusters: { c1: { namespaces: [{ name: '${name}-app' }] } } };\n`;

describe('catalogue files', () => {
  test('bytes that are not UTF-8 are refused with the file and every line holding them', () => {
    const dir = fixtureWith((d) => {
      const yaml = Buffer.from(stringify(validFixture().teams.beta), 'utf8');
      const lines = yaml.toString('utf8').split('\n');
      // Latin-1 "é" on line 2, and a lone continuation byte on line 4.
      const broken = Buffer.concat(lines.map((l, i) => Buffer.concat([Buffer.from(l, 'utf8'), i === 1 || i === 3 ? Buffer.from([0xe9]) : Buffer.alloc(0), Buffer.from(i < lines.length - 1 ? '\n' : '')])));
      writeFileSync(join(d, 'teams', 'beta.yaml'), broken);
      writeFileSync(join(d, 'teams', 'gamma.ts'), Buffer.concat([Buffer.from("export default { name: 'gamma' };\n// "), Buffer.from([0xc3, 0x28]), Buffer.from('\n')]));
    });
    const issues = issuesIn(dir);
    expect(issues.map((i) => where(dir, i)).sort()).toEqual(['teams/beta.yaml:2 ', 'teams/beta.yaml:4 ', 'teams/gamma.ts:2 ']);
    for (const issue of issues) expect(issue.message).toMatch(/is not valid UTF-8/);
  });

  test('a folder, a dangling link or a missing file where a file belongs is named, along with every other problem', () => {
    const fixture = validFixture();
    (fixture.teams.beta.clusters as any).c1.namespaces[0].name = 'Bad';
    const dir = fixtureWith((d) => {
      rmSync(join(d, 'credentials.yaml'));
      mkdirSync(join(d, 'credentials.yaml'));
      mkdirSync(join(d, 'teams', 'folder.yaml'));
      symlinkSync(join(d, 'does-not-exist.yaml'), join(d, 'teams', 'dangling.yaml'));
    }, fixture);
    const issues = issuesIn(dir);
    expect(issues.map((i) => `${where(dir, i)}: ${i.message}`)).toEqual([
      'credentials.yaml : is a directory, not a file',
      `teams/beta.yaml:${issues.find((i) => i.file.endsWith('beta.yaml'))?.line} clusters.c1.namespaces[0].name: ${issues.find((i) => i.file.endsWith('beta.yaml'))?.message}`,
      'teams/dangling.yaml : file not found',
      'teams/folder.yaml : is a directory, not a file',
    ]);
    expect(issues.find((i) => i.file.endsWith('beta.yaml'))?.message).toMatch(/DNS-1123 label/);
  });

  test('a missing catalogue folder, a file given as the folder, and teams/ as a file are named', () => {
    expect(issuesIn('/nonexistent/catalogue').map((i) => `${resolve(i.file)}: ${i.message}`)).toEqual(['/nonexistent/catalogue: catalogue folder not found']);
    const file = join(writeFixture(validFixture()), 'clusters.yaml');
    expect(issuesIn(file).map((i) => i.message)).toEqual(['catalogue folder is a file, not a folder']);
    const dir = fixtureWith((d) => {
      rmSync(join(d, 'teams'), { recursive: true });
      writeFileSync(join(d, 'teams'), 'not a folder');
    });
    expect(issuesIn(dir).map((i) => `${where(dir, i)}: ${i.message}`)).toContain('teams : is a file, not a folder');
  });

  test('a YAML alias bomb is refused, naming the file, without expanding it', () => {
    const levels = Array.from({ length: 9 }, (_, i) => `l${i + 1}: &l${i + 1} [${Array(9).fill(`*l${i}`).join(', ')}]`);
    const dir = fixtureWith((d) => writeFileSync(join(d, 'teams', 'bomb.yaml'), ['l0: &l0 [lol]', ...levels, 'name: bomb'].join('\n')));
    const [issue, ...rest] = issuesIn(dir);
    expect(rest).toEqual([]);
    expect(where(dir, issue)).toBe('teams/bomb.yaml ');
    expect(issue.message).toMatch(/^invalid YAML: .*alias/);
  });

  test('cross-file errors in clusters.yaml and credentials.yaml point at the entry as written, with its line', () => {
    const fixture = validFixture();
    // Written first, sorted last: its index in the file is 0, its index by name is 1.
    fixture.credentials.credentials.unshift({ name: 'zeta', kind: 'generic', keyVault: { token: 'zeta-token' }, allowedTenants: ['nobody'] });
    fixture.clusters.clusters.unshift({ name: 'z9', environment: 'staging', kind: 'aks', region: 'westeurope' });
    const dir = writeFixture(fixture);
    const lineOf = (file: string, text: string) => readFileSync(join(dir, file), 'utf8').split('\n').findIndex((l) => l.includes(text)) + 1;
    const issues = issuesIn(dir);
    expect(issues.map((i) => `${where(dir, i)}: ${i.message}`).sort()).toEqual([
      `clusters.yaml:${lineOf('clusters.yaml', 'environment: staging')} clusters[0].environment: unknown environment "staging" (known: prod)`,
      `credentials.yaml:${lineOf('credentials.yaml', '- nobody')} credentials[0].allowedTenants[0]: unknown tenant "nobody"`,
    ]);
  });
});

describe('links and special files', () => {
  const outside = () => {
    const dir = tempDir('outside-');
    writeFileSync(join(dir, 'beta.yaml'), stringify(validFixture().teams.beta));
    writeFileSync(join(dir, 'credentials.yaml'), readFileSync(join(writeFixture(validFixture()), 'credentials.yaml')));
    return dir;
  };

  test('a tenant file, credentials.yaml or teams/ linking outside the catalogue folder is refused, not read', () => {
    const elsewhere = outside();
    const dir = fixtureWith((d) => {
      rmSync(join(d, 'teams', 'beta.yaml'));
      symlinkSync(join(elsewhere, 'beta.yaml'), join(d, 'teams', 'beta.yaml'));
      rmSync(join(d, 'credentials.yaml'));
      symlinkSync(join(elsewhere, 'credentials.yaml'), join(d, 'credentials.yaml'));
      // A link that stays inside the catalogue is fine.
      mkdirSync(join(d, 'shared'));
      writeFileSync(join(d, 'shared', 'gamma.yaml'), stringify({ ...validFixture().teams.beta, name: 'gamma', clusters: { c1: { namespaces: [{ name: 'gamma-app' }] } } }));
      symlinkSync(join(d, 'shared', 'gamma.yaml'), join(d, 'teams', 'gamma.yaml'));
    });
    const issues = issuesIn(dir).filter((i) => !/unknown tenant/.test(i.message));
    expect(issues.map((i) => `${where(dir, i)}: ${i.message}`)).toEqual([
      `credentials.yaml : is a link to ${join(elsewhere, 'credentials.yaml')}, outside the catalogue folder; catalogue files must live inside it`,
      `teams/beta.yaml : is a link to ${join(elsewhere, 'beta.yaml')}, outside the catalogue folder; catalogue files must live inside it`,
    ]);

    const linkedTeams = fixtureWith((d) => {
      rmSync(join(d, 'teams'), { recursive: true });
      symlinkSync(elsewhere, join(d, 'teams'));
    });
    expect(issuesIn(linkedTeams).map((i) => `${where(linkedTeams, i)}: ${i.message}`)).toContain(
      `teams : is a link to ${elsewhere}, outside the catalogue folder; catalogue files must live inside it`,
    );
  });

  test('a FIFO in teams/ is refused at once instead of hanging the loader', () => {
    const dir = fixtureWith((d) => execFileSync('mkfifo', [join(d, 'teams', 'pipe.yaml')]));
    const started = Date.now();
    expect(issuesIn(dir).map((i) => `${where(dir, i)}: ${i.message}`)).toEqual(['teams/pipe.yaml : is a FIFO, not a regular file']);
    expect(Date.now() - started).toBeLessThan(10_000);
  }, 15_000);
});

describe('sizes', () => {
  test('duplicate keys are refused with their line', () => {
    const dir = fixtureWith((d) => writeFileSync(join(d, 'teams', 'beta.yaml'), `${stringify(validFixture().teams.beta)}owners: []\n`));
    const issues = issuesIn(dir);
    const lines = readFileSync(join(dir, 'teams', 'beta.yaml'), 'utf8').split('\n');
    expect(issues.map((i) => `${where(dir, i)}: ${i.message}`)).toEqual([`teams/beta.yaml:${lines.length - 1} owners: duplicate key "owners"; a key may appear only once in a mapping`]);
  });

  test('loading grows linearly with the keys of a mapping: 30,000 labels load in seconds', () => {
    const fixture = validFixture();
    const labels = Object.fromEntries(Array.from({ length: 30_000 }, (_, i) => [`k${i}`, `v${i}`]));
    (fixture.teams.alpha as any).clusters.c1.namespaces[0].secrets[0].labels = labels;
    const dir = writeFixture(fixture);
    const started = Date.now();
    expect(loadCatalogue(dir).tenants.find((t) => t.name === 'alpha')?.clusters.c1.namespaces[0].secrets?.[0].labels?.k29999).toBe('v29999');
    // Quadratic duplicate-key checking took about 15 s here; linear loading takes about one.
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  test('a catalogue file over the size limit is refused with its size, before it is parsed', () => {
    const dir = fixtureWith((d) => writeFileSync(join(d, 'teams', 'huge.yaml'), `name: huge\n# ${'x'.repeat(CATALOGUE_LIMITS.fileBytes)}\n`));
    expect(issuesIn(dir).map((i) => `${where(dir, i)}: ${i.message}`)).toEqual([
      `teams/huge.yaml : is ${CATALOGUE_LIMITS.fileBytes + 14} bytes; a catalogue file may hold at most 1 MiB (1048576 bytes)`,
    ]);
  });

  test("an own secret's annotations over Kubernetes' 256 KiB per object are refused with file, line and field", () => {
    const fixture = validFixture();
    (fixture.teams.alpha as any).clusters.c1.namespaces[0].secrets[1].annotations = { big: 'x'.repeat(300 * 1024) };
    (fixture.teams.beta as any).clusters.c1.globalSecrets = [
      { name: 'g', type: 'kubernetes', keyVault: { a: 'beta--a' }, annotations: { a: 'x'.repeat(200 * 1024), b: 'y'.repeat(100 * 1024) } },
    ];
    const dir = writeFixture(fixture);
    const lineOf = (file: string, text: string) => readFileSync(join(dir, file), 'utf8').split('\n').findIndex((l) => l.includes(text)) + 1;
    expect(issuesIn(dir).map((i) => `${where(dir, i)}: ${i.message}`)).toEqual([
      `teams/alpha.yaml:${lineOf('teams/alpha.yaml', 'annotations:')} clusters.c1.namespaces[0].secrets[1].annotations: annotations total 307203 bytes; Kubernetes allows 262144 (256 KiB) per object, of which the product keeps ${CATALOGUE_LIMITS.productAnnotationBytes} for its own: keep them to at most ${CATALOGUE_LIMITS.annotationBytes} bytes`,
      `teams/beta.yaml:${lineOf('teams/beta.yaml', 'annotations:')} clusters.c1.globalSecrets[0].annotations: annotations total 307202 bytes; Kubernetes allows 262144 (256 KiB) per object, of which the product keeps ${CATALOGUE_LIMITS.productAnnotationBytes} for its own: keep them to at most ${CATALOGUE_LIMITS.annotationBytes} bytes`,
    ]);
  });
});

describe('TypeScript tenants', () => {
  const withModules = (modules: Record<string, string>) =>
    fixtureWith((d) => {
      for (const [file, text] of Object.entries(modules)) writeFileSync(join(d, 'teams', file), text);
    });

  test('modules that exit, are killed, throw or export the wrong shape are errors naming the file; the others load', () => {
    const dir = withModules({
      'a-exits.ts': tenantModule('exiter', 'process.exit(0);'),
      'b-good.ts': tenantModule('gamma'),
      'c-killed.ts': tenantModule('killed', "process.kill(process.pid, 'SIGKILL');"),
      'd-throws.ts': tenantModule('thrower', "throw new Error('no tenant today');"),
      'e-no-default.ts': "export const tenant = { name: 'delta' };\n",
      'f-function.ts': 'export default () => ({ name: "epsilon" });\n',
      'g-date.ts': "export default { name: 'zeta', owners: [{ kind: 'Group', name: 'z' }], clusters: {}, created: new Date(0) };\n",
      'h-good.ts': tenantModule('eta'),
    });
    const issues = issuesIn(dir);
    expect(issues.map((i) => `${where(dir, i)}: ${i.message}`)).toEqual([
      'teams/a-exits.ts : ended the process while loading (exited with code 0); a tenant module must only export its tenant, never exit',
      'teams/c-killed.ts : ended the process while loading (was killed by SIGKILL); a tenant module must only export its tenant, never exit',
      'teams/d-throws.ts : cannot load module: no tenant today',
      'teams/e-no-default.ts : has no default export; write `export default defineTenant({ ... })`',
      'teams/f-function.ts : default export is a function; a tenant module must export plain data',
      'teams/g-date.ts : default export.created is a Date; a tenant module must export plain data (write timestamps as ISO 8601 strings)',
    ]);
  });

  test('the good modules around a failing one are loaded and validated like YAML tenants', () => {
    const dir = withModules({ 'a.ts': tenantModule('gamma'), 'b.ts': tenantModule('delta', 'process.exit(3);'), 'c.ts': tenantModule('data--x') });
    const issues = issuesIn(dir);
    expect(issues.map((i) => `${where(dir, i)}`)).toEqual(['teams/b.ts ', 'teams/c.ts name']);
    expect(issues[1].message).toMatch(/must be a DNS-1123 label without "--"/);
    const good = writeFixture(validFixture());
    writeFileSync(join(good, 'teams', 'gamma.ts'), tenantModule('gamma'));
    expect(loadCatalogue(good).tenants.map((t) => t.name)).toEqual(['alpha', 'beta', 'gamma']);
  });

  test('a module that never finishes importing is reported after the timeout', () => {
    const dir = withModules({ 'hangs.ts': tenantModule('hangs', 'while (true) {}'), 'after.ts': tenantModule('after') });
    const results = loadTenantModules([join(dir, 'teams', 'after.ts'), join(dir, 'teams', 'hangs.ts')], 3_000);
    expect(results[0].value).toMatchObject({ name: 'after' });
    expect(results[1].error).toBe('did not finish loading within 3 s; a tenant module must only export its tenant');
  });
});
