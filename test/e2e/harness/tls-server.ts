/**
 * An HTTPS server on 127.0.0.1 (the node's `tls-serve`) presenting a given certificate and key, read from
 * their files at every handshake: rewriting the files rotates what it presents.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Processes, freePort, listening } from './processes';

export class TlsServer {
  url = '';
  private readonly processes: Processes;

  constructor(
    dir: string,
    private readonly nodeTools: string,
  ) {
    mkdirSync(dir, { recursive: true });
    this.processes = new Processes(dir);
  }

  async start(certFile: string, keyFile: string): Promise<void> {
    const port = await freePort();
    this.url = `https://127.0.0.1:${port}`;
    this.processes.launch('tls-serve', join(this.nodeTools, 'tls-serve'), [`127.0.0.1:${port}`, certFile, keyFile]);
    await this.processes.waitFor('tls-serve', () => listening(port));
  }

  get pids(): number[] {
    return this.processes.pids;
  }

  stop(): Promise<void> {
    return this.processes.stopAll();
  }
}
