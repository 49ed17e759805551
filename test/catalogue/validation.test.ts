import { writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { CatalogueError, type CatalogueIssue, loadCatalogue } from '../../tenants/lib';
import {
  type FixtureCatalogue,
  catalogueIssues,
  validFixture,
  vaultFixture,
  writeFixture,
  FIXTURE_CATALOGUE_DIR,
} from '../support/fixture-catalogue';

function issuesOf(fixture: FixtureCatalogue, edit?: (dir: string) => void): CatalogueIssue[] {
  const dir = writeFixture(fixture);
  edit?.(dir);
  return catalogueIssues(dir);
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
  test('the fixture and the fixture catalogue are valid', () => {
    expect(issuesOf(validFixture())).toEqual([]);
    const example = loadCatalogue(FIXTURE_CATALOGUE_DIR);
    expect(example.environments.length).toBeGreaterThanOrEqual(2);
    expect(example.clusters.length).toBeGreaterThanOrEqual(3);
    expect(example.tenants.length).toBeGreaterThanOrEqual(4);
    expect(new Set(example.credentials.map((c) => c.kind))).toEqual(new Set(['docker-registry', 'git', 'oauth', 'tls', 'generic']));
    expect(Object.values(example.sources.tenants).some((f) => f.endsWith('.ts'))).toBe(true);
  });

  test('an unknown credential is named with the known ones', () => {
    expectSingleIssue(
      (f) => (alphaNs(f).requests = ['registy']),
      'teams/alpha.yaml',
      'clusters.c1.namespaces[0].requests[0]',
      /unknown credential "registy" \(known: registry\)/,
    );
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

  describe("the canary's names are reserved", () => {
    /** The one issue of a broken fixture, which must carry its file, YAML line and field path. */
    const onlyIssue = (mutate: (f: FixtureCatalogue) => void) => {
      const fixture = validFixture();
      mutate(fixture);
      const issues = issuesOf(fixture);
      expect(issues).toHaveLength(1);
      expect(issues[0].line).toEqual(expect.any(Number));
      return issues[0];
    };

    test('a credential named canary', () => {
      const issue = onlyIssue((f) => f.credentials.credentials.push({ ...(f.credentials.credentials[0] as object), name: 'canary' }));
      expect([issue.file.endsWith('credentials.yaml'), issue.path]).toEqual([true, 'credentials[1].name']);
      expect(issue.message).toMatch(/credential name "canary" is reserved: it names every cluster's canary/);
    });

    test("a master named like a cluster's canary, in Key Vault (any case) or in the shared mount, for every cluster of the environment", () => {
      const keyVault = onlyIssue((f) => ((f.credentials.credentials[0].keyVault as any).password = 'CSS-Canary-C1'));
      expect([keyVault.file.endsWith('credentials.yaml'), keyVault.path]).toEqual([true, 'credentials[0].keyVault.password']);
      expect(keyVault.message).toBe(
        'Key Vault secret "CSS-Canary-C1" is the canary of cluster c1 in environment prod: the stack writes a new value to it at every deployment, so the credential would be overwritten; name another secret',
      );
      for (const [reference, cluster] of [
        ['canary/v2', 'v2'],
        ['canary/v1#value', 'v1'],
      ]) {
        const fixture = vaultFixture();
        (fixture.credentials.credentials[0].vault as any).password = reference;
        const issues = catalogueIssues(writeFixture(fixture));
        expect(issues.map((i) => `${i.path}: ${i.message}`)).toEqual([
          `credentials[0].vault.password: Vault path "${reference}" is the canary of cluster ${cluster} in environment lab: the stack writes a new value to it at every deployment, so the credential would be overwritten; name another path`,
        ]);
      }
    });

    const betaNs = (f: FixtureCatalogue) => (f.teams.beta.clusters as any).c1.namespaces[0];

    test("a tenant namespace named like the cluster's canary namespace, default or moved", () => {
      const byDefault = onlyIssue((f) => (betaNs(f).name = 'central-secret-store-canary'));
      expect([byDefault.file.endsWith('teams/beta.yaml'), byDefault.path]).toEqual([true, 'clusters.c1.namespaces[0].name']);
      expect(byDefault.message).toMatch(
        /namespace "central-secret-store-canary" is the canary namespace of cluster c1 \(the default; \S*clusters.yaml clusters\[0\].canary.namespace moves it\)/,
      );
      const moved = onlyIssue((f) => {
        f.clusters.clusters[0].canary = { namespace: 'probe' };
        betaNs(f).name = 'probe';
      });
      expect(moved.path).toBe('clusters.c1.namespaces[0].name');
      expect(moved.message).toMatch(
        /namespace "probe" is the canary namespace of cluster c1 \(\S*clusters.yaml clusters\[0\].canary.namespace\)/,
      );
    });

    test('a cluster without a canary leaves the name to tenants', () => {
      const fixture = validFixture();
      fixture.clusters.clusters[0].canary = { enabled: false };
      betaNs(fixture).name = 'central-secret-store-canary';
      expect(issuesOf(fixture)).toEqual([]);
    });

    test("the canary namespace may not be one of the platform's", () => {
      const issue = onlyIssue((f) => (f.clusters.clusters[0].canary = { namespace: 'central-secret-store' }));
      expect([issue.file.endsWith('clusters.yaml'), issue.path]).toEqual([true, 'clusters[0].canary.namespace']);
      expect(issue.message).toMatch(
        /namespace "central-secret-store" is reserved: the product's central namespace, which holds every credential's master; the canary needs a namespace of its own/,
      );
    });

    test('the bound is a Go duration, kept canonical', () => {
      const issue = onlyIssue((f) => (f.clusters.clusters[0].canary = { bound: '15 minutes' }));
      expect(issue.path).toBe('clusters[0].canary.bound');
      const fixture = validFixture();
      fixture.clusters.clusters[0].canary = { bound: '90s' };
      expect(loadCatalogue(writeFixture(fixture)).clusters[0].canary).toEqual({
        enabled: true,
        namespace: 'central-secret-store-canary',
        bound: '1m30s',
      });
    });
  });

  test('an invalid DNS-1123 name', () => {
    expectSingleIssue((f) => (alphaNs(f).name = 'Alpha_App'), 'teams/alpha.yaml', 'clusters.c1.namespaces[0].name', /DNS-1123 label/);
  });

  test('an invalid label key', () => {
    expectSingleIssue(
      (f) => (alphaNs(f).labels = { 'bad key/x': 'y' }),
      'teams/alpha.yaml',
      'clusters.c1.namespaces[0].labels["bad key/x"]',
      /label key/,
    );
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
    expectSingleIssue(
      (f) => f.credentials.credentials.push({ ...f.credentials.credentials[0] }),
      'credentials.yaml',
      'credentials[1].name',
      /duplicate credential "registry"/,
    );
    expectSingleIssue(
      (f) => f.clusters.clusters.push({ ...f.clusters.clusters[0] }),
      'clusters.yaml',
      'clusters[1].name',
      /duplicate cluster "c1"/,
    );
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

describe('tenant vault spaces', () => {
  test("a tenant whose name prefixes another tenant's cannot name that tenant's vault secrets", () => {
    const fixture = validFixture();
    fixture.teams.data = {
      name: 'data',
      owners: [{ kind: 'Group', name: 'data' }],
      clusters: {
        c1: {
          namespaces: [
            {
              name: 'data-app',
              secrets: [{ name: 'stolen', type: 'kubernetes', keyVault: { token: 'data-science--model-registry-token' } }],
            },
          ],
        },
      },
    };
    fixture.teams['data-science'] = {
      name: 'data-science',
      owners: [{ kind: 'Group', name: 'ds' }],
      clusters: {
        c1: {
          namespaces: [
            { name: 'ds-app', secrets: [{ name: 'model', type: 'kubernetes', keyVault: { token: 'data-science--model-registry-token' } }] },
          ],
        },
      },
    };
    const issues = issuesOf(fixture);
    expect(issues.map((i) => `${i.file.split('/').pop()} ${i.path}: ${i.message}`)).toEqual([
      'data.yaml clusters.c1.namespaces[0].secrets[0].keyVault.token: Key Vault secret "data-science--model-registry-token" must start with "data--": a tenant reads only the secrets in its own vault space',
    ]);
  });

  test('tenant names may not contain "--", nor may shared credentials\' vault secrets', () => {
    expectSingleIssue((f) => (f.teams.beta.name = 'be--ta'), 'teams/beta.yaml', 'name', /must be a DNS-1123 label without "--"/);
    expectSingleIssue(
      (f) => ((f.credentials.credentials[0].keyVault as any).password = 'alpha--db-password'),
      'credentials.yaml',
      'credentials[0].keyVault.password',
      /may not contain "--", which marks tenants' own vault secrets/,
    );
  });
});

describe('generated object names', () => {
  test("an own secret named like a distribution's ExternalSecret names both sides", () => {
    const fixture = validFixture();
    alphaNs(fixture).secrets.push({ name: 'registry-dockerconfigjson', type: 'kubernetes', keyVault: { token: 'alpha--token' } });
    const issues = issuesOf(fixture);
    expect(issues).toHaveLength(1);
    expect(issues[0].path).toBe('clusters.c1.namespaces[0].secrets[2].name');
    expect(issues[0].line).toBeGreaterThan(1);
    expect(issues[0].message).toMatch(
      /^ExternalSecret "registry-dockerconfigjson" in namespace alpha-app on cluster c1 would be written twice: by credential registry \(format dockerconfigjson\) \(.*teams\/alpha\.yaml:\d+ clusters\.c1\.namespaces\[0\]\.requests\[0\]\) and by own secret registry-dockerconfigjson/,
    );
  });

  test('two credentials whose distributions get one name', () => {
    expectSingleIssue(
      (f) => {
        f.credentials.credentials[0].formats = [{ type: 'opaque', name: 'pull-opaque' }];
        f.credentials.credentials.push({
          name: 'registry-pull',
          kind: 'generic',
          keyVault: { token: 'registry-pull-token' },
          allowedTenants: ['alpha'],
        });
      },
      'credentials.yaml',
      'credentials[1].name',
      /^ClusterExternalSecret "registry-pull-opaque" on cluster c1 would be written twice: by credential registry, format pull-opaque \(.*credentials\.yaml:\d+ credentials\[0\]\.formats\[0\]\.name\) and by credential registry-pull, format opaque/,
    );
  });

  test("a global secret that lands on an ExternalSecret a distribution writes in one of the tenant's namespaces", () => {
    expectSingleIssue(
      (f) =>
        ((f.teams.alpha.clusters as any).c1.globalSecrets = [
          { name: 'registry-dockerconfigjson', type: 'kubernetes', keyVault: { k: 'alpha--k' } },
        ]),
      'teams/alpha.yaml',
      'clusters.c1.globalSecrets[0].name',
      /^ExternalSecret "registry-dockerconfigjson" in namespace alpha-app on cluster c1 would be written twice: by credential registry \(format dockerconfigjson\)/,
    );
  });

  test('two credentials writing one Secret name into a namespace that requests both', () => {
    expectSingleIssue(
      (f) => {
        f.credentials.credentials[0].formats = [{ type: 'dockerconfigjson', secretName: 'pull' }];
        f.credentials.credentials.push({
          name: 'second',
          kind: 'docker-registry',
          registries: ['docker.io'],
          keyVault: { username: 'second-u', password: 'second-p' },
          allowedTenants: ['alpha'],
          formats: [{ type: 'dockerconfigjson', secretName: 'pull' }],
        });
        alphaNs(f).requests = ['registry', 'second'];
      },
      'teams/alpha.yaml',
      'clusters.c1.namespaces[0].requests[1]',
      /^Secret "pull" in namespace alpha-app on cluster c1 would be written twice: by credential registry \(format dockerconfigjson\) .* and by credential second \(format dockerconfigjson\)/,
    );
  });

  test('a generated name the API server would refuse is reported where its parts are written', () => {
    expectSingleIssue(
      (f) =>
        ((f.teams.alpha.clusters as any).c1.globalSecrets = [
          { name: `${'x'.repeat(250)}`, type: 'kubernetes', keyVault: { k: 'alpha--k' } },
        ]),
      'teams/alpha.yaml',
      'clusters.c1.globalSecrets[0].name',
      /the generated ClusterExternalSecret name "alpha-x{250}" \(global secret x{250} of tenant alpha\) must be a DNS-1123 subdomain/,
    );
  });
});

describe('keys the product and ESO set themselves', () => {
  test('namespace labels that would request a credential or move the namespace to another tenant', () => {
    const fixture = validFixture();
    alphaNs(fixture).labels = {
      'secrets/registry': 'true',
      'central-secret-store.io/tenant': 'beta',
      'app.kubernetes.io/managed-by': 'me',
      'kubernetes.io/metadata.name': 'x',
      team: 'ok',
    };
    expect(issuesOf(fixture).map((i) => `${i.path}: ${i.message}`)).toEqual([
      'clusters.c1.namespaces[0].labels["secrets/registry"]: label "secrets/registry" is a credential request; list the credential under requests instead',
      'clusters.c1.namespaces[0].labels["central-secret-store.io/tenant"]: label "central-secret-store.io/tenant" belongs to Central Secret Store, which sets the central-secret-store.io keys itself',
      'clusters.c1.namespaces[0].labels["app.kubernetes.io/managed-by"]: label "app.kubernetes.io/managed-by" marks the objects Central Secret Store manages; it sets it itself',
      'clusters.c1.namespaces[0].labels["kubernetes.io/metadata.name"]: label "kubernetes.io/metadata.name" is set by the API server to the namespace name',
    ]);
  });

  test('own secrets may not carry the labels and annotations of distributed copies or of ESO', () => {
    const fixture = validFixture();
    alphaNs(fixture).secrets[0].labels = {
      'central-secret-store.io/credential': 'registry',
      'managed-by': 'external-secrets',
      'reconcile.external-secrets.io/managed': 'true',
      app: 'ok',
    };
    alphaNs(fixture).secrets[0].annotations = { 'central-secret-store.io/expires': '2099-01-01T00:00:00Z', note: 'ok' };
    expect(issuesOf(fixture).map((i) => `${i.path}: ${i.message}`)).toEqual([
      'clusters.c1.namespaces[0].secrets[0].labels["central-secret-store.io/credential"]: label "central-secret-store.io/credential" belongs to Central Secret Store, which sets the central-secret-store.io keys itself',
      'clusters.c1.namespaces[0].secrets[0].labels.managed-by: label "managed-by" marks Secrets written by Central Secret Store; it sets it itself, so an own secret cannot pass for a distributed copy',
      'clusters.c1.namespaces[0].secrets[0].labels["reconcile.external-secrets.io/managed"]: label "reconcile.external-secrets.io/managed" belongs to the External Secrets Operator, which reads the external-secrets.io keys',
      'clusters.c1.namespaces[0].secrets[0].annotations["central-secret-store.io/expires"]: annotation "central-secret-store.io/expires" belongs to Central Secret Store, which sets the central-secret-store.io keys itself',
    ]);
  });
});

describe('cluster settings', () => {
  test('durations must be Go durations of at least a second, and are kept in the form ESO writes back', () => {
    expectSingleIssue(
      (f) => (f.clusters.clusters[0].refreshInterval = '1 minute'),
      'clusters.yaml',
      'clusters[0].refreshInterval',
      /must be a Go duration such as 30s/,
    );
    expectSingleIssue(
      (f) => (f.clusters.clusters[0].refreshInterval = '0s'),
      'clusters.yaml',
      'clusters[0].refreshInterval',
      /must be at least 1s/,
    );
    const fixture = validFixture();
    fixture.clusters.clusters[0].refreshInterval = '90s';
    expect(loadCatalogue(writeFixture(fixture)).clusters[0].refreshInterval).toBe('1m30s');
  });

  test('deployers are users and groups, at least one', () => {
    expectSingleIssue(
      (f) => (f.clusters.clusters[0].deployers = { users: [], groups: [] }),
      'clusters.yaml',
      'clusters[0].deployers',
      /must name at least one user or group/,
    );
    const fixture = validFixture();
    fixture.clusters.clusters[0].deployers = { groups: ['3f2b0c7e-deployers'] };
    expect(loadCatalogue(writeFixture(fixture)).clusters[0].deployers).toEqual({ users: [], groups: ['3f2b0c7e-deployers'] });
  });
});

describe('pull secrets on ServiceAccounts (seed 003)', () => {
  const withPullSecrets = (f: FixtureCatalogue, entries: unknown[]) => ((alphaNs(f) as any).imagePullSecrets = entries);

  test('a requested registry credential, on default unless ServiceAccounts are named', () => {
    const alphaPulls = (entries: unknown[]) => {
      const fixture = validFixture();
      withPullSecrets(fixture, entries);
      return loadCatalogue(writeFixture(fixture)).tenants.find((t) => t.name === 'alpha')!.clusters.c1.namespaces[0].imagePullSecrets;
    };
    expect(alphaPulls([{ credential: 'registry' }])).toEqual([{ credential: 'registry', serviceAccounts: ['default'] }]);
    expect(alphaPulls([{ credential: 'registry', serviceAccounts: ['builder', 'default'] }])).toEqual([
      { credential: 'registry', serviceAccounts: ['builder', 'default'] },
    ]);
  });

  test('a credential the namespace does not request', () => {
    expectSingleIssue(
      (f) => {
        alphaNs(f).requests = [];
        withPullSecrets(f, [{ credential: 'registry' }]);
      },
      'teams/alpha.yaml',
      'clusters.c1.namespaces[0].imagePullSecrets[0].credential',
      /^namespace alpha-app does not request credential "registry"; add it to requests/,
    );
  });

  test('a credential that is not a registry', () => {
    expectSingleIssue(
      (f) => {
        f.credentials.credentials.push({ name: 'token', kind: 'generic', keyVault: { token: 'token-value' }, allowedTenants: ['alpha'] });
        alphaNs(f).requests = ['registry', 'token'];
        withPullSecrets(f, [{ credential: 'token' }]);
      },
      'teams/alpha.yaml',
      'clusters.c1.namespaces[0].imagePullSecrets[0].credential',
      /^credential "token" is a generic credential; only docker-registry credentials can be image pull secrets$/,
    );
  });

  test('a registry without a dockerconfigjson format, or with two and none named, or a name it lacks', () => {
    expectSingleIssue(
      (f) => {
        f.credentials.credentials[0].formats = [{ type: 'kargo', credType: 'image', repoURL: 'ghcr.io/contoso' }];
        withPullSecrets(f, [{ credential: 'registry' }]);
      },
      'teams/alpha.yaml',
      'clusters.c1.namespaces[0].imagePullSecrets[0].credential',
      /^credential "registry" has no dockerconfigjson format; add one to its formats$/,
    );
    expectSingleIssue(
      (f) => {
        f.credentials.credentials[0].formats = [
          { type: 'dockerconfigjson' },
          { type: 'dockerconfigjson', name: 'mirror', secretName: 'registry-mirror' },
        ];
        withPullSecrets(f, [{ credential: 'registry' }]);
      },
      'teams/alpha.yaml',
      'clusters.c1.namespaces[0].imagePullSecrets[0].credential',
      /^credential "registry" has 2 dockerconfigjson formats \(dockerconfigjson, mirror\); name one in format$/,
    );
    expectSingleIssue(
      (f) => withPullSecrets(f, [{ credential: 'registry', format: 'mirror' }]),
      'teams/alpha.yaml',
      'clusters.c1.namespaces[0].imagePullSecrets[0].format',
      /^credential "registry" has no dockerconfigjson format named "mirror"; it has dockerconfigjson$/,
    );
  });

  test('a ServiceAccount that is no valid name; one listed twice', () => {
    const fixture = validFixture();
    withPullSecrets(fixture, [{ credential: 'registry', serviceAccounts: ['builder', 'builder', 'Not_Valid'] }]);
    const issues = issuesOf(fixture);
    expect(issues.map((i) => `${i.path}: ${i.message}`)).toEqual([
      expect.stringMatching(/^clusters\.c1\.namespaces\[0\]\.imagePullSecrets\[0\]\.serviceAccounts\[2\]: .*DNS-1123 subdomain/),
    ]);
    withPullSecrets(fixture, [{ credential: 'registry', serviceAccounts: ['builder', 'builder'] }]);
    expect(issuesOf(fixture).map((i) => `${i.path}: ${i.message}`)).toEqual([
      'clusters.c1.namespaces[0].imagePullSecrets[0].serviceAccounts[1]: ServiceAccount "builder" is listed twice',
    ]);
  });
});
