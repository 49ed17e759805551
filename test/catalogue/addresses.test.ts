/**
 * Addresses the catalogue writes into manifests and plans: the Vault server's, and the URLs and hosts a
 * credential is sent to. Each is parsed as a WHATWG URL; a user name or password, a control character, a
 * query or a fragment is refused, and the error names the field and the reason, never the address.
 */
import { synthesizeCluster } from '../../plane';
import { loadCatalogue } from '../../tenants/lib';
import { type FixtureCatalogue, vaultFixture, vaultFixtureError, writeFixture } from '../support/fixture-catalogue';

const PASSWORD = 'Tr0ub4dor&3-hunter2';

const vault = (f: FixtureCatalogue) => (f.clusters.environments[1] as { vault: Record<string, unknown> }).vault;
const credential = (f: FixtureCatalogue) => f.credentials.credentials[0];

describe('the Vault address', () => {
  test.each([
    ['a user name and password', `https://css:${PASSWORD}@vault.lab.example:8200`, /must not hold a user name or password/],
    ['a user name alone', 'https://css@vault.lab.example:8200', /must not hold a user name or password/],
    [
      'a newline that would start a new manifest line',
      'https://vault.lab.example:8200\n    path: evil',
      /holds the control character U\+000A at position 31/,
    ],
    ['a tab, which URL parsers drop silently', 'https://vault.lab\t.example:8200', /holds the control character U\+0009 at position 18/],
    ['a query', 'https://vault.lab.example:8200?token=abc', /must not have a query/],
    ['a fragment', 'https://vault.lab.example:8200#x', /must not have a fragment/],
    ['a path', 'https://vault.lab.example:8200/v1', /without a path/],
    ['plain http', 'http://vault.lab.example:8200', /must be an https:\/\/ URL/],
    ['blanks around it', ' https://vault.lab.example:8200', /must not start or end with blanks/],
    ['no URL at all', 'vault.lab.example:8200', /must be an https:\/\/ URL/],
  ])('%s is refused at its field, and the address is not printed', (_what, address, reason) => {
    const { text, issues } = vaultFixtureError((f) => (vault(f).address = address));
    expect(issues).toEqual([expect.stringMatching(/^environments\[1\]\.vault\.address: /)]);
    expect(issues[0]).toMatch(reason);
    expect(text).not.toContain(address.trim());
    expect(text).not.toContain(PASSWORD);
    expect(text).not.toContain('vault.lab');
  });

  test('a valid address is kept as its origin, which is what synth writes', () => {
    const fixture = vaultFixture();
    vault(fixture).address = 'https://Vault.Lab.Example:8200/';
    const catalogue = loadCatalogue(writeFixture(fixture));
    expect(catalogue.environments.find((e) => e.name === 'lab')!.vault!.address).toBe('https://vault.lab.example:8200');
    const store = synthesizeCluster(catalogue, 'v1').clusterScoped.find(
      (o: any) => o.kind === 'ClusterSecretStore' && o.spec.provider.vault,
    ) as any;
    expect(store.spec.provider.vault.server).toBe('https://vault.lab.example:8200');
  });
});

describe('where a credential is sent', () => {
  test('a password in a repository URL is refused and not printed', () => {
    const { text, issues } = vaultFixtureError((f) => {
      f.credentials.credentials.push({
        name: 'git',
        kind: 'git',
        url: `https://bot:${PASSWORD}@github.com/contoso`,
        keyVault: { username: 'git-user', password: 'git-pass' },
        vault: { username: 'git', password: 'git' },
        allowedTenants: ['alpha'],
        formats: [
          { type: 'argocd', url: `https://x-access-token:${PASSWORD}@github.com/contoso/app` },
          { type: 'kargo', repoURL: `https://${PASSWORD}@github.com/contoso/app` },
        ],
      });
    });
    expect(issues.sort()).toEqual([
      "credentials[1].formats[0].url: must not hold a user name or password: the credential is the master's, and a URL is written into manifests and plans",
      "credentials[1].formats[1].repoURL: must not hold a user name or password: the credential is the master's, and a URL is written into manifests and plans",
      "credentials[1].url: must not hold a user name or password: the credential is the master's, and a URL is written into manifests and plans",
    ]);
    expect(text).not.toContain(PASSWORD);
  });

  test('an ssh URL keeps its user name (git@), never a password', () => {
    const ok = vaultFixtureError((f) =>
      f.credentials.credentials.push({
        name: 'git',
        kind: 'git',
        url: 'ssh://git@gitlab.example/data',
        keyVault: { sshPrivateKey: 'git-key' },
        vault: { sshPrivateKey: 'git' },
        allowedTenants: ['alpha'],
      }),
    );
    expect(ok.issues).toEqual([]);
    const scp = vaultFixtureError((f) =>
      f.credentials.credentials.push({
        name: 'git',
        kind: 'git',
        url: 'git@gitlab.example:data/app.git',
        keyVault: { sshPrivateKey: 'git-key' },
        vault: { sshPrivateKey: 'git' },
        allowedTenants: ['alpha'],
      }),
    );
    expect(scp.issues).toEqual([]);
    const { text, issues } = vaultFixtureError((f) =>
      f.credentials.credentials.push({
        name: 'git',
        kind: 'git',
        url: `ssh://git:${PASSWORD}@gitlab.example/data`,
        keyVault: { sshPrivateKey: 'git-key' },
        vault: { sshPrivateKey: 'git' },
        allowedTenants: ['alpha'],
      }),
    );
    expect(issues).toEqual([expect.stringMatching(/^credentials\[1\]\.url: must not hold a password/)]);
    expect(text).not.toContain(PASSWORD);
  });

  test('registries are hosts: no user name, password, scheme or control character', () => {
    const { text, issues } = vaultFixtureError(
      (f) =>
        ((credential(f) as any).registries = [
          `bot:${PASSWORD}@ghcr.io`,
          'https://ghcr.io',
          'ghcr.io\r',
          'ghcr.io',
          'ghcr.io/contoso',
          'localhost:5000',
        ]),
    );
    expect(issues).toEqual([
      expect.stringMatching(/^credentials\[0\]\.registries\[0\]: must not hold a user name or password/),
      expect.stringMatching(
        /^credentials\[0\]\.registries\[1\]: must be a registry host such as ghcr\.io or registry\.example:5000, without a scheme/,
      ),
      expect.stringMatching(/^credentials\[0\]\.registries\[2\]: holds the control character U\+000D at position 8/),
    ]);
    expect(text).not.toContain(PASSWORD);
  });

  test('OAuth URLs: https only, no user name or password, query or fragment', () => {
    const { issues } = vaultFixtureError((f) =>
      f.credentials.credentials.push({
        name: 'oauth',
        kind: 'oauth',
        issuerUrl: `https://id:${PASSWORD}@login.example/`,
        tokenUrl: 'https://login.example/token?client_secret=x',
        keyVault: { clientId: 'o-id', clientSecret: 'o-secret' },
        vault: { clientId: 'o', clientSecret: 'o' },
        allowedTenants: ['alpha'],
      }),
    );
    expect(issues).toEqual([
      expect.stringMatching(/^credentials\[1\]\.issuerUrl: must not hold a user name or password/),
      expect.stringMatching(/^credentials\[1\]\.tokenUrl: must not have a query/),
    ]);
  });
});
