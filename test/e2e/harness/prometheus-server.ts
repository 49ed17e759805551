/**
 * A real Prometheus (Debian's `prometheus` package) inside the pods' network namespace, where ESO's metrics
 * endpoint listens: it scrapes ESO as the product's ServiceMonitor does (the target's namespace label, the
 * stack's metric relabelling) and evaluates the product's alerting rules. It listens on 127.0.0.1 inside that
 * namespace only; the suite reads its API through the namespace as well. Stopped by PID.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { prometheusRelabelConfigs } from '../../support/promtool';
import type { NodeCluster } from './node-cluster';
import { Processes, freePort } from './processes';

/** Where Prometheus is looked for: CSS_PROMETHEUS, else the PATH. */
const PROMETHEUS = process.env.CSS_PROMETHEUS ?? 'prometheus';

export interface PrometheusServerOptions {
  /** The rule file (rules.yaml's content). */
  readonly rules: unknown;
  /** ESO's metrics endpoint inside the pods' namespace. */
  readonly esoTarget: string;
  /** Labels the ServiceMonitor's target carries (its namespace, at least). */
  readonly targetLabels: Readonly<Record<string, string>>;
  /** The ServiceMonitor's metricRelabelings (camelCase, as the stack writes them). */
  readonly metricRelabelings: readonly Record<string, unknown>[];
  /** @default 2 */
  readonly intervalSeconds?: number;
}

/** An alert as Prometheus's /api/v1/alerts lists it. */
export interface ActiveAlert {
  readonly labels: Record<string, string>;
  readonly state: 'pending' | 'firing';
  readonly activeAt: string;
}

export class PrometheusServer {
  private readonly processes: Processes;
  private url = '';

  constructor(
    private readonly dir: string,
    private readonly cluster: NodeCluster,
  ) {
    mkdirSync(dir, { recursive: true });
    this.processes = new Processes(dir);
  }

  /** The binary's version line, or an error that says what to install. */
  static version(): string {
    try {
      return execFileSync(PROMETHEUS, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).split('\n')[0];
    } catch {
      throw new Error(
        `prometheus not found (${PROMETHEUS}): install Debian's prometheus package (apt-get install prometheus), or set CSS_PROMETHEUS`,
      );
    }
  }

  async start(options: PrometheusServerOptions): Promise<void> {
    const interval = `${options.intervalSeconds ?? 2}s`;
    writeFileSync(join(this.dir, 'rules.yaml'), stringify(options.rules));
    writeFileSync(
      join(this.dir, 'prometheus.yml'),
      stringify({
        global: { scrape_interval: interval, evaluation_interval: interval },
        rule_files: [join(this.dir, 'rules.yaml')],
        scrape_configs: [
          {
            job_name: 'external-secrets',
            static_configs: [{ targets: [options.esoTarget], labels: { ...options.targetLabels } }],
            metric_relabel_configs: prometheusRelabelConfigs(options.metricRelabelings),
          },
        ],
      }),
    );
    const port = await freePort();
    this.url = `http://127.0.0.1:${port}`;
    this.processes.launch('prometheus', 'nsenter', [
      `--net=${this.cluster.network.netns}`,
      PROMETHEUS,
      `--config.file=${join(this.dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(this.dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
    ]);
    await this.processes.waitFor('prometheus', async () => this.get('/-/ready') !== undefined, 60);
  }

  /** GET of Prometheus's HTTP API through the namespace; undefined while it does not answer 200. */
  private get(path: string): string | undefined {
    try {
      return this.cluster.fetchInPods(`${this.url}${path}`);
    } catch {
      return undefined;
    }
  }

  /** The alerts pending or firing now. */
  alerts(): ActiveAlert[] {
    const body = this.get('/api/v1/alerts');
    if (body === undefined) throw new Error('Prometheus did not answer /api/v1/alerts');
    return JSON.parse(body).data.alerts;
  }

  /** Whether the ESO target is up (its last scrape succeeded). */
  targetUp(): boolean {
    const body = this.get('/api/v1/query?query=up');
    return body !== undefined && JSON.parse(body).data.result.some((r: { value: [number, string] }) => r.value[1] === '1');
  }

  get pids(): number[] {
    return this.processes.pids;
  }

  stop(): Promise<void> {
    return this.processes.stopAll();
  }
}
