/**
 * The distributed Secrets work for the programs that need them (issue 10, Property 7 at run time). On the real
 * single-node cluster, each consumer (the node's `consumer` program, harness/consumer-pod.ts) runs as a pod
 * with a Secret mounted as a volume, against a server on the host that the pods reach through
 * NodeCluster.forward: git over HTTPS with the basic-auth Secret, git over SSH with the ssh-auth Secret, a
 * TLS client verifying a server that serves the tls Secret with the Secret's ca.crt, and an OAuth client
 * using the client credentials grant with the OAuth Secret. Each Secret is exactly what ESO writes for the
 * product's format (the constructs' format rendered by ESO's own template engine, harness/rendered-secret.ts),
 * created directly: no ESO runs here. Each consumer succeeds with the right Secret and fails with a wrong one;
 * after the server rotates the credential, the Secret not yet updated fails and the updated one works.
 */
import { randomBytes, X509Certificate } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GitCredential, GitLogin, OAuthClientCredential, TlsCredential, TlsStorage } from '../../constructs/src';
import type { KubeClient, KubeObject } from '../support/kube-client';
import { TemplateEngine } from '../support/template-engine';
import { runConsumer, SECRET_DIR, TRUST_DIR, type ConsumerRun } from './harness/consumer-pod';
import { GitHttpsServer } from './harness/git-https-server';
import { bareRepository } from './harness/git-repository';
import { NodeCluster } from './harness/node-cluster';
import { OAuth2TokenServer } from './harness/oauth2-server';
import { residentMemory } from './harness/processes';
import { renderedSecret } from './harness/rendered-secret';
import { SshGitServer, sshKeyPair } from './harness/ssh-git-server';
import { TestCa } from './harness/test-ca';
import { TlsServer } from './harness/tls-server';
import { buildSeconds, buildTargets } from './harness/toolchain';
import { waitUntil } from './harness/wait';

const NAMESPACE = 'consumers';

let cluster: NodeCluster;
let admin: KubeClient;
let engine: TemplateEngine;
let node: string;
let dir: string;
/** Trusted by the git and OAuth clients (ConfigMap `trust`), as a company CA would be. */
let ca: TestCa;
let repos: string;
let commit: string;
const figures: string[] = [];
const runs: { command: string; name: string; run: ConsumerRun }[] = [];
/** Every secret value a test hands out: no consumer may ever print one. */
const secretValues: string[] = [];

const hostPort = (url: string) => new URL(url).host;

/** Registers a secret value (each long line of a PEM key) so that no result line may contain it. */
function secretValue<T extends string>(value: T): T {
  secretValues.push(...value.split('\n').filter((line) => line.length >= 16 && !line.startsWith('-----')));
  return value;
}

/** Runs the consumer as a pod with the Secret (and the trust ConfigMap) mounted, and records the run. */
async function consume(name: string, args: string[], secret: string, trust = 'trust'): Promise<ConsumerRun> {
  const run = await runConsumer(admin, { namespace: NAMESPACE, name, image: cluster.images.consumer.ref, args, secret, trust });
  runs.push({ command: args[0], name, run });
  for (const value of secretValues) expect(run.message).not.toContain(value);
  return run;
}

const succeeded = (message: string | RegExp) => ({
  phase: 'Succeeded',
  message: typeof message === 'string' ? message : expect.stringMatching(message),
});
const failed = (reason: RegExp) => ({ phase: 'Failed', message: expect.stringMatching(reason) });

/** Writes a file whole (rename), as the kubelet updates a Secret volume: a server never reads half of it. */
function replaceFile(file: string, content: string): void {
  writeFileSync(`${file}.next`, content, { mode: 0o600 });
  renameSync(`${file}.next`, file);
}

beforeAll(
  async () => {
    const t = Date.now();
    const tools = buildTargets('kube', 'render', 'node', 'images');
    figures.push(
      `builds, as the cache's build took them: ${(['kube', 'render', 'node', 'images'] as const).map((target) => `${target} ${buildSeconds(tools[target])} s`).join(', ')} (this run ${((Date.now() - t) / 1000).toFixed(1)} s)`,
    );
    node = tools.node;
    engine = new TemplateEngine(join(tools.render, 'render-template'));
    cluster = new NodeCluster(tools);
    await cluster.start();
    figures.push(
      `cluster up: ${Object.entries(cluster.startup)
        .map(([k, v]) => `${k} ${v.toFixed(1)} s`)
        .join(', ')}`,
    );
    admin = cluster.client('admin');

    // Under the cluster's folder, which stop() removes.
    dir = join(cluster.dir, 'consumers');
    mkdirSync(dir);
    ca = new TestCa(join(dir, 'ca'));
    repos = join(dir, 'repos');
    commit = bareRepository(repos, 'catalogue', { path: 'README', content: 'cloned by a consumer pod\n' });

    await admin.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NAMESPACE } });
    // Pods are admitted only once the namespace has its default ServiceAccount.
    await waitUntil(
      'the default ServiceAccount of the consumers namespace',
      () => admin.get('v1', 'ServiceAccount', 'default', NAMESPACE),
      60,
    );
    await admin.apply({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'trust', namespace: NAMESPACE },
      data: { 'ca.crt': ca.certPem },
    });
    await admin.apply({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'other-trust', namespace: NAMESPACE },
      data: { 'ca.crt': new TestCa(join(dir, 'other-ca')).certPem },
    });
  },
  60 * 60 * 1000,
);

afterAll(async () => {
  engine?.close();
  await cluster?.stop();
  const byCommand = new Map<string, string[]>();
  for (const { command, name, run } of runs)
    byCommand.set(command, [...(byCommand.get(command) ?? []), `${name} ${run.phase} ${run.seconds.toFixed(1)} s`]);
  for (const [command, lines] of byCommand) {
    const seconds = runs.filter((r) => r.command === command).map((r) => r.run.seconds);
    figures.push(
      `${command}: ${seconds.length} pods, created to finished ${Math.min(...seconds).toFixed(1)}-${Math.max(...seconds).toFixed(1)} s, mean ${(seconds.reduce((a, b) => a + b, 0) / seconds.length).toFixed(1)} s (${lines.join(', ')})`,
    );
  }
  console.log(`consumer figures:\n  ${figures.join('\n  ')}`);
});

describe('the distributed Secrets work for their consumers, on a real node', () => {
  test('git over HTTPS clones with the basic-auth Secret, not with a wrong password nor against another CA, and after a rotation only with the updated Secret', async () => {
    const server = new GitHttpsServer(join(dir, 'git-https'), node);
    await server.start(repos, ca.issue('git-https'));
    try {
      await cluster.forward([hostPort(server.url)]);
      const credential = new GitCredential({ name: 'catalogue-https', url: `${server.url}/catalogue.git`, login: GitLogin.PASSWORD });
      const format = credential.basicAuth();
      const secret = async (password: string, name?: string) =>
        admin.apply(await renderedSecret(engine, format, { username: server.username, password: secretValue(password) }, NAMESPACE, name));
      await secret(server.password);
      await secret(randomBytes(12).toString('hex'), 'catalogue-https-wrong-password');
      const clone = (name: string, secretName: string, trust?: string) =>
        consume(name, ['git-clone-https', credential.url, SECRET_DIR, `${TRUST_DIR}/ca.crt`], secretName, trust);

      expect(await clone('https-right', format.secretName)).toMatchObject(succeeded(`ok git-clone-https: refs/heads/main=${commit}`));
      const refusals = server.refusals().length;
      expect(await clone('https-wrong-password', 'catalogue-https-wrong-password')).toMatchObject(
        failed(/^failed git-clone-https: authentication required/),
      );
      // Refused by the server for the password, not lost on the way.
      expect(server.refusals().length).toBeGreaterThan(refusals);
      expect(await clone('https-other-ca', format.secretName, 'other-trust')).toMatchObject(
        failed(/certificate signed by unknown authority/),
      );

      const rotated = secretValue(server.rotate());
      expect(await clone('https-before-update', format.secretName)).toMatchObject(failed(/authentication required/));
      await secret(rotated);
      expect(await clone('https-after-update', format.secretName)).toMatchObject(
        succeeded(`ok git-clone-https: refs/heads/main=${commit}`),
      );
    } finally {
      await server.stop();
    }
  });

  test('git over SSH clones with the ssh-auth Secret, verifying the host key, not with another key nor against another host key, and after a rotation only with the updated Secret', async () => {
    const keys = join(dir, 'ssh-keys');
    const deployKey = sshKeyPair(keys, 'deploy');
    const server = new SshGitServer(join(dir, 'sshd'));
    await server.start(deployKey.publicKey);
    try {
      await cluster.forward([`127.0.0.1:${server.port}`]);
      const knownHosts = readFileSync(server.knownHosts, 'utf8');
      // The same host and port with a key that is not the server's.
      const impostor = `[127.0.0.1]:${server.port} ${sshKeyPair(keys, 'impostor-host').publicKey}\n`;
      await admin.apply({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'ssh-trust', namespace: NAMESPACE },
        data: { known_hosts: knownHosts },
      });
      await admin.apply({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'ssh-impostor', namespace: NAMESPACE },
        data: { known_hosts: impostor },
      });
      const credential = new GitCredential({
        name: 'catalogue-ssh',
        url: server.repositoryUrl(join(repos, 'catalogue.git')),
        login: GitLogin.SSH_KEY,
      });
      const format = credential.sshAuth();
      const secret = async (privateKeyFile: string, name?: string) =>
        admin.apply(
          await renderedSecret(engine, format, { sshPrivateKey: secretValue(readFileSync(privateKeyFile, 'utf8')) }, NAMESPACE, name),
        );
      await secret(deployKey.privateKeyFile);
      await secret(sshKeyPair(keys, 'other').privateKeyFile, 'catalogue-ssh-other-key');
      const clone = (name: string, secretName: string, trust = 'ssh-trust') =>
        consume(name, ['git-clone-ssh', credential.url, SECRET_DIR, `${TRUST_DIR}/known_hosts`], secretName, trust);

      expect(await clone('ssh-right', format.secretName)).toMatchObject(succeeded(`ok git-clone-ssh: refs/heads/main=${commit}`));
      expect(await clone('ssh-other-key', 'catalogue-ssh-other-key')).toMatchObject(
        failed(/^failed git-clone-ssh: ssh: handshake failed: ssh: unable to authenticate/),
      );
      expect(await clone('ssh-impostor-host', format.secretName, 'ssh-impostor')).toMatchObject(failed(/knownhosts: key mismatch/));

      const rotated = sshKeyPair(keys, 'deploy-rotated');
      server.authorize(rotated.publicKey);
      expect(await clone('ssh-before-update', format.secretName)).toMatchObject(failed(/unable to authenticate/));
      await secret(rotated.privateKeyFile);
      expect(await clone('ssh-after-update', format.secretName)).toMatchObject(succeeded(`ok git-clone-ssh: refs/heads/main=${commit}`));
    } finally {
      await server.stop();
    }
  });

  test("a TLS client verifies the server that serves the tls Secret with the Secret's ca.crt, not with another CA, and after a rotation to a new CA only with the updated Secret", async () => {
    const credential = new TlsCredential({ name: 'service-tls', storage: TlsStorage.KEYS_WITH_CA });
    const format = credential.tls();
    const issue = (name: string) => {
      const issuer = new TestCa(join(dir, `${name}-ca`));
      const leaf = issuer.issue(name);
      return { 'tls.crt': leaf.certPem, 'tls.key': secretValue(readFileSync(leaf.keyFile, 'utf8')), 'ca.crt': issuer.certPem };
    };
    const fingerprint = (pem: string) => `sha256:${new X509Certificate(pem).fingerprint256.replace(/:/g, '').toLowerCase()}`;
    // The server side serves the distributed Secret: the certificate and key exactly as the Secret holds them.
    const served = { certFile: join(dir, 'served-tls.crt'), keyFile: join(dir, 'served-tls.key') };
    const serve = (secret: KubeObject) => {
      replaceFile(served.certFile, Buffer.from(secret.data['tls.crt'], 'base64').toString('utf8'));
      replaceFile(served.keyFile, Buffer.from(secret.data['tls.key'], 'base64').toString('utf8'));
    };

    const first = issue('service');
    await admin.apply(await renderedSecret(engine, format, first, NAMESPACE));
    await admin.apply(await renderedSecret(engine, format, { ...first, 'ca.crt': ca.certPem }, NAMESPACE, 'service-tls-other-ca'));
    serve((await admin.get('v1', 'Secret', format.secretName, NAMESPACE))!);
    const server = new TlsServer(join(dir, 'tls'), node);
    await server.start(served.certFile, served.keyFile);
    try {
      await cluster.forward([hostPort(server.url)]);
      const get = (name: string, secretName: string) =>
        consume(name, ['tls-get', `${server.url}/status`, `${SECRET_DIR}/ca.crt`], secretName);

      expect(await get('tls-right', format.secretName)).toMatchObject(
        succeeded(`ok tls-get: ${server.url}/status presented ${fingerprint(first['tls.crt'])}`),
      );
      expect(await get('tls-other-ca', 'service-tls-other-ca')).toMatchObject(
        failed(/^failed tls-get: .*certificate signed by unknown authority/),
      );

      const second = issue('service-rotated');
      const updated = await renderedSecret(engine, format, second, NAMESPACE);
      serve(updated);
      expect(await get('tls-before-update', format.secretName)).toMatchObject(failed(/certificate signed by unknown authority/));
      await admin.apply(updated);
      expect(await get('tls-after-update', format.secretName)).toMatchObject(
        succeeded(`ok tls-get: ${server.url}/status presented ${fingerprint(second['tls.crt'])}`),
      );
    } finally {
      await server.stop();
    }
  });

  test('an OAuth client obtains a token with the OAuth Secret and the client credentials grant, not with a wrong client secret, and after a rotation only with the updated Secret', async () => {
    const clientId = 'css-e2e-client';
    const first = secretValue(randomBytes(16).toString('hex'));
    const server = new OAuth2TokenServer(join(dir, 'oauth2'), node);
    await server.start(ca.issue('oauth2'), clientId, first);
    try {
      await cluster.forward([hostPort(server.tokenUrl)]);
      const credential = new OAuthClientCredential({ name: 'api-client', tokenUrl: server.tokenUrl });
      const format = credential.oauth();
      const secret = async (clientSecret: string, name?: string) =>
        admin.apply(await renderedSecret(engine, format, { clientId, clientSecret: secretValue(clientSecret) }, NAMESPACE, name));
      await secret(first);
      await secret(randomBytes(16).toString('hex'), 'api-client-wrong-secret');
      // `-`: the token endpoint is the Secret's token-url.
      const token = (name: string, secretName: string, tokenUrl = '-') =>
        consume(name, ['oauth-token', tokenUrl, SECRET_DIR, `${TRUST_DIR}/ca.crt`], secretName);
      const issued = `ok oauth-token: ${server.tokenUrl} issued a Bearer token valid for 1h0m0s`;

      expect(await token('oauth-right', format.secretName)).toMatchObject(succeeded(issued));
      expect(await token('oauth-wrong-secret', 'api-client-wrong-secret')).toMatchObject(
        failed(/^failed oauth-token: oauth2: "invalid_client"/),
      );
      // A Secret whose token-url names an endpoint the pods cannot reach (the e2e catalogue's) works with
      // the endpoint given on the command line.
      const elsewhere = new OAuthClientCredential({ name: 'catalogue-oauth', tokenUrl: 'https://login.example/token' }).oauth();
      await admin.apply(await renderedSecret(engine, elsewhere, { clientId, clientSecret: first }, NAMESPACE));
      expect(await token('oauth-token-url-argument', elsewhere.secretName, server.tokenUrl)).toMatchObject(succeeded(issued));

      const rotated = secretValue(randomBytes(16).toString('hex'));
      server.rotate(clientId, rotated);
      expect(await token('oauth-before-update', format.secretName)).toMatchObject(failed(/invalid_client/));
      await secret(rotated);
      expect(await token('oauth-after-update', format.secretName)).toMatchObject(succeeded(issued));
    } finally {
      await server.stop();
    }
  });

  test("stopping the cluster stops the relays into the pods' namespace with every other process it started", async () => {
    const pids = cluster.livePids();
    expect(runs.length).toBeGreaterThan(0);
    expect(await cluster.stop()).toEqual([]);
    expect(pids.filter((pid) => residentMemory(pid) !== undefined)).toEqual([]);
  });
});
