/**
 * Prometheus's promtool, from Debian's `prometheus` package (the README's prerequisites), and the relabel helper
 * (test/toolchain/relabel), built from the Go module proxy by test/toolchain/build.sh once per machine.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { tempDir } from './temp-dir';

export interface PrometheusTools {
  readonly promtool: string;
  readonly relabel: string;
}

/** Where promtool is looked for: CSS_PROMTOOL, else the PATH. */
const PROMTOOL = process.env.CSS_PROMTOOL ?? 'promtool';

/** promtool's path, or an error that says what to install. */
export function promtool(): string {
  const probe = spawnSync(PROMTOOL, ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    throw new Error(
      `promtool not found (${PROMTOOL}): install Debian's prometheus package (apt-get install prometheus), or set CSS_PROMTOOL to a promtool binary`,
    );
  }
  return PROMTOOL;
}

/** promtool, and the relabel helper built when this machine has not yet (seconds, once). */
export function prometheusTools(): PrometheusTools {
  const dir = execFileSync('bash', [join(__dirname, '..', 'toolchain', 'build.sh'), 'relabel'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  }).trim();
  return { promtool: promtool(), relabel: join(dir, 'relabel') };
}

export interface CommandResult {
  readonly status: number;
  readonly output: string;
}

/** Runs promtool with files written into a fresh folder (name -> content, written as YAML), from that folder. */
export function runPromtool(promtool: string, args: readonly string[], files: Record<string, unknown>): CommandResult {
  const dir = tempDir('promtool-');
  for (const [name, content] of Object.entries(files))
    writeFileSync(join(dir, name), typeof content === 'string' ? content : stringify(content));
  try {
    const output = execFileSync(promtool, args, { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return { status: 0, output };
  } catch (error) {
    const e = error as { status?: number; stdout?: string; stderr?: string };
    return { status: e.status ?? -1, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

/** ServiceMonitor relabel configs (camelCase) in Prometheus's own form, as the Prometheus Operator writes them. */
export function prometheusRelabelConfigs(configs: readonly Record<string, unknown>[]): Record<string, unknown>[] {
  const names: Record<string, string> = { sourceLabels: 'source_labels', targetLabel: 'target_label' };
  return configs.map((c) => Object.fromEntries(Object.entries(c).map(([k, v]) => [names[k] ?? k, v])));
}

/** The series Prometheus keeps after the relabel configs, each as its label set. */
export function relabelSeries(
  relabel: string,
  relabelConfigs: readonly Record<string, unknown>[],
  series: readonly Record<string, string>[],
): Record<string, string>[] {
  const output = execFileSync(relabel, [], {
    input: JSON.stringify({ relabel_configs: relabelConfigs, series }),
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  return output
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, string>);
}
