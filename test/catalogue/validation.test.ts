import { writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { CatalogueError, type CatalogueIssue, loadCatalogue } from '../../tenants/lib';
import { type FixtureCatalogue, validFixture, writeFixture } from '../support/fixture-catalogue';

function issuesOf(fixture: FixtureCatalogue, edit?: (dir: string) => void): CatalogueIssue[] {
  const dir = writeFixture(fixture);
  edit?.(dir);
  try {
    loadCatalogue(dir);
    return [];
  } catch (error) {
    if (error instanceof CatalogueError) return [...error.issues];
    throw error;
  }
}

/** Breaks the fixture with `mutate` and expects exactly one issue in `file` at `path` matching `message`. */
function expectSingleIssue(mutate: (f: FixtureCatalogue) => void, file: string, path: string, message: RegExp) {
  const fixture = validFixture();
  mutate(fixture);
  const issues = issuesOf(fixture);
  expect(issues).toHaveLength(1);
  expect(issues[0].file.endsWith(file)).toBe(true);
  expect(issues[0].path).toBe(path);
  expect(issues[0].message).toMatch(message);
}

const alphaNs = (f: FixtureCatalogue) => (f.teams.alpha.clusters as any).c1.namespaces[0];

describe('catalogue validation', () => {
  test('the fixture and the example catalogue are valid', () => {
    expect(issuesOf(validFixture())).toEqual([]);
    const example = loadCatalogue();
    expect(example.environments.length).toBeGreaterThanOrEqual(2);
    expect(example.clusters.length).toBeGreaterThanOrEqual(3);
    expect(example.tenants.length).toBeGreaterThanOrEqual(4);
    expect(new Set(example.credentials.map((c) => c.kind))).toEqual(new Set(['docker-registry', 'git', 'oauth', 'tls', 'generic']));
    expect(Object.values(example.sources.tenants).some((f) => f.endsWith('.ts'))).toBe(true);
  });

  test('an unknown credential is named with the known ones', () => {
    expectSingleIssue((f) => (alphaNs(f).requests = ['registy']), 'teams/alpha.yaml', 'clusters.c1.namespaces[0].requests[0]', /unknown credential "registy" \(known: registry\)/);
  });

  test('a credential requested by a tenant that may not have it', () => {
    expectSingleIssue(
      (f) => ((f.teams.beta.clusters as any).c1.namespaces[0].requests = ['registry']),
      'teams/beta.yaml',
      'clusters.c1.namespaces[0].requests[0]',
      /tenant "beta" may not request credential "registry"; it is allowed for: alpha/,
    );
  });

  test('a namespace claimed by two tenants', () => {
    expectSingleIssue(
      (f) => ((f.teams.beta.clusters as any).c1.namespaces[0].name = 'alpha-app'),
      'teams/beta.yaml',
      'clusters.c1.namespaces[0].name',
      /namespace "alpha-app" on cluster c1 is already claimed by tenant "alpha"/,
    );
  });

  test('an invalid DNS-1123 name', () => {
    expectSingleIssue((f) => (alphaNs(f).name = 'Alpha_App'), 'teams/alpha.yaml', 'clusters.c1.namespaces[0].name', /DNS-1123 label/);
  });

  test('an invalid label key', () => {
    expectSingleIssue((f) => (alphaNs(f).labels = { 'bad key/x': 'y' }), 'teams/alpha.yaml', 'clusters.c1.namespaces[0].labels["bad key/x"]', /label key/);
  });

  test('a workload secret without a valid spiffe:// ID', () => {
    expectSingleIssue(
      (f) => (alphaNs(f).secrets[1].spiffeId = 'https://c1.prod.local/ns/alpha-app/sa/signer'),
      'teams/alpha.yaml',
      'clusters.c1.namespaces[0].secrets[1].spiffeId',
      /must be a SPIFFE ID/,
    );
  });

  test('a workload secret whose SPIFFE ID is of another trust domain', () => {
    expectSingleIssue(
      (f) => (alphaNs(f).secrets[1].spiffeId = 'spiffe://elsewhere.example/ns/alpha-app/sa/signer'),
      'teams/alpha.yaml',
      'clusters.c1.namespaces[0].secrets[1].spiffeId',
      /must name this workload: spiffe:\/\/c1\.prod\.local\/ns\/alpha-app\/sa\/signer/,
    );
  });

  test('a workload secret whose SPIFFE ID names another workload', () => {
    expectSingleIssue(
      (f) => (alphaNs(f).secrets[1].spiffeId = 'spiffe://c1.prod.local/ns/alpha-app/sa/someone-else'),
      'teams/alpha.yaml',
      'clusters.c1.namespaces[0].secrets[1].spiffeId',
      /must name this workload: spiffe:\/\/c1\.prod\.local\/ns\/alpha-app\/sa\/signer/,
    );
  });

  test('notBefore after expires', () => {
    expectSingleIssue(
      (f) => (alphaNs(f).secrets[0].notBefore = '2031-01-01T00:00:00Z'),
      'teams/alpha.yaml',
      'clusters.c1.namespaces[0].secrets[0].notBefore',
      /notBefore \(2031-01-01T00:00:00Z\) must be before expires/,
    );
  });

  test('duplicate names: credentials, clusters and secrets in one namespace', () => {
    expectSingleIssue((f) => f.credentials.credentials.push({ ...f.credentials.credentials[0] }), 'credentials.yaml', 'credentials[1].name', /duplicate credential "registry"/);
    expectSingleIssue((f) => f.clusters.clusters.push({ ...f.clusters.clusters[0] }), 'clusters.yaml', 'clusters[1].name', /duplicate cluster "c1"/);
    expectSingleIssue(
      (f) => alphaNs(f).secrets.push({ ...alphaNs(f).secrets[0] }),
      'teams/alpha.yaml',
      'clusters.c1.namespaces[0].secrets[2].name',
      /^ExternalSecret "db" in namespace alpha-app on cluster c1 would be written twice: by own secret db \(.*teams\/alpha\.yaml:\d+ clusters\.c1\.namespaces\[0\]\.secrets\[0\]\.name\) and by own secret db/,
    );
  });

  test('a secret value in the catalogue is rejected, not stored', () => {
    expectSingleIssue(
      (f) => (alphaNs(f).secrets[0].value = 'hunter2'),
      'teams/alpha.yaml',
      'clusters.c1.namespaces[0].secrets[0]',
      /unknown field "value": secret values never belong in the catalogue/,
    );
  });

  test('a tenant reading a Key Vault secret outside its prefix', () => {
    expectSingleIssue(
      (f) => (alphaNs(f).secrets[0].keyVault = { password: 'registry-password' }),
      'teams/alpha.yaml',
      'clusters.c1.namespaces[0].secrets[0].keyVault.password',
      /must start with "alpha--": a tenant reads only the secrets in its own vault space/,
    );
  });

  test('a format that needs master keys the credential does not have', () => {
    expectSingleIssue(
      (f) => (f.credentials.credentials[0].formats = [{ type: 'ssh-auth' }]),
      'credentials.yaml',
      'credentials[0].formats[0].type',
      /format "ssh-auth" needs the master key\(s\) sshPrivateKey/,
    );
  });

  test('YAML errors carry the line', () => {
    const issues = issuesOf(validFixture(), (dir) => writeFileSync(join(dir, 'teams', 'alpha.yaml'), 'name: alpha\nowners: [\n'));
    expect(issues.length).toBeGreaterThan(0);
    expect(issues[0].file.endsWith('teams/alpha.yaml')).toBe(true);
    expect(issues[0].message).toMatch(/invalid YAML/);
    expect(issues[0].line).toBeGreaterThan(0);
  });

  test('schema errors in YAML point at the line of the field', () => {
    const fixture = validFixture();
    alphaNs(fixture).name = 'Bad';
    const [issue] = issuesOf(fixture);
    expect(issue.line).toBeGreaterThan(1);
  });

  test('every error of every file is reported at once', () => {
    const fixture = validFixture();
    alphaNs(fixture).requests = ['nope'];
    (fixture.teams.beta.clusters as any).c1.namespaces[0].name = 'alpha-app';
    fixture.clusters.clusters[0].environment = 'staging';
    fixture.credentials.credentials[0].allowedTenants = ['alpha', 'gamma'];
    const dir = writeFixture(fixture);
    let issues: CatalogueIssue[] = [];
    try {
      loadCatalogue(dir);
    } catch (error) {
      issues = [...(error as CatalogueError).issues];
      expect((error as Error).message).toMatch(/The catalogue has 5 errors; nothing was written/);
    }
    expect(issues.map((i) => `${relative(dir, resolve(i.file))}:${i.path}`).sort()).toEqual([
      'clusters.yaml:clusters[0].environment',
      'credentials.yaml:credentials[0].allowedTenants[1]',
      'teams/alpha.yaml:clusters.c1.namespaces[0].requests[0]',
      // The default trust domain follows the environment, so moving the cluster invalidates the SPIFFE ID too.
      'teams/alpha.yaml:clusters.c1.namespaces[0].secrets[1].spiffeId',
      'teams/beta.yaml:clusters.c1.namespaces[0].name',
    ]);
  });
});
