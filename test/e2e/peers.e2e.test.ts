/**
 * The servers that consume the credentials the product distributes, as the suite will run them beside the
 * node: git over HTTPS behind basic auth, git over SSH with key auth, a TLS server and an OAuth2 token
 * endpoint. Each accepts the right credential, refuses a wrong one, and stops by PID.
 */
import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { GitHttpsServer } from './harness/git-https-server';
import { bareRepository, isolatedGitEnv } from './harness/git-repository';
import { OAuth2TokenServer } from './harness/oauth2-server';
import { residentMemory } from './harness/processes';
import { SshGitServer, sshKeyPair } from './harness/ssh-git-server';
import { TestCa } from './harness/test-ca';
import { TlsServer } from './harness/tls-server';
import { buildTargets } from './harness/toolchain';

let dir: string;
let node: string;
let ca: TestCa;
let repos: string;
let commit: string;
const runDir = existsSync('/run/sshd');

/** Runs git as a client of the suite's servers; resolves with stdout, rejects with stderr. */
async function git(args: string[], env: Record<string, string> = {}): Promise<string> {
  const { stdout } = await promisify(execFile)('git', args, {
    env: { ...isolatedGitEnv(join(dir, 'client-home')), GIT_TERMINAL_PROMPT: '0', ...env },
  });
  return stdout;
}

/** An HTTPS request trusting only `ca`; resolves with the status, body and the certificate presented. */
function https(url: string, options: { ca?: string; method?: string; headers?: Record<string, string>; body?: string } = {}) {
  return new Promise<{ status: number; body: string; certificate: X509Certificate }>((resolve, reject) => {
    const req = request(url, { method: options.method ?? 'GET', headers: options.headers, ca: options.ca, agent: false }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, body, certificate: new X509Certificate((res.socket as any).getPeerX509Certificate().raw) }),
      );
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

beforeAll(() => {
  node = buildTargets('node').node;
  dir = mkdtempSync(join(tmpdir(), 'css-e2e-peers-'));
  ca = new TestCa(join(dir, 'ca'));
  repos = join(dir, 'repos');
  commit = bareRepository(repos, 'catalogue', { path: 'README', content: 'served by the suite\n' });
});

afterAll(() => {
  if (!process.env.CSS_E2E_KEEP) rmSync(dir, { recursive: true, force: true });
});

/** Stops a server and checks that its processes are gone. */
async function stopped(server: { pids: number[]; stop(): Promise<void> }): Promise<void> {
  const pids = server.pids;
  expect(pids.length).toBeGreaterThan(0);
  await server.stop();
  expect(pids.filter((pid) => residentMemory(pid) !== undefined)).toEqual([]);
}

test('git over HTTPS serves the repository with the right basic-auth credentials only, and follows a rotation', async () => {
  const server = new GitHttpsServer(join(dir, 'git-https'), node);
  await server.start(repos, ca.issue('git-https'));
  try {
    const url = (user: string, password: string) => `${server.url.replace('https://', `https://${user}:${password}@`)}/catalogue.git`;
    const trusted = { GIT_SSL_CAINFO: ca.certFile };
    expect(await git(['ls-remote', url(server.username, server.password), 'refs/heads/main'], trusted)).toBe(
      `${commit}\trefs/heads/main\n`,
    );
    await expect(git(['ls-remote', url(server.username, 'wrong'), 'refs/heads/main'], trusted)).rejects.toThrow(/Authentication failed/);
    expect(server.refusals().length).toBeGreaterThan(0);
    // The certificate is checked: a client trusting another CA refuses the server.
    await expect(
      git(['ls-remote', url(server.username, server.password)], { GIT_SSL_CAINFO: new TestCa(join(dir, 'other-ca')).certFile }),
    ).rejects.toThrow(/certificate verification failed|SSL certificate problem/);

    // A rotation takes effect at once: the old password is refused, the new one served.
    const before = server.password;
    expect(server.rotate()).not.toBe(before);
    await expect(git(['ls-remote', url(server.username, before), 'refs/heads/main'], trusted)).rejects.toThrow(/Authentication failed/);
    expect(await git(['ls-remote', url(server.username, server.password), 'refs/heads/main'], trusted)).toBe(
      `${commit}\trefs/heads/main\n`,
    );
  } finally {
    await stopped(server);
  }
});

test('sshd serves the repository to the authorized key only, runs nothing but git, and follows a new authorized key', async () => {
  const keys = join(dir, 'ssh-keys');
  const allowed = sshKeyPair(keys, 'allowed');
  const other = sshKeyPair(keys, 'other');
  const server = new SshGitServer(join(dir, 'sshd'));
  await server.start(allowed.publicKey);
  try {
    const repository = server.repositoryUrl(join(repos, 'catalogue.git'));
    expect(await git(['ls-remote', repository, 'refs/heads/main'], { GIT_SSH_COMMAND: server.sshCommand(allowed.privateKeyFile) })).toBe(
      `${commit}\trefs/heads/main\n`,
    );
    await expect(git(['ls-remote', repository], { GIT_SSH_COMMAND: server.sshCommand(other.privateKeyFile) })).rejects.toThrow(
      /Permission denied \(publickey\)/,
    );
    // The key opens git-shell, not a shell.
    const ssh = server.sshCommand(allowed.privateKeyFile).split(' ');
    await expect(promisify(execFile)(ssh[0], [...ssh.slice(1), '-p', String(server.port), 'root@127.0.0.1', 'id'])).rejects.toThrow(
      /unrecognized command 'id'/,
    );
    // Authorizing another key replaces the first.
    server.authorize(other.publicKey);
    await expect(git(['ls-remote', repository], { GIT_SSH_COMMAND: server.sshCommand(allowed.privateKeyFile) })).rejects.toThrow(
      /Permission denied \(publickey\)/,
    );
    expect(await git(['ls-remote', repository, 'refs/heads/main'], { GIT_SSH_COMMAND: server.sshCommand(other.privateKeyFile) })).toBe(
      `${commit}\trefs/heads/main\n`,
    );
    // sshd's /run/sshd stayed in its own mount namespace.
    expect(existsSync('/run/sshd')).toBe(runDir);
  } finally {
    await stopped(server);
  }
});

test('the TLS server presents the given certificate, and the new one once the files are rotated', async () => {
  const first = ca.issue('tls-first');
  const served = { certFile: join(dir, 'served.crt'), keyFile: join(dir, 'served.key') };
  // Replaced whole (copy, then rename), as a Secret volume is updated: the server never reads half a file.
  const serve = (cert: { certFile: string; keyFile: string }) => {
    for (const [from, to] of [
      [cert.certFile, served.certFile],
      [cert.keyFile, served.keyFile],
    ]) {
      copyFileSync(from, `${to}.next`);
      renameSync(`${to}.next`, to);
    }
  };
  serve(first);
  const server = new TlsServer(join(dir, 'tls'), node);
  await server.start(served.certFile, served.keyFile);
  try {
    const answer = await https(`${server.url}/hello`, { ca: ca.certPem });
    expect(answer).toMatchObject({ status: 200, body: '/hello over TLS\n' });
    expect(answer.certificate.fingerprint256).toBe(new X509Certificate(first.certPem).fingerprint256);
    await expect(https(server.url)).rejects.toThrow(/self[- ]signed|unable to (get|verify)/i);

    const second = ca.issue('tls-second');
    serve(second);
    expect((await https(server.url, { ca: ca.certPem })).certificate.fingerprint256).toBe(
      new X509Certificate(second.certPem).fingerprint256,
    );
  } finally {
    await stopped(server);
  }
});

test('the OAuth2 token endpoint issues tokens to the configured client only, and follows a rotation', async () => {
  const server = new OAuth2TokenServer(join(dir, 'oauth2'), node);
  await server.start(ca.issue('oauth2'), 'css-client', 'first-secret');
  try {
    const token = (id: string, secret: string, grant = 'client_credentials') =>
      https(server.tokenUrl, {
        ca: ca.certPem,
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`,
        },
        body: `grant_type=${grant}`,
      });
    const issued = await token('css-client', 'first-secret');
    expect(issued.status).toBe(200);
    expect(JSON.parse(issued.body)).toMatchObject({
      token_type: 'Bearer',
      expires_in: 3600,
      access_token: expect.stringMatching(/^[0-9a-f]{32}$/),
    });
    expect(await token('css-client', 'wrong')).toMatchObject({ status: 401 });
    expect(JSON.parse((await token('other-client', 'first-secret')).body)).toEqual({ error: 'invalid_client' });
    expect(JSON.parse((await token('css-client', 'first-secret', 'password')).body)).toEqual({ error: 'unsupported_grant_type' });

    server.rotate('css-client', 'second-secret');
    expect(await token('css-client', 'first-secret')).toMatchObject({ status: 401 });
    expect(await token('css-client', 'second-secret')).toMatchObject({ status: 200 });
    // Credentials in the form body, as some clients send them.
    const inBody = await https(server.tokenUrl, {
      ca: ca.certPem,
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials&client_id=css-client&client_secret=second-secret',
    });
    expect(inBody.status).toBe(200);
  } finally {
    await stopped(server);
  }
});
