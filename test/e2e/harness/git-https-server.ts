/**
 * A git server over HTTPS behind basic auth (the node's `git-https`: git http-backend as CGI) on
 * 127.0.0.1, serving the bare repositories of one folder to one user with a random password, which
 * `rotate` replaces while it runs.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Processes, freePort, listening } from './processes';
import type { IssuedCertificate } from './test-ca';

export class GitHttpsServer {
  readonly username = 'git-reader';
  url = '';
  private current = randomBytes(12).toString('hex');
  private readonly processes: Processes;
  private readonly credentialsFile: string;

  /**
   * @param dir the server's folder (logs, the credentials it accepts)
   * @param nodeTools the cache folder of the `node` build target
   */
  constructor(
    private readonly dir: string,
    private readonly nodeTools: string,
  ) {
    mkdirSync(dir, { recursive: true });
    this.processes = new Processes(dir);
    this.credentialsFile = join(dir, 'credentials.json');
  }

  /** The one password it accepts now. */
  get password(): string {
    return this.current;
  }

  /** Serves the bare repositories under `root` (`<url>/<name>.git`) with `certificate`. */
  async start(root: string, certificate: IssuedCertificate): Promise<void> {
    this.writeCredentials();
    const port = await freePort();
    this.url = `https://127.0.0.1:${port}`;
    this.processes.launch('git-https', join(this.nodeTools, 'git-https'), [
      `127.0.0.1:${port}`,
      certificate.certFile,
      certificate.keyFile,
      root,
      this.credentialsFile,
    ]);
    await this.processes.waitFor('git-https', () => listening(port));
  }

  /** From now on only a new random password is accepted; returns it. */
  rotate(): string {
    this.current = randomBytes(12).toString('hex');
    this.writeCredentials();
    return this.current;
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

  /** The server reads the file at every request: replace it whole, never let it read half of it. */
  private writeCredentials(): void {
    const next = `${this.credentialsFile}.next`;
    writeFileSync(next, JSON.stringify({ username: this.username, password: this.current }), { mode: 0o600 });
    renameSync(next, this.credentialsFile);
  }
}
