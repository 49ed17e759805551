/**
 * A real Prometheus Pushgateway (Debian's `prometheus-pushgateway` package) inside the pods' network namespace,
 * where the in-cluster canary check pushes to it; it listens on 127.0.0.1 there only, and the suite reads it
 * through the namespace as well. Stopped by PID.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { NodeCluster } from './node-cluster';
import { Processes, freePort } from './processes';

/** Where the Pushgateway is looked for: CSS_PUSHGATEWAY, else Debian's binary. */
const PUSHGATEWAY = process.env.CSS_PUSHGATEWAY ?? 'prometheus-pushgateway';

export class Pushgateway {
  private readonly processes: Processes;
  /** The URL pods and the suite reach it at, inside the pods' namespace. */
  url = '';

  constructor(
    private readonly dir: string,
    private readonly cluster: NodeCluster,
  ) {
    mkdirSync(dir, { recursive: true });
    this.processes = new Processes(dir);
  }

  async start(): Promise<void> {
    const port = await freePort();
    this.url = `http://127.0.0.1:${port}`;
    // Debian's build persists to /var/lib/prometheus/pushgateway.data by default: a file of the run's own
    // instead, so that no run sees an earlier run's pushes and the host is left as it was.
    this.processes.launch('pushgateway', 'nsenter', [
      `--net=${this.cluster.network.netns}`,
      PUSHGATEWAY,
      `--web.listen-address=127.0.0.1:${port}`,
      `--persistence.file=${join(this.dir, 'pushgateway.data')}`,
    ]);
    await this.processes.waitFor('pushgateway', async () => this.metrics() !== undefined, 60);
  }

  /** What it exposes now, in Prometheus's text format; undefined while it does not answer. */
  metrics(): string | undefined {
    try {
      return this.cluster.fetchInPods(`${this.url}/metrics`);
    } catch {
      return undefined;
    }
  }

  stop(): Promise<void> {
    return this.processes.stopAll();
  }
}
