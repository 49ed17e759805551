import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { GoDuration, durationProp } from './vocabulary/duration';
import { ESO_NAMESPACE } from './vocabulary/eso';
import { CENTRAL_NAMESPACE } from './vocabulary/object-names';
import { CANARY_BOUND } from './vocabulary/refresh-intervals';
import { PRODUCT_LABELS } from './vocabulary/labels';
import { requireNames } from './name-checks';
import { refuseDuplicateObjects } from './unique-objects';

/**
 * The metric the canary check pushes: when the canary ExternalSecret last refreshed (its
 * `status.refreshTime`, as Unix seconds), labelled `credential`. ESO exposes no refresh time of its own:
 * `externalsecret_sync_calls_total` counts every reconcile, also those that find nothing due.
 */
export const CANARY_REFRESH_METRIC = 'central_secret_store_canary_last_refresh_timestamp_seconds';

/** The metric's HELP text: every pusher sends the same, since a Pushgateway refuses one name with two. */
export const CANARY_REFRESH_HELP = "When the canary's copy last refreshed (status.refreshTime of its ExternalSecret), in Unix seconds.";

/** The Pushgateway job the canary's last refresh is pushed under (CanaryCheck, `canary --pushgateway`). */
export const CANARY_PUSH_JOB = 'central-secret-store-canary';

/** The ESO controllers whose work queues carry the product's objects (controller-runtime names them by kind). */
export const PLANE_CONTROLLERS = ['externalsecret', 'clusterexternalsecret', 'clustersecretstore'] as const;

export interface SecretPlaneAlertsProps {
  /**
   * Name of the PrometheusRule.
   * @default 'central-secret-store-alerts'
   */
  readonly name?: string;
  /**
   * Namespace of the PrometheusRule; pick one your Prometheus' `ruleNamespaceSelector` selects.
   * @default 'external-secrets'
   */
  readonly namespace?: string;
  /**
   * Namespace ESO runs in: its ServiceMonitor's targets carry it as `namespace`, and the object's own
   * namespace becomes `exported_namespace` (the chart's `honorLabels: false`).
   * @default 'external-secrets'
   */
  readonly esoNamespace?: string;
  /**
   * Namespace of the master ExternalSecrets, whose sync counters the relabelling keeps.
   * @default 'central-secret-store'
   */
  readonly centralNamespace?: string;
  /**
   * How long a canary may go without a refresh before its alert fires: a Go duration of whole seconds.
   * @default '15m0s'
   */
  readonly canaryBound?: string;
  /**
   * How long a condition must hold before an alert fires (sync errors, not-ready objects and stores): a Go
   * duration of whole seconds.
   * @default '10m0s'
   */
  readonly pendingFor?: string;
  /**
   * Items waiting in an ESO controller's work queue that count as a backlog.
   * @default 100
   */
  readonly backlogDepth?: number;
  /**
   * How long the backlog must last: a Go duration of whole seconds.
   * @default '15m0s'
   */
  readonly backlogFor?: string;
  /**
   * Labels added to every alert, e.g. `{ severity: 'warning' }` for the routing of your Alertmanager.
   * @default { severity: 'warning' }
   */
  readonly alertLabels?: Readonly<Record<string, string>>;
}

/** One alerting rule as Prometheus reads it. */
export interface AlertingRule {
  readonly alert: string;
  readonly expr: string;
  readonly for: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: { readonly summary: string; readonly description: string };
}

/**
 * The product's alerts on ESO's own metrics, as a Prometheus Operator `PrometheusRule`: master sync errors,
 * ExternalSecrets and ClusterSecretStores not ready, ClusterExternalSecrets with failed namespaces, a canary
 * not refreshed within its bound, and a reconcile backlog. Alerts group by object name, which for the
 * distributed copies is `<credential>-<format>`: one alert per credential and format, however many
 * namespaces hold it. The expressions assume the relabelling of the product's ESO values (only `Ready=False`
 * condition series per object, sync counters for the masters only).
 */
export class SecretPlaneAlerts extends Construct {
  readonly name: string;
  readonly namespace: string;
  /** The rule group, as `promtool check rules` reads it. */
  readonly rules: readonly AlertingRule[];
  readonly apiObject: ApiObject;

  constructor(scope: Construct, id: string, props: SecretPlaneAlertsProps = {}) {
    super(scope, id);
    refuseDuplicateObjects(this);
    const backlogDepth = props.backlogDepth ?? 100;
    if (!Number.isInteger(backlogDepth) || backlogDepth < 1)
      throw new Error(`SecretPlaneAlerts ${id}: backlogDepth must be a whole number of at least 1, got ${backlogDepth}`);
    const canaryBound = checkedDuration(id, 'canaryBound', props.canaryBound ?? CANARY_BOUND);
    const pendingFor = checkedDuration(id, 'pendingFor', props.pendingFor ?? '10m');
    const backlogFor = checkedDuration(id, 'backlogFor', props.backlogFor ?? '15m');
    this.name = props.name ?? 'central-secret-store-alerts';
    this.namespace = props.namespace ?? ESO_NAMESPACE;
    requireNames(`SecretPlaneAlerts ${id}`, [
      ['name', this.name, 'dns1123Subdomain'],
      ['namespace', this.namespace, 'dns1123Label'],
      ['esoNamespace', props.esoNamespace, 'dns1123Label'],
      ['centralNamespace', props.centralNamespace, 'dns1123Label'],
    ]);
    const eso = `namespace="${props.esoNamespace ?? ESO_NAMESPACE}"`;
    const central = props.centralNamespace ?? CENTRAL_NAMESPACE;
    const labels = props.alertLabels ?? { severity: 'warning' };
    const rule = (alert: string, expr: string, pending: GoDuration, summary: string, description: string): AlertingRule => ({
      alert,
      expr,
      for: promDuration(pending),
      labels: { ...labels },
      annotations: { summary, description },
    });

    this.rules = [
      rule(
        'CentralSecretStoreMasterSyncErrors',
        `sum by (exported_namespace, name) (rate(externalsecret_sync_calls_error{${eso},exported_namespace="${central}"}[5m])) > 0`,
        pendingFor,
        'A master credential fails to sync from the vault',
        'ExternalSecret {{ $labels.exported_namespace }}/{{ $labels.name }} has failed to sync for the last ' +
          promDuration(pendingFor) +
          ": the vault, its firewall or ESO's identity refuse the read, or the vault secret is missing.",
      ),
      rule(
        'CentralSecretStoreExternalSecretsNotReady',
        `count by (name) (externalsecret_status_condition{${eso},condition="Ready",status="False"} == 1) > 0`,
        pendingFor,
        'ExternalSecrets are not ready',
        '{{ $value }} ExternalSecrets named {{ $labels.name }} (distributed copies are named <credential>-<format>) are not Ready; kubectl get externalsecrets -A --field-selector metadata.name={{ $labels.name }} lists them.',
      ),
      rule(
        'CentralSecretStoreStoreNotReady',
        `max by (name) (clustersecretstore_status_condition{${eso},condition="Ready",status="False"}) == 1`,
        pendingFor,
        'A ClusterSecretStore is not ready',
        'ClusterSecretStore {{ $labels.name }} is not Ready: nothing reads through it. After a long vault outage ESO backs off store validation for hours; touch the store to retry at once (`central-secret-store recover`).',
      ),
      rule(
        'CentralSecretStoreDistributionFailedNamespaces',
        `max by (name) (clusterexternalsecret_status_condition{${eso},condition="Ready",status="False"}) == 1`,
        pendingFor,
        'A ClusterExternalSecret failed in some namespaces',
        'ClusterExternalSecret {{ $labels.name }} could not write its ExternalSecret into some namespaces; kubectl get clusterexternalsecret {{ $labels.name }} -o jsonpath={.status.failedNamespaces} names them.',
      ),
      rule(
        'CentralSecretStoreCanaryStale',
        `time() - max by (credential) (${CANARY_REFRESH_METRIC}) > ${canaryBound.seconds}`,
        GoDuration.seconds(60),
        'The canary credential has not been refreshed within its bound',
        'The canary of {{ $labels.credential }} last refreshed {{ $value | humanizeDuration }} ago, more than ' +
          promDuration(canaryBound) +
          ': rotations do not reach the cluster.',
      ),
      rule(
        'CentralSecretStoreCanaryMissing',
        `absent(${CANARY_REFRESH_METRIC})`,
        canaryBound,
        'No canary result reaches Prometheus',
        `No ${CANARY_REFRESH_METRIC} for ${promDuration(canaryBound)}: the canary check does not run or cannot push its result.`,
      ),
      rule(
        'CentralSecretStoreReconcileBacklog',
        `max by (controller) (workqueue_depth{${eso},controller=~"${PLANE_CONTROLLERS.join('|')}"}) > ${backlogDepth}`,
        backlogFor,
        "ESO cannot keep up with the product's objects",
        'The {{ $labels.controller }} queue has held more than ' +
          backlogDepth +
          ' items for ' +
          promDuration(backlogFor) +
          ' ({{ $value }} now): refreshes and rotations are late. Raise esoConcurrency or lengthen refresh intervals.',
      ),
    ];

    this.apiObject = new ApiObject(this, 'Resource', {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PrometheusRule',
      metadata: { name: this.name, namespace: this.namespace, labels: { ...PRODUCT_LABELS, 'app.kubernetes.io/component': 'alerts' } },
      spec: { groups: [{ name: 'central-secret-store', rules: this.rules }] },
    });
  }

  /** The rule file `promtool check rules` and Prometheus read: the PrometheusRule's spec. */
  toRuleFile(): { groups: { name: string; rules: readonly AlertingRule[] }[] } {
    return { groups: [{ name: 'central-secret-store', rules: this.rules }] };
  }
}

function checkedDuration(id: string, prop: string, value: string): GoDuration {
  const duration = durationProp(`SecretPlaneAlerts ${id}`, prop, value);
  if (!duration.wholeSeconds || duration.seconds < 1)
    throw new Error(`SecretPlaneAlerts ${id}: ${prop} must be a whole number of seconds, at least 1s, got ${value}`);
  return duration;
}

/** Prometheus' duration notation, in the largest unit that divides it. */
function promDuration(duration: GoDuration): string {
  const { seconds } = duration;
  if (seconds % 3600 === 0) return `${seconds / 3600}h`;
  if (seconds % 60 === 0) return `${seconds / 60}m`;
  return `${seconds}s`;
}
