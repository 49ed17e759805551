/**
 * ESO's Helm chart as its module ships it (deploy/charts/external-secrets of v0.20.4, read from the Go module
 * cache at run time, never vendored), and how the values we give it compare with the values it declares.
 */
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { esoModuleDir } from './eso-crds';

const chartDir = () => join(esoModuleDir(), 'deploy', 'charts', 'external-secrets');

/**
 * Copies the chart to `dest` for `helm install`. The module's Chart.yaml lists one dependency, the optional
 * bitwarden-sdk-server subchart (disabled by default), which the module does not ship and only an OCI
 * registry on the internet serves; helm refuses to install a chart with a listed dependency missing, even a
 * disabled one, so the copy drops the listing. Nothing else changes.
 */
export function copyEsoChart(dest: string): string {
  cpSync(chartDir(), dest, { recursive: true });
  const chartYaml = join(dest, 'Chart.yaml');
  const chart = parse(readFileSync(chartYaml, 'utf8'));
  if (chart.dependencies?.some((d: { name: string }) => d.name !== 'bitwarden-sdk-server')) {
    throw new Error(`ESO's chart has dependencies besides bitwarden-sdk-server: ${JSON.stringify(chart.dependencies)}`);
  }
  delete chart.dependencies;
  // Copied from the read-only module cache: replace the files rather than write through them.
  rmSync(chartYaml);
  rmSync(join(dest, 'Chart.lock'), { force: true });
  writeFileSync(chartYaml, stringify(chart));
  return dest;
}

/** The chart's own defaults (values.yaml). */
export function esoChartDefaults(): Record<string, unknown> {
  return parse(readFileSync(join(chartDir(), 'values.yaml'), 'utf8'));
}

/**
 * Dotted paths of `values` that the chart's values.yaml does not declare, which the chart therefore ignores.
 * Below a value the chart declares as a map with no keys of its own (resources: {}, extraArgs: {}) or as a
 * scalar or list, everything counts as known: the chart passes it through as a whole.
 */
export function undeclaredValues(values: Record<string, unknown>, declared: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(values).flatMap(([key, value]) => {
    const path = `${prefix}${key}`;
    if (!(key in declared)) return [path];
    const known = declared[key];
    if (isMap(value) && isMap(known) && Object.keys(known).length > 0) return undeclaredValues(value, known, `${path}.`);
    return [];
  });
}

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
