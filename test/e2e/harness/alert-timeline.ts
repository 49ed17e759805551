/**
 * What a Prometheus server's alerts did over a stretch of time, sampled every second: when each alert was
 * first pending, first firing, and when it was gone again, in seconds from the start.
 */
import type { PrometheusServer } from './prometheus-server';

export interface AlertTimes {
  pending?: number;
  firing?: number;
  resolved?: number;
}

export class AlertTimeline {
  private readonly times = new Map<string, AlertTimes>();
  private readonly started = Date.now();
  private timer?: NodeJS.Timeout;
  /** Samples that failed (Prometheus did not answer), counted rather than thrown from a timer. */
  failedSamples = 0;

  constructor(private readonly prometheus: PrometheusServer) {}

  start(): this {
    this.timer = setInterval(() => this.sample(), 1000);
    return this;
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private sample(): void {
    let alerts;
    try {
      alerts = this.prometheus.alerts();
    } catch {
      this.failedSamples += 1;
      return;
    }
    const at = (Date.now() - this.started) / 1000;
    const active = new Set<string>();
    for (const alert of alerts) {
      const name = alert.labels.alertname;
      active.add(name);
      const times = this.times.get(name) ?? {};
      times.pending ??= at;
      if (alert.state === 'firing') times.firing ??= at;
      times.resolved = undefined;
      this.times.set(name, times);
    }
    for (const [name, times] of this.times) if (!active.has(name)) times.resolved ??= at;
  }

  of(alert: string): AlertTimes {
    return { ...this.times.get(alert) };
  }

  /** One line per alert: `Name pending 3 s, firing 24 s, resolved 160 s`. */
  summary(): string[] {
    const s = (t: number | undefined) => (t === undefined ? '-' : `${t.toFixed(0)} s`);
    return [...this.times]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, t]) => `${name}: pending ${s(t.pending)}, firing ${s(t.firing)}, resolved ${s(t.resolved)}`);
  }
}
