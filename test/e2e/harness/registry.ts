/**
 * A private OCI registry on 127.0.0.1 (the node's `registry` program: in memory, HTTP basic auth with a
 * random password), which the node's containerd pulls from over plain HTTP.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { KubeObject } from '../../support/kube-client';
import type { NodeCluster } from './node-cluster';
import { freePort } from './processes';
import type { OciImage } from './toolchain';

export class LoopbackRegistry {
  readonly username: string;
  readonly password: string;
  host = '';
  private readonly binary: string;

  /** `login` defaults to the user `puller` with a random password. */
  constructor(
    private readonly cluster: NodeCluster,
    nodeTools: string,
    login: { username: string; password: string } = { username: 'puller', password: randomBytes(12).toString('hex') },
  ) {
    this.binary = join(nodeTools, 'registry');
    this.username = login.username;
    this.password = login.password;
  }

  private get env(): Record<string, string> {
    return { REGISTRY_USERNAME: this.username, REGISTRY_PASSWORD: this.password };
  }

  /** Starts it with the cluster's processes (stopped with them) and lets the node pull from it. */
  async start(): Promise<void> {
    this.host = `127.0.0.1:${await freePort()}`;
    const processes = this.cluster.controlPlane.processes;
    processes.launch('registry', this.binary, ['serve', this.host], this.env);
    await processes.waitFor('registry', async () => (await fetch(`http://${this.host}/v2/`)).status === 401);
    this.cluster.containerd.trustRegistry(this.host);
  }

  /** Pushes an image under `repository:tag` and returns its full reference. */
  async push(image: OciImage, repositoryAndTag: string): Promise<string> {
    const ref = `${this.host}/${repositoryAndTag}`;
    await promisify(execFile)(this.binary, ['push', image.file, ref], { env: { ...process.env, ...this.env } });
    return ref;
  }

  /** Requests it refused for want of credentials, as it logged them. */
  refusals(): string[] {
    return readFileSync(join(this.cluster.dir, 'registry.log'), 'utf8')
      .split('\n')
      .filter((l) => l.includes('refused '));
  }

  /** A kubernetes.io/dockerconfigjson Secret that lets pods of `namespace` pull from it. */
  pullSecret(name: string, namespace: string): KubeObject {
    const auth = Buffer.from(`${this.username}:${this.password}`).toString('base64');
    const config = { auths: { [this.host]: { username: this.username, password: this.password, auth } } };
    return {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name, namespace },
      type: 'kubernetes.io/dockerconfigjson',
      data: { '.dockerconfigjson': Buffer.from(JSON.stringify(config)).toString('base64') },
    };
  }
}
