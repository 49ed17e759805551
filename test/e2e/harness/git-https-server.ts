/**
 * A git server over HTTPS behind basic auth (the node's `git-https`: git http-backend as CGI) on
 * 127.0.0.1, serving the bare repositories of one folder to one user with a random password.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Processes, freePort, listening } from './processes';
import type { IssuedCertificate } from './test-ca';

export class GitHttpsServer {
  readonly username = 'git-reader';
  readonly password = randomBytes(12).toString('hex');
  url = '';
  private readonly processes: Processes;

  /**
   * @param dir the server's folder (logs)
   * @param nodeTools the cache folder of the `node` build target
   */
  constructor(
    private readonly dir: string,
    private readonly nodeTools: string,
  ) {
    mkdirSync(dir, { recursive: true });
    this.processes = new Processes(dir);
  }

  /** Serves the bare repositories under `root` (`<url>/<name>.git`) with `certificate`. */
  async start(root: string, certificate: IssuedCertificate): Promise<void> {
    const port = await freePort();
    this.url = `https://127.0.0.1:${port}`;
    this.processes.launch('git-https', join(this.nodeTools, 'git-https'), [`127.0.0.1:${port}`, certificate.certFile, certificate.keyFile, root], {
      GIT_USERNAME: this.username,
      GIT_PASSWORD: this.password,
    });
    await this.processes.waitFor('git-https', () => listening(port));
  }

  /** Requests refused for want of the right credentials, as the server logged them. */
  refusals(): string[] {
    return readFileSync(join(this.dir, 'git-https.log'), 'utf8')
      .split('\n')
      .filter((l) => l.includes('refused '));
  }

  get pids(): number[] {
    return this.processes.pids;
  }

  stop(): Promise<void> {
    return this.processes.stopAll();
  }
}
