/**
 * A real, local Kubernetes control plane without a container engine: etcd, kube-apiserver and
 * kube-controller-manager 1.34.4 and the External Secrets Operator controller, all built from the Go module
 * proxy (test/toolchain/build.sh), listening on loopback only, on free ports, in a temporary folder.
 * `stop()` kills every process it started, also when a test fails.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { KubeClient } from '../../../cli/kube-client';
import { ESO_CONTROLLER_USERNAME } from '../../../constructs/src';

/** Identities the API server knows, by static token. */
export const USERS = {
  admin: { name: 'e2e-admin', groups: ['system:masters'] },
  // The platform's deployer is known to the policies by its group, as an Entra ID group is on AKS.
  deployer: { name: 'pulumi-ci', groups: ['system:masters', 'central-secret-store-deployers'] },
  // Named as ESO's ServiceAccount in a real cluster, so the admission policies treat it the same.
  eso: { name: ESO_CONTROLLER_USERNAME, groups: [] as string[] },
  alice: { name: 'alice', groups: ['payments-admins'] },
  bob: { name: 'bob', groups: ['search-team'] },
  labeller: { name: 'namespace-labeller', groups: ['namespace-editors'] },
} as const;
export type UserName = keyof typeof USERS;

export interface ToolPaths {
  readonly kube: string;
  readonly eso: string;
}

/** Builds (once per machine) or finds the binaries. */
export function buildToolchain(): ToolPaths {
  const script = join(__dirname, '..', '..', 'toolchain', 'build.sh');
  const [kube, eso] = execFileSync('bash', [script, 'kube', 'eso'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim().split('\n');
  return { kube, eso };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class ControlPlane {
  readonly dir = mkdtempSync(join(tmpdir(), 'css-e2e-'));
  readonly tokens: Record<UserName, string> = Object.fromEntries(Object.keys(USERS).map((u) => [u, `token-${u}-${Math.random().toString(36).slice(2)}`])) as Record<UserName, string>;
  private readonly processes: { name: string; child: ChildProcess }[] = [];
  server = '';
  caPem = '';
  /** Seconds each component took to become ready. */
  readonly startup: Record<string, number> = {};

  constructor(private readonly tools: ToolPaths) {
    // A stray control plane must never outlive the test run, whatever happens.
    process.once('exit', () => this.killAll());
  }

  /** Starts etcd, kube-apiserver and kube-controller-manager, and waits until the API answers. */
  async start(): Promise<void> {
    const [etcdClient, etcdPeer, apiPort, kcmPort] = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
    this.server = `https://127.0.0.1:${apiPort}`;
    this.writeCertificates();
    this.writeAuth();

    let t = Date.now();
    this.launch('etcd', join(this.tools.kube, 'etcd'), [
      `--data-dir=${join(this.dir, 'etcd')}`,
      `--listen-client-urls=http://127.0.0.1:${etcdClient}`,
      `--advertise-client-urls=http://127.0.0.1:${etcdClient}`,
      `--listen-peer-urls=http://127.0.0.1:${etcdPeer}`,
      `--initial-advertise-peer-urls=http://127.0.0.1:${etcdPeer}`,
      `--initial-cluster=default=http://127.0.0.1:${etcdPeer}`,
      '--unsafe-no-fsync',
      '--log-level=warn',
    ]);
    await this.waitFor('etcd', async () => (await fetch(`http://127.0.0.1:${etcdClient}/health`)).ok);
    this.startup.etcd = (Date.now() - t) / 1000;

    t = Date.now();
    const pki = (f: string) => join(this.dir, 'pki', f);
    this.launch('kube-apiserver', join(this.tools.kube, 'kube-apiserver'), [
      `--etcd-servers=http://127.0.0.1:${etcdClient}`,
      '--bind-address=127.0.0.1',
      '--advertise-address=127.0.0.1',
      `--secure-port=${apiPort}`,
      `--tls-cert-file=${pki('apiserver.crt')}`,
      `--tls-private-key-file=${pki('apiserver.key')}`,
      `--client-ca-file=${pki('ca.crt')}`,
      `--token-auth-file=${join(this.dir, 'tokens.csv')}`,
      '--authorization-mode=RBAC',
      `--service-account-issuer=${this.server}`,
      `--service-account-key-file=${pki('sa.pub')}`,
      `--service-account-signing-key-file=${pki('sa.key')}`,
      '--service-cluster-ip-range=10.0.0.0/24',
      '--endpoint-reconciler-type=none',
      '--allow-privileged=true',
      `--audit-policy-file=${join(this.dir, 'audit-policy.yaml')}`,
      `--audit-log-path=${this.auditLogPath}`,
      '--audit-log-maxsize=200',
    ]);
    await this.waitFor('kube-apiserver', async () => (await this.get('/readyz', 'admin')).status === 200, 120);
    this.startup['kube-apiserver'] = (Date.now() - t) / 1000;

    t = Date.now();
    this.launch('kube-controller-manager', join(this.tools.kube, 'kube-controller-manager'), [
      `--kubeconfig=${this.kubeconfig('admin')}`,
      '--controllers=namespace-controller,garbage-collector-controller,serviceaccount-controller,root-ca-certificate-publisher-controller',
      `--root-ca-file=${pki('ca.crt')}`,
      `--service-account-private-key-file=${pki('sa.key')}`,
      '--leader-elect=false',
      '--bind-address=127.0.0.1',
      `--secure-port=${kcmPort}`,
      '--concurrent-gc-syncs=5',
      '--concurrent-namespace-syncs=5',
    ]);
    await this.waitFor('kube-controller-manager', async () => (await this.get('/api/v1/namespaces/default/configmaps/kube-root-ca.crt', 'admin')).status === 200, 120);
    this.startup['kube-controller-manager'] = (Date.now() - t) / 1000;
  }

  /** Starts the ESO controller out of cluster, as its own user. */
  async startEso(): Promise<void> {
    const [metrics, live] = await Promise.all([freePort(), freePort()]);
    const t = Date.now();
    this.launch('external-secrets', join(this.tools.eso, 'external-secrets'), [
      `--metrics-addr=127.0.0.1:${metrics}`,
      `--live-addr=127.0.0.1:${live}`,
      '--concurrent=8',
      '--client-qps=200',
      '--client-burst=400',
      '--loglevel=warn',
      '--enable-push-secret-reconciler=false',
      '--enable-cluster-push-secret-reconciler=false',
    ], { KUBECONFIG: this.kubeconfig('eso') });
    await this.waitFor('external-secrets', async () => (await fetch(`http://127.0.0.1:${live}/healthz`)).ok, 60);
    this.startup['external-secrets'] = (Date.now() - t) / 1000;
  }

  get auditLogPath(): string {
    return join(this.dir, 'audit.log');
  }

  /** Writes (once) and returns a kubeconfig for a user. */
  kubeconfig(user: UserName): string {
    const file = join(this.dir, `kubeconfig-${user}`);
    writeFileSync(
      file,
      stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [{ name: 'e2e', cluster: { server: this.server, 'certificate-authority': join(this.dir, 'pki', 'ca.crt') } }],
        users: [{ name: user, user: { token: this.tokens[user] } }],
        contexts: [{ name: 'e2e', context: { cluster: 'e2e', user } }],
        'current-context': 'e2e',
      }),
    );
    return file;
  }

  /** A raw GET as one of the users, for readiness checks. */
  get(path: string, user: UserName): Promise<{ status: number; body: unknown }> {
    return new KubeClient(this.server, this.caPem, this.tokens[user]).request('GET', path);
  }

  async stop(): Promise<void> {
    for (const { child } of [...this.processes].reverse()) child.kill('SIGTERM');
    const deadline = Date.now() + 10_000;
    while (this.processes.some((p) => p.child.exitCode === null && p.child.signalCode === null) && Date.now() < deadline) await sleep(100);
    this.killAll();
    if (!process.env.CSS_E2E_KEEP) rmSync(this.dir, { recursive: true, force: true });
  }

  private killAll(): void {
    for (const { child } of this.processes) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }

  private launch(name: string, binary: string, args: string[], env: Record<string, string> = {}): void {
    const log = createWriteStream(join(this.dir, `${name}.log`));
    const child = spawn(binary, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
    this.processes.push({ name, child });
  }

  private async waitFor(name: string, ready: () => Promise<boolean>, seconds = 30): Promise<void> {
    const deadline = Date.now() + seconds * 1000;
    while (Date.now() < deadline) {
      const proc = this.processes.find((p) => p.name === name);
      if (proc && proc.child.exitCode !== null) break;
      try {
        if (await ready()) return;
      } catch {
        // not up yet
      }
      await sleep(250);
    }
    const log = readFileSync(join(this.dir, `${name}.log`), 'utf8').split('\n').slice(-30).join('\n');
    throw new Error(`${name} did not become ready within ${seconds}s; last log lines:\n${log}`);
  }

  private writeCertificates(): void {
    const pki = join(this.dir, 'pki');
    mkdirSync(pki);
    const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: pki, stdio: 'pipe' });
    openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-subj', '/CN=central-secret-store-e2e-ca');
    openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'apiserver.key', '-out', 'apiserver.csr', '-subj', '/CN=kube-apiserver');
    writeFileSync(join(pki, 'san.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kubernetes.default.svc\n');
    openssl('x509', '-req', '-in', 'apiserver.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'apiserver.crt', '-days', '2', '-extfile', 'san.ext');
    openssl('genrsa', '-out', 'sa.key', '2048');
    openssl('rsa', '-in', 'sa.key', '-pubout', '-out', 'sa.pub');
    this.caPem = readFileSync(join(pki, 'ca.crt'), 'utf8');
  }

  private writeAuth(): void {
    const lines = Object.entries(USERS).map(([key, u]) => `${this.tokens[key as UserName]},${u.name},${u.name},"${u.groups.join(',')}"`);
    writeFileSync(join(this.dir, 'tokens.csv'), `${lines.join('\n')}\n`);
    // Metadata for every request, and who wrote or read which Secret: the audit trail of Property 9.
    writeFileSync(
      join(this.dir, 'audit-policy.yaml'),
      stringify({
        apiVersion: 'audit.k8s.io/v1',
        kind: 'Policy',
        omitStages: ['RequestReceived'],
        rules: [
          { level: 'None', users: ['system:kube-controller-manager'], verbs: ['get', 'list', 'watch'] },
          { level: 'Metadata', resources: [{ group: '', resources: ['secrets'] }] },
          { level: 'Metadata', resources: [{ group: 'external-secrets.io' }] },
          { level: 'None' },
        ],
      }),
    );
  }
}
