/**
 * What Prometheus keeps of ESO's metrics with the product's ServiceMonitor (ESO_METRIC_RELABELINGS), run
 * through Prometheus's own relabelling engine (test/toolchain/relabel/cmd/relabel) over the series ESO
 * v0.20.4 exports for a cluster (pkg/controllers/*metrics: object metrics labelled name and namespace; with
 * the chart's honorLabels false the object's namespace arrives as exported_namespace).
 */
import { Testing } from 'cdk8s';
import { SecretPlaneAlerts } from '../../constructs/src';
import { ESO_METRIC_RELABELINGS, esoChartValues } from '../../stacks/eso-release';
import { type PrometheusTools, prometheusRelabelConfigs, prometheusTools, relabelSeries, runPromtool } from '../support/promtool';

const target = {
  job: 'external-secrets-metrics',
  namespace: 'external-secrets',
  service: 'external-secrets-metrics',
  pod: 'external-secrets-7d9f-abcde',
  instance: '10.0.0.7:8080',
  endpoint: 'metrics',
};
type Series = Record<string, string>;

/** The series ESO exports for one ExternalSecret in `namespace`. */
function externalSecretSeries(namespace: string, name: string): Series[] {
  const object = { ...target, exported_namespace: namespace, name };
  return [
    { ...object, __name__: 'externalsecret_sync_calls_total' },
    { ...object, __name__: 'externalsecret_sync_calls_error' },
    { ...object, __name__: 'externalsecret_reconcile_duration' },
    { ...object, __name__: 'externalsecret_status_condition', condition: 'Ready', status: 'True' },
    { ...object, __name__: 'externalsecret_status_condition', condition: 'Ready', status: 'False' },
  ];
}

/** The series of a cluster-scoped object (store or ClusterExternalSecret). */
function clusterObjectSeries(kind: 'clustersecretstore' | 'clusterexternalsecret', name: string): Series[] {
  const object = { ...target, name };
  return [
    { ...object, __name__: `${kind}_reconcile_duration` },
    { ...object, __name__: `${kind}_status_condition`, condition: 'Ready', status: 'True' },
    { ...object, __name__: `${kind}_status_condition`, condition: 'Ready', status: 'False' },
  ];
}

/** A cluster: `credentials` credentials with one format each, distributed to `namespaces` namespaces. */
function clusterSeries(credentials: number, namespaces: number): Series[] {
  const out: Series[] = [];
  for (let c = 0; c < credentials; c++) {
    const credential = `cred-${c}`;
    out.push(...externalSecretSeries('central-secret-store', credential));
    out.push(...clusterObjectSeries('clustersecretstore', `central-${credential}`));
    out.push(...clusterObjectSeries('clusterexternalsecret', `${credential}-opaque`));
    for (let n = 0; n < namespaces; n++) out.push(...externalSecretSeries(`tenant-ns-${n}`, `${credential}-opaque`));
  }
  out.push(...clusterObjectSeries('clustersecretstore', 'keyvault'));
  out.push({
    ...target,
    __name__: 'externalsecret_provider_api_calls_count',
    provider: 'AzureKeyVault',
    call: 'GetSecret',
    status: 'success',
  });
  for (const controller of ['externalsecret', 'clusterexternalsecret', 'clustersecretstore'])
    out.push({ ...target, __name__: 'workqueue_depth', controller, name: controller });
  return out;
}

const key = (s: Series) => JSON.stringify(Object.entries(s).sort(([a], [b]) => a.localeCompare(b)));

describe("ESO's metric relabelling", () => {
  let tools: PrometheusTools;
  beforeAll(() => {
    tools = prometheusTools();
  }, 45 * 60_000);

  const relabel = (series: readonly Series[]) => relabelSeries(tools.relabel, prometheusRelabelConfigs(ESO_METRIC_RELABELINGS), series);

  test("the chart values carry the relabelling and keep the object namespace apart from the target's", () => {
    expect((esoChartValues() as any).serviceMonitor).toMatchObject({ honorLabels: false, metricRelabelings: ESO_METRIC_RELABELINGS });
    expect((esoChartValues() as any).extendedMetricLabels).toBe(false);
  });

  test('Prometheus accepts the relabel configs in a scrape config', () => {
    const config = {
      scrape_configs: [
        {
          job_name: 'external-secrets',
          static_configs: [{ targets: ['127.0.0.1:8080'] }],
          metric_relabel_configs: prometheusRelabelConfigs(ESO_METRIC_RELABELINGS),
        },
      ],
    };
    const result = runPromtool(tools.promtool, ['check', 'config', '--syntax-only', 'prometheus.yml'], { 'prometheus.yml': config });
    expect(result).toEqual({ status: 0, output: expect.stringContaining('SUCCESS') });
  });

  test('each distributed copy keeps one series, and no two kept series collide', () => {
    const input = clusterSeries(3, 50);
    const kept = relabel(input);
    const copies = kept.filter((s) => s.exported_namespace?.startsWith('tenant-ns-'));
    expect(copies).toHaveLength(3 * 50);
    expect(new Set(copies.map((s) => s.__name__ + s.condition + s.status))).toEqual(new Set(['externalsecret_status_conditionReadyFalse']));
    expect(new Set(kept.map(key)).size).toBe(kept.length);
    // The temporary mark never reaches storage.
    expect(kept.filter((s) => Object.keys(s).some((k) => k.startsWith('__tmp')))).toEqual([]);
    // Figures: series per cluster before and after.
    for (const [credentials, namespaces] of [
      [3, 50],
      [10, 1000],
    ]) {
      const before = clusterSeries(credentials, namespaces);
      const after = relabel(before);
      console.log(
        `ESO series with ${credentials} credentials x ${namespaces} namespaces: ${before.length} exported, ${after.length} kept (${(before.length / after.length).toFixed(1)}x fewer)`,
      );
    }
  });

  test("what the alerts read survives: masters' sync counters, Ready=False per object, work queues, per-cluster target labels", () => {
    const kept = relabel(clusterSeries(2, 3));
    const names = (metric: string) => kept.filter((s) => s.__name__ === metric);
    expect(names('externalsecret_sync_calls_error').map((s) => [s.exported_namespace, s.name])).toEqual([
      ['central-secret-store', 'cred-0'],
      ['central-secret-store', 'cred-1'],
    ]);
    expect(names('externalsecret_sync_calls_total')).toHaveLength(2);
    expect(names('clustersecretstore_status_condition').map((s) => [s.name, s.condition, s.status])).toEqual([
      ['central-cred-0', 'Ready', 'False'],
      ['central-cred-1', 'Ready', 'False'],
      ['keyvault', 'Ready', 'False'],
    ]);
    expect(names('clusterexternalsecret_status_condition').map((s) => s.name)).toEqual(['cred-0-opaque', 'cred-1-opaque']);
    expect(names('workqueue_depth').map((s) => s.controller)).toEqual(['externalsecret', 'clusterexternalsecret', 'clustersecretstore']);
    expect(names('externalsecret_provider_api_calls_count')).toHaveLength(1);
    expect(kept.filter((s) => s.__name__.endsWith('_reconcile_duration'))).toEqual([]);
    for (const s of kept) expect(s).toMatchObject(target);
  });

  test('the relabelling can fail: without it every series is kept', () => {
    const input = clusterSeries(2, 3);
    expect(relabelSeries(tools.relabel, [], input)).toHaveLength(input.length);
    // Dropping the namespace label instead would merge the copies of a credential.
    const merged = relabelSeries(tools.relabel, [{ action: 'labeldrop', regex: 'exported_namespace' }], input);
    expect(new Set(merged.map(key)).size).toBeLessThan(merged.length);
  });

  test('the alerts fire on what the relabelling keeps', () => {
    // One copy of cred-0 fails in tenant-ns-1 and the masters' store is not ready; everything else is fine.
    const kept = relabel(clusterSeries(2, 3));
    const failing = (s: Series) =>
      (s.__name__ === 'externalsecret_status_condition' && s.exported_namespace === 'tenant-ns-1' && s.name === 'cred-0-opaque') ||
      (s.__name__ === 'clustersecretstore_status_condition' && s.name === 'keyvault');
    const text = (s: Series) =>
      `${s.__name__}{${Object.entries(s)
        .filter(([k]) => k !== '__name__')
        .map(([k, v]) => `${k}="${v}"`)
        .join(',')}}`;
    const alerts = new SecretPlaneAlerts(Testing.chart(), 'alerts');
    const expected = (alertname: string, labels: Record<string, string>) => ({ alertname, labels: { severity: 'warning', ...labels } });
    const result = runPromtool(tools.promtool, ['test', 'rules', 'tests.yaml'], {
      'rules.yaml': alerts.toRuleFile(),
      'tests.yaml': {
        rule_files: ['rules.yaml'],
        evaluation_interval: '1m',
        tests: [
          {
            interval: '1m',
            input_series: kept.map((s) => ({ series: text(s), values: failing(s) ? '1x30' : '0x30' })),
            alert_rule_test: [
              expected('CentralSecretStoreExternalSecretsNotReady', { name: 'cred-0-opaque' }),
              expected('CentralSecretStoreStoreNotReady', { name: 'keyvault' }),
            ].map(({ alertname, labels }) => ({
              eval_time: '20m',
              alertname,
              exp_alerts: [{ exp_labels: labels, exp_annotations: annotationsOf(alerts, alertname, labels) }],
            })),
          },
        ],
      },
    });
    expect(result.output).toContain('SUCCESS');
  });
});

/** The annotations an alert of `alerts` carries for `labels`, with the one value these alerts report, 1. */
function annotationsOf(alerts: SecretPlaneAlerts, alertname: string, labels: Record<string, string>): Record<string, string> {
  const rule = alerts.rules.find((r) => r.alert === alertname)!;
  const fill = (template: string) =>
    template.replace(/\{\{ \$labels\.(\w+) \}\}/g, (_, name: string) => labels[name]).replace(/\{\{ \$value \}\}/g, '1');
  return { summary: fill(rule.annotations.summary), description: fill(rule.annotations.description) };
}
