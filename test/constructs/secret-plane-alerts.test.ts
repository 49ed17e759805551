import { Testing } from 'cdk8s';
import { CANARY_REFRESH_METRIC, SecretPlaneAlerts, type SecretPlaneAlertsProps } from '../../constructs/src';
import { promtool, runPromtool } from '../support/promtool';

/** A series in promtool's notation. */
const series = (name: string, labels: Record<string, string>) =>
  `${name}{${Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .join(',')}}`;
const eso = { namespace: 'external-secrets', job: 'external-secrets-metrics' };

function alertsOf(props?: SecretPlaneAlertsProps): SecretPlaneAlerts {
  return new SecretPlaneAlerts(Testing.chart(), 'alerts', props);
}

describe('SecretPlaneAlerts', () => {
  test("is one PrometheusRule with one group of the product's alerts", () => {
    const chart = Testing.chart();
    const alerts = new SecretPlaneAlerts(chart, 'alerts');
    const objects = Testing.synth(chart);
    expect(objects).toHaveLength(1);
    expect(objects[0]).toEqual({
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PrometheusRule',
      metadata: {
        name: 'central-secret-store-alerts',
        namespace: 'external-secrets',
        labels: {
          'app.kubernetes.io/managed-by': 'central-secret-store',
          'app.kubernetes.io/part-of': 'central-secret-store',
          'app.kubernetes.io/component': 'alerts',
        },
      },
      spec: alerts.toRuleFile(),
    });
    expect(alerts.rules.map((r) => r.alert)).toEqual([
      'CentralSecretStoreMasterSyncErrors',
      'CentralSecretStoreExternalSecretsNotReady',
      'CentralSecretStoreStoreNotReady',
      'CentralSecretStoreDistributionFailedNamespaces',
      'CentralSecretStoreCanaryStale',
      'CentralSecretStoreCanaryMissing',
      'CentralSecretStoreReconcileBacklog',
    ]);
    expect(alerts.rules.every((r) => r.labels.severity === 'warning')).toBe(true);
    // Same props, same bytes.
    expect(JSON.stringify(Testing.synth(chart))).toBe(JSON.stringify(objects));
  });

  test('props reach the rule', () => {
    const alerts = alertsOf({
      name: 'css',
      namespace: 'monitoring',
      esoNamespace: 'eso',
      centralNamespace: 'masters',
      canaryBound: '2h',
      backlogDepth: 7,
      alertLabels: { severity: 'page', team: 'platform' },
    });
    expect([alerts.name, alerts.namespace]).toEqual(['css', 'monitoring']);
    const rule = (name: string) => alerts.rules.find((r) => r.alert === name)!;
    expect(rule('CentralSecretStoreMasterSyncErrors').expr).toBe(
      'sum by (exported_namespace, name) (rate(externalsecret_sync_calls_error{namespace="eso",exported_namespace="masters"}[5m])) > 0',
    );
    expect(rule('CentralSecretStoreCanaryStale').expr).toBe(`time() - max by (credential) (${CANARY_REFRESH_METRIC}) > 7200`);
    expect(rule('CentralSecretStoreCanaryMissing').for).toBe('2h');
    expect(rule('CentralSecretStoreReconcileBacklog').expr).toBe(
      'max by (controller) (workqueue_depth{namespace="eso",controller=~"externalsecret|clusterexternalsecret|clustersecretstore"}) > 7',
    );
    expect(rule('CentralSecretStoreReconcileBacklog').labels).toEqual({ severity: 'page', team: 'platform' });
  });

  test('refuses thresholds Prometheus could not use, saying what to change', () => {
    expect(() => alertsOf({ backlogDepth: 0 })).toThrow(
      'SecretPlaneAlerts alerts: backlogDepth must be a whole number of at least 1, got 0',
    );
    expect(() => alertsOf({ backlogDepth: 2.5 })).toThrow('backlogDepth must be a whole number of at least 1, got 2.5');
    expect(() => alertsOf({ canaryBound: '0s' })).toThrow(
      'SecretPlaneAlerts alerts: canaryBound must be a whole number of seconds, at least 1s, got 0s',
    );
    expect(() => alertsOf({ pendingFor: '1.5s' })).toThrow();
  });
});

describe('SecretPlaneAlerts with promtool', () => {
  let promtoolPath: string;
  beforeAll(() => {
    promtoolPath = promtool();
  });

  const check = (alerts: SecretPlaneAlerts) =>
    runPromtool(promtoolPath, ['check', 'rules', 'rules.yaml'], { 'rules.yaml': alerts.toRuleFile() });
  const unitTest = (alerts: SecretPlaneAlerts, tests: unknown[]) =>
    runPromtool(promtoolPath, ['test', 'rules', 'tests.yaml'], {
      'rules.yaml': alerts.toRuleFile(),
      'tests.yaml': { rule_files: ['rules.yaml'], evaluation_interval: '1m', tests },
    });

  test('promtool check rules accepts the rules, with default and other props', () => {
    for (const alerts of [
      alertsOf(),
      alertsOf({ canaryBound: '90s', pendingFor: '1h', backlogDepth: 5000, alertLabels: { severity: 'critical' } }),
    ]) {
      const result = check(alerts);
      expect(result).toEqual({ status: 0, output: expect.stringContaining(`SUCCESS: ${alerts.rules.length} rules found`) });
    }
  });

  test('promtool check rules can fail: a broken expression is refused', () => {
    const alerts = alertsOf();
    const broken = { groups: [{ ...alerts.toRuleFile().groups[0], rules: [{ ...alerts.rules[0], expr: 'sum by (name (up)' }] }] };
    const result = runPromtool(promtoolPath, ['check', 'rules', 'rules.yaml'], { 'rules.yaml': broken });
    expect(result.status).toBe(1);
    expect(result.output).toContain('FAILED');
  });

  const severity = { severity: 'warning' };
  const master = { ...eso, exported_namespace: 'central-secret-store', name: 'ghcr-pull' };
  const copy = (namespace: string) => ({
    ...eso,
    exported_namespace: namespace,
    name: 'ghcr-pull-dockerconfigjson',
    condition: 'Ready',
    status: 'False',
  });
  const store = { ...eso, name: 'central-ghcr-pull', condition: 'Ready', status: 'False' };
  const distribution = { ...eso, name: 'ghcr-pull-dockerconfigjson', condition: 'Ready', status: 'False' };
  const queue = (controller: string, namespace = 'external-secrets') => ({ ...eso, namespace, controller, name: controller });
  const canary = { job: 'pushgateway', credential: 'canary' };

  /** One promtool test group: the series over 40 minutes and the alerts expected at minute `at`. */
  const group = (name: string, inputSeries: [string, string][], alertname: string, at: string, expAlerts: unknown[]) => ({
    name,
    interval: '1m',
    input_series: inputSeries.map(([s, values]) => ({ series: s, values })),
    alert_rule_test: [{ eval_time: at, alertname, exp_alerts: expAlerts }],
  });

  const firingAndQuiet = [
    // Master sync errors: a rising error counter in the central namespace.
    group(
      'master sync errors fire',
      [[series('externalsecret_sync_calls_error', master), '0+1x40']],
      'CentralSecretStoreMasterSyncErrors',
      '15m',
      [
        {
          exp_labels: { ...severity, exported_namespace: 'central-secret-store', name: 'ghcr-pull' },
          exp_annotations: {
            summary: 'A master credential fails to sync from the vault',
            description:
              "ExternalSecret central-secret-store/ghcr-pull has failed to sync for the last 10m: the vault, its firewall or ESO's identity refuse the read, or the vault secret is missing.",
          },
        },
      ],
    ),
    group(
      'errors that stopped',
      [[series('externalsecret_sync_calls_error', master), '0+1x5 5+0x35']],
      'CentralSecretStoreMasterSyncErrors',
      '25m',
      [],
    ),
    group(
      'errors shorter than the pending time',
      [[series('externalsecret_sync_calls_error', master), '0+1x5 5+0x35']],
      'CentralSecretStoreMasterSyncErrors',
      '8m',
      [],
    ),
    group(
      'errors outside the central namespace are not masters',
      [[series('externalsecret_sync_calls_error', { ...master, exported_namespace: 'pay-api' }), '0+1x40']],
      'CentralSecretStoreMasterSyncErrors',
      '20m',
      [],
    ),

    // ExternalSecrets not ready: one alert per name, counting the namespaces.
    group(
      'copies not ready fire once per credential and format',
      [
        [series('externalsecret_status_condition', copy('pay-api')), '1x40'],
        [series('externalsecret_status_condition', copy('search-api')), '1x40'],
        [series('externalsecret_status_condition', copy('web')), '0x40'],
      ],
      'CentralSecretStoreExternalSecretsNotReady',
      '15m',
      [
        {
          exp_labels: { ...severity, name: 'ghcr-pull-dockerconfigjson' },
          exp_annotations: {
            summary: 'ExternalSecrets are not ready',
            description:
              '2 ExternalSecrets named ghcr-pull-dockerconfigjson (distributed copies are named <credential>-<format>) are not Ready; kubectl get externalsecrets -A --field-selector metadata.name=ghcr-pull-dockerconfigjson lists them.',
          },
        },
      ],
    ),
    group(
      'ready copies',
      [[series('externalsecret_status_condition', copy('pay-api')), '0x40']],
      'CentralSecretStoreExternalSecretsNotReady',
      '30m',
      [],
    ),
    group(
      'a short failure',
      [[series('externalsecret_status_condition', copy('pay-api')), '1x5 0x35']],
      'CentralSecretStoreExternalSecretsNotReady',
      '20m',
      [],
    ),

    // Stores not ready.
    group(
      'a store not ready fires',
      [[series('clustersecretstore_status_condition', store), '1x40']],
      'CentralSecretStoreStoreNotReady',
      '15m',
      [
        {
          exp_labels: { ...severity, name: 'central-ghcr-pull' },
          exp_annotations: {
            summary: 'A ClusterSecretStore is not ready',
            description:
              'ClusterSecretStore central-ghcr-pull is not Ready: nothing reads through it. After a long vault outage ESO backs off store validation for hours; touch the store to retry at once (`central-secret-store recover`).',
          },
        },
      ],
    ),
    group('a ready store', [[series('clustersecretstore_status_condition', store), '0x40']], 'CentralSecretStoreStoreNotReady', '30m', []),
    group(
      "another namespace's ESO",
      [[series('clustersecretstore_status_condition', { ...store, namespace: 'other-eso' }), '1x40']],
      'CentralSecretStoreStoreNotReady',
      '30m',
      [],
    ),

    // ClusterExternalSecrets with failed namespaces.
    group(
      'a distribution with failed namespaces fires',
      [[series('clusterexternalsecret_status_condition', distribution), '0x5 1x35']],
      'CentralSecretStoreDistributionFailedNamespaces',
      '20m',
      [
        {
          exp_labels: { ...severity, name: 'ghcr-pull-dockerconfigjson' },
          exp_annotations: {
            summary: 'A ClusterExternalSecret failed in some namespaces',
            description:
              'ClusterExternalSecret ghcr-pull-dockerconfigjson could not write its ExternalSecret into some namespaces; kubectl get clusterexternalsecret ghcr-pull-dockerconfigjson -o jsonpath={.status.failedNamespaces} names them.',
          },
        },
      ],
    ),
    group(
      'a distribution without',
      [[series('clusterexternalsecret_status_condition', distribution), '0x40']],
      'CentralSecretStoreDistributionFailedNamespaces',
      '30m',
      [],
    ),
    group(
      'not yet for long enough',
      [[series('clusterexternalsecret_status_condition', distribution), '0x5 1x35']],
      'CentralSecretStoreDistributionFailedNamespaces',
      '14m',
      [],
    ),

    // The canary: its refresh time stops moving at minute 0.
    group('a stale canary fires', [[series(CANARY_REFRESH_METRIC, canary), '0x40']], 'CentralSecretStoreCanaryStale', '20m', [
      {
        exp_labels: { ...severity, credential: 'canary' },
        exp_annotations: {
          summary: 'The canary credential has not been refreshed within its bound',
          description: 'The canary of canary last refreshed 20m 0s ago, more than 15m: rotations do not reach the cluster.',
        },
      },
    ]),
    group(
      'a canary refreshed every minute',
      [[series(CANARY_REFRESH_METRIC, canary), '0+60x40']],
      'CentralSecretStoreCanaryStale',
      '40m',
      [],
    ),
    group(
      'a canary refreshed every 10 minutes stays within 15m',
      [[series(CANARY_REFRESH_METRIC, canary), '0x9 600x9 1200x9 1800x9']],
      'CentralSecretStoreCanaryStale',
      '39m',
      [],
    ),
    group('a canary at its bound', [[series(CANARY_REFRESH_METRIC, canary), '0x40']], 'CentralSecretStoreCanaryStale', '15m', []),
    group('no canary result fires', [[series('up', eso), '1x40']], 'CentralSecretStoreCanaryMissing', '20m', [
      {
        exp_labels: severity,
        exp_annotations: {
          summary: 'No canary result reaches Prometheus',
          description: `No ${CANARY_REFRESH_METRIC} for 15m: the canary check does not run or cannot push its result.`,
        },
      },
    ]),
    group('a canary result', [[series(CANARY_REFRESH_METRIC, canary), '0+60x40']], 'CentralSecretStoreCanaryMissing', '30m', []),

    // Reconcile backlog.
    group(
      'a backlog fires',
      [[series('workqueue_depth', queue('externalsecret')), '500x40']],
      'CentralSecretStoreReconcileBacklog',
      '20m',
      [
        {
          exp_labels: { ...severity, controller: 'externalsecret' },
          exp_annotations: {
            summary: "ESO cannot keep up with the product's objects",
            description:
              'The externalsecret queue has held more than 100 items for 15m (500 now): refreshes and rotations are late. Raise esoConcurrency or lengthen refresh intervals.',
          },
        },
      ],
    ),
    group(
      'a short queue',
      [[series('workqueue_depth', queue('clustersecretstore')), '50x40']],
      'CentralSecretStoreReconcileBacklog',
      '30m',
      [],
    ),
    group(
      'a burst',
      [[series('workqueue_depth', queue('externalsecret')), '500x10 0x30']],
      'CentralSecretStoreReconcileBacklog',
      '30m',
      [],
    ),
    group(
      'another controller',
      [[series('workqueue_depth', queue('pushsecret')), '500x40']],
      'CentralSecretStoreReconcileBacklog',
      '30m',
      [],
    ),
    group(
      'another namespace',
      [[series('workqueue_depth', queue('externalsecret', 'kube-system')), '500x40']],
      'CentralSecretStoreReconcileBacklog',
      '30m',
      [],
    ),
  ];

  test('promtool test rules: each alert fires, and stays quiet when it should', () => {
    const result = unitTest(alertsOf(), firingAndQuiet);
    expect(result.output).toContain('SUCCESS');
    expect(result.status).toBe(0);
    // Every alert is shown both firing and quiet.
    const shown = (firing: boolean) =>
      new Set(
        firingAndQuiet.filter((g) => g.alert_rule_test[0].exp_alerts.length > 0 === firing).map((g) => g.alert_rule_test[0].alertname),
      );
    const all = alertsOf().rules.map((r) => r.alert);
    expect([...shown(true)].sort()).toEqual([...all].sort());
    expect([...shown(false)].sort()).toEqual([...all].sort());
  });

  test('promtool test rules can fail: a quiet case expected to fire, and thresholds from props', () => {
    const wrong = unitTest(alertsOf(), [
      group('a ready store', [[series('clustersecretstore_status_condition', store), '0x40']], 'CentralSecretStoreStoreNotReady', '30m', [
        { exp_labels: { ...severity, name: 'central-ghcr-pull' } },
      ]),
    ]);
    expect(wrong.status).toBe(1);
    expect(wrong.output).toContain('FAILED');
    // With a deeper threshold and a longer bound the firing cases above are quiet.
    const lenient = alertsOf({ backlogDepth: 1000, canaryBound: '1h' });
    const quiet = unitTest(lenient, [
      group(
        'a backlog under 1000',
        [[series('workqueue_depth', queue('externalsecret')), '500x40']],
        'CentralSecretStoreReconcileBacklog',
        '30m',
        [],
      ),
      group('a canary within 1h', [[series(CANARY_REFRESH_METRIC, canary), '0x40']], 'CentralSecretStoreCanaryStale', '40m', []),
    ]);
    expect(quiet.output).toContain('SUCCESS');
  });
});
