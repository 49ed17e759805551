/**
 * A real, local Kubernetes control plane without a container engine: etcd, kube-apiserver and
 * kube-controller-manager 1.34.4 and the External Secrets Operator controller, all built from the Go module
 * proxy (test/toolchain/build.sh), listening on loopback only, on free ports, in a temporary folder.
 * `stop()` kills every process it started, also when a test fails. With `nodeName` it also serves a kubelet
 * (node-cluster.ts).
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { KubeClient } from '../../support/kube-client';
import { Processes, freePort } from './processes';

/** Identities the API server knows, by static token. */
export const USERS = {
  admin: { name: 'e2e-admin', groups: ['system:masters'] },
  // The platform's deployer is known to the policies by its group, as an Entra ID group is on AKS.
  deployer: { name: 'pulumi-ci', groups: ['system:masters', 'central-secret-store-deployers'] },
  alice: { name: 'alice', groups: ['payments-admins'] },
  bob: { name: 'bob', groups: ['search-team'] },
  labeller: { name: 'namespace-labeller', groups: ['namespace-editors'] },
} as const;
export type UserName = keyof typeof USERS;

/** The fields of an audit.k8s.io/v1 Event the suite reads. */
export interface AuditEvent {
  verb: string;
  user: { username: string; groups?: string[]; extra?: Record<string, string[]> };
  objectRef?: { resource?: string; namespace?: string; name?: string };
  responseStatus?: { code?: number };
}

export interface ToolPaths {
  /** The folder of etcd, kube-apiserver and kube-controller-manager (the `kube` toolchain target). */
  readonly kube: string;
}

export interface ControlPlaneOptions {
  /**
   * Serve a kubelet registered under this node name: the Node authorizer and NodeRestriction admit it, the
   * API server reaches it with a client certificate at its Hostname address, and every default controller
   * runs (Deployments, ReplicaSets and the node lifecycle among them).
   */
  readonly nodeName?: string;
  /** Called with the PID of every process started (the node keeps them all in its cgroup tree). */
  readonly adopt?: (pid: number) => void;
}

export class ControlPlane {
  readonly dir = mkdtempSync(join(tmpdir(), 'css-e2e-'));
  readonly tokens: Record<UserName, string> = Object.fromEntries(Object.keys(USERS).map((u) => [u, randomToken(u)])) as Record<
    UserName,
    string
  >;
  readonly processes: Processes;
  server = '';
  caPem = '';
  /** Seconds each component took to become ready. */
  readonly startup: Record<string, number> = {};
  private readonly nodeToken = randomToken('node');

  constructor(
    private readonly tools: ToolPaths,
    private readonly options: ControlPlaneOptions = {},
  ) {
    // Its processes die with the test process, whatever happens (processes.ts).
    this.processes = new Processes(this.dir, options.adopt);
  }

  /** A file of the cluster's PKI (ca.crt, ca.key, ...). */
  pki(file: string): string {
    return join(this.dir, 'pki', file);
  }

  /** Starts etcd, kube-apiserver and kube-controller-manager, and waits until the API answers. */
  async start(): Promise<void> {
    const [etcdClient, etcdPeer, apiPort, kcmPort] = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
    this.server = `https://127.0.0.1:${apiPort}`;
    this.writeCertificates();
    this.writeAuth();

    let t = Date.now();
    this.processes.launch('etcd', join(this.tools.kube, 'etcd'), [
      `--data-dir=${join(this.dir, 'etcd')}`,
      `--listen-client-urls=http://127.0.0.1:${etcdClient}`,
      `--advertise-client-urls=http://127.0.0.1:${etcdClient}`,
      `--listen-peer-urls=http://127.0.0.1:${etcdPeer}`,
      `--initial-advertise-peer-urls=http://127.0.0.1:${etcdPeer}`,
      `--initial-cluster=default=http://127.0.0.1:${etcdPeer}`,
      '--unsafe-no-fsync',
      '--log-level=warn',
    ]);
    await this.processes.waitFor('etcd', async () => (await fetch(`http://127.0.0.1:${etcdClient}/health`)).ok);
    this.startup.etcd = (Date.now() - t) / 1000;

    t = Date.now();
    const pki = (f: string) => this.pki(f);
    const node = this.options.nodeName;
    this.processes.launch('kube-apiserver', join(this.tools.kube, 'kube-apiserver'), [
      `--etcd-servers=http://127.0.0.1:${etcdClient}`,
      '--bind-address=127.0.0.1',
      '--advertise-address=127.0.0.1',
      `--secure-port=${apiPort}`,
      `--tls-cert-file=${pki('apiserver.crt')}`,
      `--tls-private-key-file=${pki('apiserver.key')}`,
      `--client-ca-file=${pki('ca.crt')}`,
      `--token-auth-file=${join(this.dir, 'tokens.csv')}`,
      ...(node
        ? [
            '--authorization-mode=Node,RBAC',
            '--enable-admission-plugins=NodeRestriction',
            `--kubelet-client-certificate=${pki('kubelet-client.crt')}`,
            `--kubelet-client-key=${pki('kubelet-client.key')}`,
            // The node is named after a host name that resolves to 127.0.0.1 (the kubelet refuses a loopback
            // node IP), so logs and exec reach the kubelet on loopback.
            '--kubelet-preferred-address-types=Hostname',
          ]
        : ['--authorization-mode=RBAC']),
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
    await this.processes.waitFor('kube-apiserver', async () => (await this.get('/readyz', 'admin')).status === 200, 120);
    this.startup['kube-apiserver'] = (Date.now() - t) / 1000;

    t = Date.now();
    this.processes.launch('kube-controller-manager', join(this.tools.kube, 'kube-controller-manager'), [
      `--kubeconfig=${this.kubeconfig('admin')}`,
      // Without a node, only the controllers the suite relies on, which start faster.
      `--controllers=${node ? '*' : 'namespace-controller,garbage-collector-controller,serviceaccount-controller,root-ca-certificate-publisher-controller'}`,
      `--root-ca-file=${pki('ca.crt')}`,
      `--service-account-private-key-file=${pki('sa.key')}`,
      '--leader-elect=false',
      '--bind-address=127.0.0.1',
      `--secure-port=${kcmPort}`,
      '--concurrent-gc-syncs=5',
      '--concurrent-namespace-syncs=5',
    ]);
    await this.processes.waitFor(
      'kube-controller-manager',
      async () => (await this.get('/api/v1/namespaces/default/configmaps/kube-root-ca.crt', 'admin')).status === 200,
      120,
    );
    this.startup['kube-controller-manager'] = (Date.now() - t) / 1000;
  }

  get auditLogPath(): string {
    return join(this.dir, 'audit.log');
  }

  /** The audit log's events so far. */
  auditEvents(): AuditEvent[] {
    return readFileSync(this.auditLogPath, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line));
  }

  /** Writes (once) and returns a kubeconfig for a user. */
  kubeconfig(user: UserName): string {
    return this.writeKubeconfig(user, this.tokens[user]);
  }

  /** The kubelet's kubeconfig, as `system:node:<nodeName>`. */
  nodeKubeconfig(): string {
    if (!this.options.nodeName) throw new Error('the control plane serves no node');
    return this.writeKubeconfig('node', this.nodeToken);
  }

  private writeKubeconfig(user: string, token: string): string {
    const file = join(this.dir, `kubeconfig-${user}`);
    writeFileSync(
      file,
      stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [{ name: 'e2e', cluster: { server: this.server, 'certificate-authority': this.pki('ca.crt') } }],
        users: [{ name: user, user: { token } }],
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
    await this.processes.stopAll();
    if (!process.env.CSS_E2E_KEEP) rmSync(this.dir, { recursive: true, force: true });
  }

  private writeCertificates(): void {
    const pki = join(this.dir, 'pki');
    mkdirSync(pki);
    const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: pki, stdio: 'pipe' });
    openssl(
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      'ca.key',
      '-out',
      'ca.crt',
      '-days',
      '2',
      '-subj',
      '/CN=central-secret-store-e2e-ca',
    );
    openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'apiserver.key', '-out', 'apiserver.csr', '-subj', '/CN=kube-apiserver');
    writeFileSync(join(pki, 'san.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kubernetes.default.svc\n');
    openssl(
      'x509',
      '-req',
      '-in',
      'apiserver.csr',
      '-CA',
      'ca.crt',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      'apiserver.crt',
      '-days',
      '2',
      '-extfile',
      'san.ext',
    );
    openssl('genrsa', '-out', 'sa.key', '2048');
    openssl('rsa', '-in', 'sa.key', '-pubout', '-out', 'sa.pub');
    if (this.options.nodeName) {
      // The API server's identity towards the kubelet (logs, exec), which authorizes it as a cluster admin.
      openssl(
        'req',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        'kubelet-client.key',
        '-out',
        'kubelet-client.csr',
        '-subj',
        '/O=system:masters/CN=kube-apiserver-kubelet-client',
      );
      openssl(
        'x509',
        '-req',
        '-in',
        'kubelet-client.csr',
        '-CA',
        'ca.crt',
        '-CAkey',
        'ca.key',
        '-CAcreateserial',
        '-out',
        'kubelet-client.crt',
        '-days',
        '2',
      );
    }
    this.caPem = readFileSync(join(pki, 'ca.crt'), 'utf8');
  }

  private writeAuth(): void {
    const lines = Object.entries(USERS).map(([key, u]) => `${this.tokens[key as UserName]},${u.name},${u.name},"${u.groups.join(',')}"`);
    const node = this.options.nodeName;
    if (node) lines.push(`${this.nodeToken},system:node:${node},system:node:${node},"system:nodes"`);
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

const randomToken = (user: string) => `token-${user}-${randomBytes(16).toString('hex')}`;
