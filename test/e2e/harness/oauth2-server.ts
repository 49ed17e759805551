/**
 * An OAuth 2.0 token endpoint for the client credentials grant on 127.0.0.1 (the node's `oauth2-token`),
 * over HTTPS, that accepts exactly one client id and secret; `rotate` replaces the secret.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Processes, freePort, listening } from './processes';
import type { IssuedCertificate } from './test-ca';

export class OAuth2TokenServer {
  tokenUrl = '';
  private readonly processes: Processes;
  private readonly clientFile: string;

  constructor(
    private readonly dir: string,
    private readonly nodeTools: string,
  ) {
    mkdirSync(dir, { recursive: true });
    this.processes = new Processes(dir);
    this.clientFile = join(dir, 'client.json');
  }

  async start(certificate: IssuedCertificate, clientId: string, clientSecret: string): Promise<void> {
    this.writeClient(clientId, clientSecret);
    const port = await freePort();
    this.tokenUrl = `https://127.0.0.1:${port}/token`;
    this.processes.launch('oauth2-token', join(this.nodeTools, 'oauth2-token'), [
      `127.0.0.1:${port}`,
      certificate.certFile,
      certificate.keyFile,
      this.clientFile,
    ]);
    await this.processes.waitFor('oauth2-token', () => listening(port));
  }

  /** From now on only this id and secret get tokens. */
  rotate(clientId: string, clientSecret: string): void {
    this.writeClient(clientId, clientSecret);
  }

  get pids(): number[] {
    return this.processes.pids;
  }

  stop(): Promise<void> {
    return this.processes.stopAll();
  }

  /** The server reads the file at every request: replace it whole, never let it read half of it. */
  private writeClient(clientId: string, clientSecret: string): void {
    const next = join(this.dir, 'client.json.next');
    writeFileSync(next, JSON.stringify({ clientId, clientSecret }), { mode: 0o600 });
    renameSync(next, this.clientFile);
  }
}
