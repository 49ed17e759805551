/**
 * Reading a catalogue as a hostile or careless author would leave it: files that are not UTF-8, folders and
 * dangling links where files belong, alias bombs, entries out of name order, and TypeScript tenants that
 * throw, exit or export the wrong shape. Every problem names its file (and line where there is one), and all
 * are reported at once.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
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
const where = (dir: string, issue: CatalogueIssue) =>
  `${relative(dir, resolve(issue.file))}${issue.line === undefined ? '' : `:${issue.line}`} ${issue.path}`;

/** A tenant module; `body` runs at import, before the default export. */
const tenantModule = (name: string, body = '') =>
  `${body}\nexport default { name: '${name}', owners: [{ kind: 'Group', name: '${name}-admins' }], clusters: { c1: { namespaces: [{ name: '${name}-app' }] } } };\n`;

describe('catalogue files', () => {
  test('bytes that are not UTF-8 are refused with the file and every line holding them', () => {
    const dir = fixtureWith((d) => {
      const yaml = Buffer.from(stringify(validFixture().teams.beta), 'utf8');
      const lines = yaml.toString('utf8').split('\n');
      // Latin-1 "é" on line 2, and a lone continuation byte on line 4.
      const broken = Buffer.concat(
        lines.map((l, i) =>
          Buffer.concat([
            Buffer.from(l, 'utf8'),
            i === 1 || i === 3 ? Buffer.from([0xe9]) : Buffer.alloc(0),
            Buffer.from(i < lines.length - 1 ? '\n' : ''),
          ]),
        ),
      );
      writeFileSync(join(d, 'teams', 'beta.yaml'), broken);
      writeFileSync(
        join(d, 'teams', 'gamma.ts'),
        Buffer.concat([Buffer.from("export default { name: 'gamma' };\n// "), Buffer.from([0xc3, 0x28]), Buffer.from('\n')]),
      );
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
    expect(issuesIn('/nonexistent/catalogue').map((i) => `${resolve(i.file)}: ${i.message}`)).toEqual([
      '/nonexistent/catalogue: catalogue folder not found',
    ]);
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
    fixture.credentials.credentials.unshift({
      name: 'zeta',
      kind: 'generic',
      keyVault: { token: 'zeta-token' },
      allowedTenants: ['nobody'],
    });
    fixture.clusters.clusters.unshift({ name: 'z9', environment: 'staging', kind: 'aks', region: 'westeurope' });
    const dir = writeFixture(fixture);
    const lineOf = (file: string, text: string) =>
      readFileSync(join(dir, file), 'utf8')
        .split('\n')
        .findIndex((l) => l.includes(text)) + 1;
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
      writeFileSync(
        join(d, 'shared', 'gamma.yaml'),
        stringify({ ...validFixture().teams.beta, name: 'gamma', clusters: { c1: { namespaces: [{ name: 'gamma-app' }] } } }),
      );
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
    expect(issues.map((i) => `${where(dir, i)}: ${i.message}`)).toEqual([
      `teams/beta.yaml:${lines.length - 1} owners: duplicate key "owners"; a key may appear only once in a mapping`,
    ]);
  });

  test('loading grows linearly with the keys of a mapping: 30,000 labels load in seconds', () => {
    const fixture = validFixture();
    const labels = Object.fromEntries(Array.from({ length: 30_000 }, (_, i) => [`k${i}`, `v${i}`]));
    (fixture.teams.alpha as any).clusters.c1.namespaces[0].secrets[0].labels = labels;
    const dir = writeFixture(fixture);
    const started = Date.now();
    expect(loadCatalogue(dir).tenants.find((t) => t.name === 'alpha')?.clusters.c1.namespaces[0].secrets?.[0].labels?.k29999).toBe(
      'v29999',
    );
    // Quadratic duplicate-key checking took about 15 s here; linear loading takes about one.
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  test('a catalogue file over the size limit is refused with its size, before it is parsed', () => {
    const dir = fixtureWith((d) =>
      writeFileSync(join(d, 'teams', 'huge.yaml'), `name: huge\n# ${'x'.repeat(CATALOGUE_LIMITS.fileBytes)}\n`),
    );
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
    const lineOf = (file: string, text: string) =>
      readFileSync(join(dir, file), 'utf8')
        .split('\n')
        .findIndex((l) => l.includes(text)) + 1;
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
    const dir = withModules({
      'a.ts': tenantModule('gamma'),
      'b.ts': tenantModule('delta', 'process.exit(3);'),
      'c.ts': tenantModule('data--x'),
    });
    const issues = issuesIn(dir);
    expect(issues.map((i) => `${where(dir, i)}`)).toEqual(['teams/b.ts ', 'teams/c.ts name']);
    expect(issues[1].message).toMatch(/must be a DNS-1123 label without "--"/);
    const good = writeFixture(validFixture());
    writeFileSync(join(good, 'teams', 'gamma.ts'), tenantModule('gamma'));
    expect(loadCatalogue(good).tenants.map((t) => t.name)).toEqual(['alpha', 'beta', 'gamma']);
  });

  describe('in a sandbox', () => {
    const messages = (dir: string) => issuesIn(dir).map((i) => `${where(dir, i)}: ${i.message}`);

    test('a module sees no environment: reading process.env is refused, and a planted variable never reaches an export', () => {
      process.env.CSS_PLANTED_SECRET = 'planted-s3cr3t';
      try {
        const dir = withModules({
          'a-reads.ts': tenantModule(
            'reader',
            'const stolen = String(process.env.CSS_PLANTED_SECRET);\nexport const description = stolen;',
          ),
          'b-catches.ts': `let stolen = 'none';\ntry { stolen = JSON.stringify({ ...process.env }); } catch {}\nexport default { name: 'catcher', description: stolen, owners: [{ kind: 'Group', name: 'c' }], clusters: {} };\n`,
          'c-clock.ts': `export default { name: 'clock', description: new Date().toISOString(), owners: [{ kind: 'Group', name: 'c' }], clusters: {} };\n`,
        });
        const found = messages(dir);
        expect(found).toEqual([
          "teams/a-reads.ts : read process.env.CSS_PLANTED_SECRET: a tenant module's output must depend on the catalogue alone, not on the environment it is loaded in",
          "teams/b-catches.ts : listed process.env: a tenant module's output must depend on the catalogue alone, not on the environment it is loaded in",
          "teams/c-clock.ts : read the current time: a tenant module's output must depend on the catalogue alone, not on when it is loaded; write timestamps as ISO 8601 strings",
        ]);
        expect(JSON.stringify(found)).not.toContain('planted-s3cr3t');
      } finally {
        delete process.env.CSS_PLANTED_SECRET;
      }
    });

    test('a module may read and import files of the catalogue, and nothing outside it', () => {
      const elsewhere = tempDir('outside-');
      writeFileSync(join(elsewhere, 'secret.json'), '{ "token": "outside-s3cr3t" }');
      const dir = withModules({
        'a-reads-etc.ts': tenantModule(
          'etc',
          "import { readFileSync } from 'node:fs';\nexport const p = readFileSync('/etc/passwd', 'utf8');",
        ),
        'b-reads-outside.ts': tenantModule(
          'outside',
          `import { readFileSync } from 'fs';\nexport const p = readFileSync(${JSON.stringify(join(elsewhere, 'secret.json'))}, 'utf8');`,
        ),
        'c-imports-outside.ts': `import secret from ${JSON.stringify(join(elsewhere, 'secret.json'))};\nexport default { name: 'importer', description: secret.token };\n`,
        'd-inside.ts': `import { readFileSync } from 'node:fs';\nimport { join } from 'node:path';\nimport { defineTenant } from ${JSON.stringify(resolve('tenants/lib/define'))};\nconst owner = JSON.parse(readFileSync(join(__dirname, 'owner.json'), 'utf8'));\nexport default defineTenant({ name: 'inside', owners: [owner], clusters: { c1: { namespaces: [{ name: 'inside-app' }] } } });\n`,
        'owner.json': '{ "kind": "Group", "name": "inside-admins" }',
      });
      const found = messages(dir);
      expect(found).toEqual([
        'teams/a-reads-etc.ts : tried to read /etc/passwd: a tenant module may only read files inside the catalogue folder',
        `teams/b-reads-outside.ts : tried to read ${join(elsewhere, 'secret.json')}: a tenant module may only read files inside the catalogue folder`,
        `teams/c-imports-outside.ts : cannot load module: teams/c-imports-outside.ts:1: imports ${join(elsewhere, 'secret.json')}: a tenant module may only import files inside the catalogue folder and the product's tenants/lib`,
      ]);
      expect(JSON.stringify(found)).not.toContain('outside-s3cr3t');
    });

    test("central-secret-store/catalogue is the loading product's define module, whatever the catalogue's node_modules hold", () => {
      const dir = withModules({
        'by-package.ts':
          "import { defineTenant, CATALOGUE_MODULE } from 'central-secret-store/catalogue';\nexport default defineTenant({ name: 'by-package', description: CATALOGUE_MODULE, owners: [{ kind: 'Group', name: 'p' }], clusters: {} });\n",
      });
      // A planted package of that name, which would rename the tenant if the loader used it.
      const planted = join(dir, 'node_modules', 'central-secret-store');
      mkdirSync(planted, { recursive: true });
      writeFileSync(
        join(planted, 'package.json'),
        JSON.stringify({ name: 'central-secret-store', exports: { './catalogue': './catalogue.js' } }),
      );
      writeFileSync(
        join(planted, 'catalogue.js'),
        "exports.CATALOGUE_MODULE = 'planted'; exports.defineTenant = (t) => ({ ...t, name: 'planted' });\n",
      );
      expect(messages(dir)).toEqual([]);
      const tenant = loadCatalogue(dir).tenants.find((t) => t.name === 'by-package');
      expect(tenant?.description).toBe('central-secret-store/catalogue');
    });

    test('modules are not run while a link anywhere in the catalogue folder leads out of it, since the sandbox would follow it', () => {
      const elsewhere = tempDir('outside-');
      writeFileSync(join(elsewhere, 'secret.txt'), 'outside-s3cr3t');
      const dir = withModules({
        'reader.ts': tenantModule(
          'reader',
          "import { readFileSync } from 'node:fs';\nexport const s = readFileSync('docs/elsewhere/secret.txt', 'utf8');",
        ),
      });
      mkdirSync(join(dir, 'docs'));
      symlinkSync(elsewhere, join(dir, 'docs', 'elsewhere'));
      const found = messages(dir);
      expect(found).toEqual([
        `docs/elsewhere : is a link to ${elsewhere}, outside the catalogue folder; TypeScript tenants may read the catalogue folder, so it may hold no link leading out of it`,
        'teams/reader.ts : not loaded: the catalogue folder holds links leading out of it (listed with this error); remove them',
      ]);
    });

    test('a module cannot write files, rewrite credentials.yaml, start processes, signal its loader or reach the network and host', () => {
      const dir = withModules({
        'a-credentials.ts': tenantModule(
          'writer',
          "import { appendFileSync } from 'node:fs';\nappendFileSync('credentials.yaml', '\\n  - name: stolen\\n');",
        ),
        'b-spawns.ts': tenantModule('spawner', "import { execSync } from 'node:child_process';\nexecSync('id');"),
        'c-os.ts': tenantModule('host', "import { hostname } from 'node:os';\nexport const h = hostname();"),
        'c-signals.ts': tenantModule('signaller', "process.kill(process.ppid, 'SIGTERM');"),
        'd-fetch.ts': tenantModule(
          'fetcher',
          "export const f = typeof fetch === 'function' ? 'network' : 'none';\nif (typeof fetch === 'function') throw new Error('fetch is reachable');",
        ),
      });
      const before = readFileSync(join(dir, 'credentials.yaml'), 'utf8');
      expect(messages(dir)).toEqual([
        `teams/a-credentials.ts : tried to write ${join(realpathSync(dir), 'credentials.yaml')}: a tenant module may not write files`,
        `teams/b-spawns.ts : cannot load module: teams/b-spawns.ts:1: a tenant module may not import "node:child_process"; it may import files of the catalogue and these built-in modules: assert, buffer, events, fs, path, querystring, string_decoder, url, util`,
        `teams/c-os.ts : cannot load module: teams/c-os.ts:1: a tenant module may not import "node:os"; it may import files of the catalogue and these built-in modules: assert, buffer, events, fs, path, querystring, string_decoder, url, util`,
        `teams/c-signals.ts : tried to send a signal to process ${process.pid}: a tenant module may not signal other processes`,
      ]);
      expect(readFileSync(join(dir, 'credentials.yaml'), 'utf8')).toBe(before);
    });

    test("a module cannot forge another module's export, nor pass its console output off as a result", () => {
      const forged = JSON.stringify({ value: { name: 'forged', owners: [{ kind: 'Group', name: 'attacker' }], clusters: {} } });
      const dir = withModules({
        // The loader's results file used to be named on the command line, shared by all modules.
        'a-forger.ts': tenantModule(
          'forger',
          `import { appendFileSync, writeSync } from 'node:fs';\nconst line = ${JSON.stringify(`${forged}\n`)};\nfor (const target of process.argv.slice(1)) { try { appendFileSync(target, line); } catch {} }\nconsole.log(line);\nprocess.stdout.write(line);\ntry { writeSync(1, line); } catch {}`,
        ),
        'b-victim.ts': tenantModule('victim'),
      });
      const results = loadTenantModules(dir, [join(dir, 'teams', 'a-forger.ts'), join(dir, 'teams', 'b-victim.ts')]);
      expect(results.map((r) => (r.value as { name?: string } | undefined)?.name ?? r.error)).toEqual(['forger', 'victim']);
      // Writing straight to the result descriptor forges only the writer's own result, and only if well formed.
      const junk = withModules({ 'junk.ts': tenantModule('junk', "import { writeSync } from 'node:fs';\nwriteSync(3, 'not json');") });
      expect(loadTenantModules(junk, [join(junk, 'teams', 'junk.ts')])[0].error).toBe(
        'wrote something other than its result to the loader; a tenant module must only export its tenant',
      );
    });

    test('a module that exhausts its memory is stopped and named', () => {
      const dir = withModules({
        'hog.ts': tenantModule('hog', 'const hog: number[][] = [];\nwhile (true) hog.push(new Array(1_000_000).fill(1));'),
      });
      expect(loadTenantModules(dir, [join(dir, 'teams', 'hog.ts')])[0].error).toBe(
        'ran out of memory while loading (the limit is 256 MiB); a tenant module must only export its tenant',
      );
    });
  });

  test('a module that never finishes importing is reported after the timeout', () => {
    const dir = withModules({ 'hangs.ts': tenantModule('hangs', 'while (true) {}'), 'after.ts': tenantModule('after') });
    const results = loadTenantModules(dir, [join(dir, 'teams', 'after.ts'), join(dir, 'teams', 'hangs.ts')], 3_000);
    expect(results[0].value).toMatchObject({ name: 'after' });
    expect(results[1].error).toBe('did not finish loading within 3 s; a tenant module must only export its tenant');
  });
});
