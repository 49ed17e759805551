/**
 * `npm run plan` as a pull request runs it: in a git repository holding the fixture catalogue (the example's copy), against a git
 * ref or a folder, with its exact Markdown, its JSON, its exit codes and its errors.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXIT } from '../../cli/support/exit-codes';
import { copyFixtureAsRepository } from '../support/fixture-catalogue';
import { tempDir } from '../support/temp-dir';

const ROOT = join(__dirname, '..', '..');
const NOW = '2028-02-15T00:00:00Z';

/** A git repository whose one commit holds the fixture catalogue and the library search.ts imports (with the constructs' modules it imports). */
function repository(): string {
  const repo = tempDir('css-plan-repo-');
  copyFixtureAsRepository(repo);
  const git = (...args: string[]) =>
    execFileSync('git', ['-C', repo, '-c', 'user.name=test', '-c', 'user.email=test@example.com', ...args]);
  git('init', '-q', '-b', 'main');
  git('add', '.');
  git('commit', '-q', '-m', 'catalogue');
  return repo;
}

/** Runs the plan in `cwd` (so that folders are named relative to it). */
const plan = (cwd: string, ...args: string[]) =>
  spawnSync(process.execPath, [join(ROOT, 'cli', 'bin.js'), 'plan', '--catalogue', 'tenants', '--now', NOW, ...args], {
    encoding: 'utf8',
    cwd,
  });

function edit(repo: string, file: string, from: string, to: string): void {
  const path = join(repo, 'tenants', file);
  const text = readFileSync(path, 'utf8');
  if (!text.includes(from)) throw new Error(`${file} does not contain ${from}`);
  writeFileSync(path, text.replace(from, to));
}

/** The line of a catalogue file that holds `text`, counted from 1. */
function lineOf(repo: string, file: string, text: string): number {
  return (
    readFileSync(join(repo, 'tenants', file), 'utf8')
      .split('\n')
      .findIndex((line) => line.includes(text)) + 1
  );
}

const ADD_ONE_REQUEST = ['teams/payments.yaml', 'requests: [github-gitops]', 'requests: [github-gitops, datadog-api]'] as const;

describe('npm run plan', () => {
  test('a branch that adds one request prints exactly that grant, and exits 3 (access widened)', () => {
    const repo = repository();
    edit(repo, ...ADD_ONE_REQUEST);
    const result = plan(repo, '--base', 'main');
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe(`## Access plan: \`main\` → \`tenants\`

**Access widens** (1 grant added, 0 removed): this change needs a security review.

### aks-weu-prod

\`\`\`diff
+ namespace payments-gitops (tenant payments) gains credential datadog-api as opaque
\`\`\`

### Vault reads

| vault (environment) | GETs per hour | peak GETs at once | peak, of Key Vault's limit (4,000 GETs per 10 s) |
|---|---:|---:|---:|
| \`https://vault.dc1.contoso.example:8200\` (onprem) | 168 | 14 | no fixed limit |
| \`contoso-css-prod\` (prod) | 432 | 36 | 0.9 % |
| \`contoso-css-staging\` (staging) | 192 | 16 | 0.4 % |

Each cluster reads the master of every credential it offers from its environment's vault every 5m0s, one GET per master key, and its canary's one value; tenant copies read the cluster's API server, never the vault. Each namespace reads its own secrets, and its tenant's global secrets on that cluster, every 5m0s, one GET per key. The peak is all of them refreshing at once, as after ESO restarts. HashiCorp Vault has no fixed limit: the peak is for sizing the server.

### Own secrets expiring within 30 days of 2028-02-15

| expires | days left | cluster | tenant | namespace | secret |
|---|---:|---|---|---|---|
| 2028-03-01T00:00:00Z | 15 | edge-k3s-ams-01 | data-science | ds-edge-inference | model-registry-token |
| 2028-03-01T00:00:00Z | 15 | k3s-onprem-01 | data-science | ds-training | feature-store |
`);
    expect(result.status).toBe(EXIT.accessWidened);
    expect(plan(repo, '--base', 'main').stdout).toBe(result.stdout);
  });

  test('--json prints the same plan for machines, and --out writes it to a file', () => {
    const repo = repository();
    edit(repo, ...ADD_ONE_REQUEST);
    const result = plan(repo, '--base', 'main', '--json');
    const json = JSON.parse(result.stdout);
    expect(json.widened).toBe(true);
    expect(json.added).toEqual([
      {
        kind: 'delivery',
        cluster: 'aks-weu-prod',
        tenant: 'payments',
        namespace: 'payments-gitops',
        credential: 'datadog-api',
        format: 'opaque',
      },
    ]);
    expect(json.removed).toEqual([]);
    expect(json.vaultLimit).toEqual({ requests: 4000, seconds: 10 });
    expect(json.expiring.secrets).toEqual([
      {
        cluster: 'edge-k3s-ams-01',
        tenant: 'data-science',
        namespace: 'ds-edge-inference',
        secret: 'model-registry-token',
        expires: '2028-03-01T00:00:00Z',
        daysLeft: 15,
        expired: false,
        file: 'tenants/teams/data-science.yaml',
      },
      {
        cluster: 'k3s-onprem-01',
        tenant: 'data-science',
        namespace: 'ds-training',
        secret: 'feature-store',
        expires: '2028-03-01T00:00:00Z',
        daysLeft: 15,
        expired: false,
        file: 'tenants/teams/data-science.yaml',
      },
    ]);
    const written = plan(repo, '--base', 'main', '--json', '--out', 'plan.json');
    expect(written.stdout).toBe('plan: wrote plan.json: access widens (1 added, 0 removed)\n');
    expect(written.status).toBe(EXIT.accessWidened);
    expect(readFileSync(join(repo, 'plan.json'), 'utf8')).toBe(result.stdout);
  });

  test('an unchanged catalogue plans nothing and exits 0; a change that only removes access exits 0 too', () => {
    const repo = repository();
    const unchanged = plan(repo, '--base', 'main');
    expect(unchanged.stdout).toContain('**No access changes.**');
    expect(unchanged.status).toBe(EXIT.ok);

    edit(repo, 'teams/payments.yaml', 'requests: [github-gitops]', 'requests: []');
    const narrowed = plan(repo, '--base', 'main');
    expect(narrowed.stdout).toContain('**Access narrows only** (0 grants added, 3 removed)');
    expect(narrowed.stdout).toContain('- namespace payments-gitops (tenant payments) loses credential github-gitops as argocd\n');
    expect(narrowed.status).toBe(EXIT.ok);
  });

  test('a folder as base, and every kind of grant in plain words', () => {
    const repo = repository();
    const base = tempDir('css-plan-base-');
    cpSync(join(repo, 'tenants'), base, { recursive: true });
    // data-science has a namespace on the HashiCorp Vault cluster, so the credential now needs Vault paths too.
    edit(
      repo,
      'credentials.yaml',
      'contoso-root-ca }\n    allowedTenants: [payments, search]',
      'contoso-root-ca }\n    vault: { tls.crt: tls/wildcard#crt, tls.key: tls/wildcard#key, ca.crt: tls/contoso-root-ca#crt }\n    allowedTenants: [payments, search, data-science]',
    );
    edit(
      repo,
      'teams/payments.yaml',
      'serviceAccounts: [default, settlement-worker]',
      'serviceAccounts: [default, settlement-worker, batch]',
    );
    edit(
      repo,
      'clusters.yaml',
      '    trustDomain: edge.contoso.example',
      '    trustDomain: edge.contoso.example\n    deployers: { groups: [7d6f0c52-platform-ci] }',
    );
    edit(
      repo,
      'teams/data-science.yaml',
      '            expires: "2028-03-01T00:00:00Z"',
      '            expires: "2028-03-01T00:00:00Z"\n          - name: feature-store\n            type: workload\n            serviceAccount: feast\n            spiffeId: spiffe://edge.contoso.example/ns/ds-edge-inference/sa/feast\n            keyVault: { key: data-science--feature-store-key }',
    );
    const result = plan(repo, '--base', base);
    expect(result.status).toBe(EXIT.accessWidened);
    // Three more master keys on edge-k3s-ams-01 and one more own secret, and three master keys on k3s-onprem-01,
    // each read every five minutes.
    expect(result.stdout).toContain(
      '| `https://vault.dc1.contoso.example:8200` (onprem) | 168 → 204 | 14 → 17 | no fixed limit |\n' +
        '| `contoso-css-prod` (prod) | 432 → 480 | 36 → 40 | 1 % |\n| `contoso-css-staging` (staging) | 192 | 16 | 0.4 % |\n',
    );
    const changes = result.stdout.slice(result.stdout.indexOf('### All clusters'), result.stdout.indexOf('### Vault reads'));
    expect(changes).toBe(`### All clusters

\`\`\`diff
+ tenant data-science may now request credential wildcard-tls
\`\`\`

### aks-weu-prod

\`\`\`diff
+ ServiceAccount batch in namespace payments-api (tenant payments) now pulls images with credential ghcr-pull as dockerconfigjson
+ store central-wildcard-tls now admits namespaces of tenant data-science
\`\`\`

### aks-weu-staging

\`\`\`diff
+ store central-wildcard-tls now admits namespaces of tenant data-science
\`\`\`

### edge-k3s-ams-01

\`\`\`diff
+ namespace ds-edge-inference (tenant data-science) gains own secret feature-store from Key Vault contoso-css-prod: data-science--feature-store-key, readable by ServiceAccount feast only
+ store central-wildcard-tls now admits namespaces of tenant data-science
+ store central-wildcard-tls now admits namespaces of tenant payments
+ store central-wildcard-tls now admits namespaces of tenant search
+ the cluster now reads contoso-root-ca from Key Vault contoso-css-prod as ca.crt of credential wildcard-tls
+ the cluster now reads wildcard-certificate from Key Vault contoso-css-prod as tls.crt of credential wildcard-tls
+ the cluster now reads wildcard-certificate-key from Key Vault contoso-css-prod as tls.key of credential wildcard-tls
+ group 7d6f0c52-platform-ci may now deploy: set tenant and request labels, use the shared stores
- user central-secret-store-deployer may no longer deploy: set tenant and request labels, use the shared stores
\`\`\`

### k3s-onprem-01

\`\`\`diff
+ store central-wildcard-tls now admits namespaces of tenant data-science
+ store central-wildcard-tls now admits namespaces of tenant payments
+ store central-wildcard-tls now admits namespaces of tenant search
+ the cluster now reads css-shared/tls/contoso-root-ca#crt from HashiCorp Vault https://vault.dc1.contoso.example:8200 as ca.crt of credential wildcard-tls
+ the cluster now reads css-shared/tls/wildcard#crt from HashiCorp Vault https://vault.dc1.contoso.example:8200 as tls.crt of credential wildcard-tls
+ the cluster now reads css-shared/tls/wildcard#key from HashiCorp Vault https://vault.dc1.contoso.example:8200 as tls.key of credential wildcard-tls
\`\`\`

`);
  });

  test("an invalid catalogue, base or head, exits 2 naming each file, line and field; the base's files named by ref", () => {
    const repo = repository();
    edit(repo, 'teams/payments.yaml', 'requests: [github-gitops]', 'requests: [gitlab-deploy-key]');
    execFileSync('git', [
      '-C',
      repo,
      '-c',
      'user.name=test',
      '-c',
      'user.email=test@example.com',
      'commit',
      '-q',
      '-am',
      'a request payments may not make',
    ]);
    edit(repo, 'teams/data-science.yaml', 'requests: [acr-pull, gitlab-deploy-key]', 'requests: [acr-pull, gitlab-deploy-kye]');
    const result = plan(repo, '--base', 'main');
    const [payments, dataScience] = [
      lineOf(repo, 'teams/payments.yaml', 'gitlab-deploy-key'),
      lineOf(repo, 'teams/data-science.yaml', 'gitlab-deploy-kye'),
    ];
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      'plan: the base catalogue has 1 error:\n' +
        `  main:tenants/teams/payments.yaml:${payments}: clusters.aks-weu-prod.namespaces[1].requests[0]: tenant "payments" may not request credential "gitlab-deploy-key"; it is allowed for: data-science (see main:tenants/credentials.yaml)\n` +
        'plan: the catalogue has 2 errors:\n' +
        `  tenants/teams/data-science.yaml:${dataScience}: clusters.aks-weu-staging.namespaces[0].requests[1]: unknown credential "gitlab-deploy-kye" (known: acr-pull, datadog-api, edge-gateway-tls, entra-oauth-client, ghcr-pull, github-gitops, gitlab-deploy-key, wildcard-tls)\n` +
        `  tenants/teams/payments.yaml:${payments}: clusters.aks-weu-prod.namespaces[1].requests[0]: tenant "payments" may not request credential "gitlab-deploy-key"; it is allowed for: data-science (see tenants/credentials.yaml)\n`,
    );
    expect(result.status).toBe(EXIT.invalidCatalogue);
  });

  test('a base that is neither a folder nor a git ref exits 1 and says so', () => {
    const repo = repository();
    const result = plan(repo, '--base', 'no-such-branch');
    expect(result.stderr).toBe(
      `central-secret-store: "no-such-branch" is neither a folder nor a git ref of ${execFileSync('git', ['-C', repo, 'rev-parse', '--show-toplevel'], { encoding: 'utf8' }).trim()}\n`,
    );
    expect(result.status).toBe(EXIT.error);
  });
});
