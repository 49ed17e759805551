/**
 * Azure Key Vault's stand-in on the node: an HTTP server on 127.0.0.1 holding named secret values, read by
 * ESO's `webhook` provider (GET /secrets/<name> answers {"value": ...}). It runs in the test process, so
 * the suite sets values and counts every read per secret name directly; ESO's own metrics count the same reads
 * under provider "Webhook", apart from the reads of the central stores (provider "Kubernetes").
 */
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export class KeyVaultStandIn {
  private values = new Map<string, string>();
  private readonly reads = new Map<string, number>();
  private server?: Server;

  /** host:port it listens on, once started. */
  get address(): string {
    const { port } = this.server!.address() as AddressInfo;
    return `127.0.0.1:${port}`;
  }

  /** The URL template of ESO's webhook provider, which fills in the remote key. */
  get webhookUrl(): string {
    return `http://${this.address}/secrets/{{ .remoteRef.key }}`;
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const name = decodeURIComponent(/^\/secrets\/([^/?]+)$/.exec(req.url ?? '')?.[1] ?? '');
      this.reads.set(name, (this.reads.get(name) ?? 0) + 1);
      const value = this.values.get(name);
      const status = req.method !== 'GET' ? 405 : value === undefined ? 404 : 200;
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(status === 200 ? JSON.stringify({ value }) : JSON.stringify({ error: status }));
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(0, '127.0.0.1', resolve);
    });
  }

  /** Replaces every value at once, as a rotation in the vault does. */
  set(values: Readonly<Record<string, string>>): void {
    this.values = new Map(Object.entries(values));
  }

  /** Reads of each secret name so far. */
  readCounts(): Record<string, number> {
    return Object.fromEntries(this.reads);
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
