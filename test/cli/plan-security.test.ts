/**
 * Changes a security review must see, named in plain words in the plan (Markdown and JSON) and given the
 * access-change exit code: who deploys (the admission policies exempt them), who owns a tenant's namespaces,
 * and everything that decides where a secret may be sent (registry hosts, Argo CD and Kargo repository
 * URLs, OAuth endpoints, the Vault server and the CA certificates ESO trusts for it).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type AccessPlan, planAccess } from '../../cli/review/access-plan';
import { EXIT } from '../../cli/support/exit-codes';
import { planMarkdown } from '../../cli/review/plan-markdown';
import { type Catalogue, loadCatalogue } from '../../tenants/lib';
import { tempDir } from '../support/temp-dir';
import { FIXTURE_CATALOGUE_DIR, copyFixtureAsRepository } from '../support/fixture-catalogue';

const ROOT = join(__dirname, '..', '..');
const OPTIONS = { baseLabel: 'main', headLabel: 'tenants', now: new Date('2028-02-15T00:00:00Z'), expiringWithinDays: 30 };

/** The example catalogue and a copy changed by `edit`. */
function change(edit: (head: any) => void): { base: Catalogue; head: Catalogue } {
  const base = loadCatalogue(FIXTURE_CATALOGUE_DIR);
  const head = structuredClone(base) as any;
  edit(head);
  return { base, head };
}

const plan = ({ base, head }: { base: Catalogue; head: Catalogue }): AccessPlan => planAccess(base, head, OPTIONS);

/** The diff lines of the plan's Markdown, and its verdict. */
function markdownOf(p: AccessPlan): { verdict: string; lines: string[] } {
  const markdown = planMarkdown(p);
  return { verdict: markdown.split('\n')[2], lines: markdown.split('\n').filter((l) => /^[+-] /.test(l)) };
}

const cluster = (head: any, name: string) => head.clusters.find((c: any) => c.name === name);
const credential = (head: any, name: string) => head.credentials.find((c: any) => c.name === name);

describe('deployers', () => {
  test('removing one of two deployers grants nothing, yet is a security change in plain words, and needs a review', () => {
    const p = plan(
      (() => {
        const base = loadCatalogue(FIXTURE_CATALOGUE_DIR);
        const wide = structuredClone(base) as any;
        cluster(wide, 'aks-weu-prod').deployers = { users: ['central-secret-store-deployer'], groups: ['platform-ci'] };
        const narrow = structuredClone(wide);
        cluster(narrow, 'aks-weu-prod').deployers = { users: [], groups: ['platform-ci'] };
        return { base: wide, head: narrow };
      })(),
    );
    expect(p.added).toEqual([]);
    expect(p.widened).toBe(false);
    expect(p.reviewNeeded).toBe(true);
    expect(p.securityChanges).toEqual([
      {
        cluster: 'aks-weu-prod',
        subject: 'deployers',
        sentence:
          'the deployers of cluster aks-weu-prod change (- user central-secret-store-deployer): deployers are exempt from the admission policies, so they alone may set tenant and request labels and point ExternalSecrets at the shared stores',
      },
    ]);
    const { verdict } = markdownOf(p);
    expect(verdict).toBe('**Security change** (0 grants added, 1 removed): the deployers change; this change needs a security review.');
    expect(planMarkdown(p)).toContain(
      '\n**Security changes:**\n\n* the deployers of cluster aks-weu-prod change (- user central-secret-store-deployer): deployers are exempt from the admission policies',
    );
  });

  test('a changed deployer is a widening and a security change', () => {
    const p = plan(change((head) => (cluster(head, 'aks-weu-prod').deployers = { users: [], groups: ['7d6f0c52-platform-ci'] })));
    expect(p.widened).toBe(true);
    expect(p.securityChanges.map((s) => s.sentence)).toEqual([
      'the deployers of cluster aks-weu-prod change (+ group 7d6f0c52-platform-ci, - user central-secret-store-deployer): deployers are exempt from the admission policies, so they alone may set tenant and request labels and point ExternalSecrets at the shared stores',
    ]);
    expect(markdownOf(p).verdict).toMatch(/^\*\*Access widens\*\*/);
  });
});

describe('tenant owners are part of the access model', () => {
  test('a new owner is a grant in every namespace of the tenant, and widens', () => {
    const p = plan(
      change((head) =>
        head.tenants.find((t: any) => t.name === 'payments').owners.push({ kind: 'User', name: 'contractor@contoso.example' }),
      ),
    );
    expect(p.widened).toBe(true);
    const owners = p.added.filter((g) => g.kind === 'owner');
    expect(owners.length).toBeGreaterThan(0);
    expect(owners).toContainEqual({
      kind: 'owner',
      cluster: 'aks-weu-prod',
      tenant: 'payments',
      namespace: 'payments-api',
      identity: 'User',
      name: 'contractor@contoso.example',
    });
    expect(markdownOf(p).lines).toContain(
      '+ user contractor@contoso.example, an owner of tenant payments, may now see the ExternalSecrets of namespace payments-api and whether they synced',
    );
  });

  test('replacing an owner shows both, in plain words', () => {
    const p = plan(
      change((head) => (head.tenants.find((t: any) => t.name === 'payments').owners = [{ kind: 'Group', name: 'payments-oncall' }])),
    );
    expect(markdownOf(p).lines).toEqual(
      expect.arrayContaining([
        '+ group payments-oncall, an owner of tenant payments, may now see the ExternalSecrets of namespace payments-api and whether they synced',
        '- group payments-admins, an owner of tenant payments, may no longer see the ExternalSecrets of namespace payments-api and whether they synced',
      ]),
    );
  });
});

describe('where a secret may be sent', () => {
  test('an Argo CD repository URL widened to every https repository', () => {
    const p = plan(change((head) => (credential(head, 'github-gitops').url = 'https://')));
    expect(p.widened).toBe(true);
    expect(markdownOf(p).lines).toEqual(
      expect.arrayContaining([
        '+ Argo CD may now send credential github-gitops (format argocd) to every repository under https://',
        '- Argo CD may no longer send credential github-gitops (format argocd) to every repository under https://github.com/contoso',
        '+ Kargo may now send credential github-gitops (format kargo) to the git repository https://',
      ]),
    );
  });

  test('a registry host changed in a dockerconfigjson format', () => {
    const p = plan(change((head) => (credential(head, 'ghcr-pull').registries = ['registry.attacker.example'])));
    expect(p.widened).toBe(true);
    expect(
      p.added.filter((g) => g.kind === 'destination').map((g: any) => [g.cluster, g.credential, g.format, g.via, g.url]),
    ).toContainEqual(['aks-weu-prod', 'ghcr-pull', 'dockerconfigjson', 'registry', 'registry.attacker.example']);
    expect(markdownOf(p).lines).toContain(
      '+ the kubelet and other registry clients may now send credential ghcr-pull (format dockerconfigjson) to the registry registry.attacker.example',
    );
  });

  test('the Vault CA bundle replaced: ESO trusts another authority for the Vault server', () => {
    const p = plan(change((head) => delete head.environments.find((e: any) => e.name === 'onprem').vault.caBundle));
    expect(p.widened).toBe(true);
    const lines = markdownOf(p).lines;
    expect(lines).toContain(
      '+ ESO now trusts any certificate authority of the system roots to be HashiCorp Vault https://vault.dc1.contoso.example:8200, and sends it its logins and reads',
    );
    expect(
      lines.some((l) =>
        /^- ESO no longer trusts the certificate authority CN=Contoso DC1 Vault CA, O=Contoso \(SHA-256 [0-9A-F:]{95}\) to be HashiCorp Vault https:\/\/vault\.dc1\.contoso\.example:8200/.test(
          l,
        ),
      ),
    ).toBe(true);
  });

  test('the Vault address changed', () => {
    const p = plan(
      change((head) => (head.environments.find((e: any) => e.name === 'onprem').vault.address = 'https://vault.elsewhere.example:8200')),
    );
    expect(p.widened).toBe(true);
    expect(markdownOf(p).lines.filter((l) => l.startsWith('+ ESO now trusts'))).toEqual([
      expect.stringMatching(
        /^\+ ESO now trusts the certificate authority CN=Contoso DC1 Vault CA, O=Contoso \(SHA-256 [0-9A-F:]+\) to be HashiCorp Vault https:\/\/vault\.elsewhere\.example:8200, and sends it its logins and reads$/,
      ),
    ]);
  });

  test('OAuth endpoints and Kargo repository URLs are destinations too', () => {
    const oauth = plan(change((head) => (credential(head, 'entra-oauth-client').tokenUrl = 'https://token.attacker.example/oauth2/token')));
    expect(oauth.widened).toBe(true);
    expect(markdownOf(oauth).lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^\+ .*credential entra-oauth-client \(format oauth\) to the token endpoint https:\/\/token\.attacker\.example\/oauth2\/token$/,
        ),
      ]),
    );
  });
});

describe('npm run plan', () => {
  test('a change that only removes a deployer exits with the access-change code and says why', () => {
    const repo = tempDir('css-plan-security-');
    const clusters = join(copyFixtureAsRepository(repo), 'clusters.yaml');
    const text = readFileSync(clusters, 'utf8');
    writeFileSync(
      clusters,
      text.replace(
        '    refreshInterval: 2m\n',
        '    refreshInterval: 2m\n    deployers: { users: [central-secret-store-deployer], groups: [platform-ci] }\n',
      ),
    );
    const git = (...args: string[]) =>
      execFileSync('git', ['-C', repo, '-c', 'user.name=test', '-c', 'user.email=test@example.com', ...args]);
    git('init', '-q', '-b', 'main');
    git('add', '.');
    git('commit', '-q', '-m', 'catalogue');
    writeFileSync(clusters, readFileSync(clusters, 'utf8').replace('users: [central-secret-store-deployer], ', ''));
    const result = spawnSync(
      process.execPath,
      [join(ROOT, 'cli', 'bin.js'), 'plan', '--catalogue', 'tenants', '--now', '2028-02-15T00:00:00Z', '--base', 'main'],
      { encoding: 'utf8', cwd: repo },
    );
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain(
      '**Security change** (0 grants added, 1 removed): the deployers change; this change needs a security review.',
    );
    expect(result.stdout).toContain('- user central-secret-store-deployer may no longer deploy');
    expect(result.status).toBe(EXIT.accessWidened);
  });
});
