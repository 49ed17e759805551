import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { App, Chart } from 'cdk8s';
import { ESO_NAMESPACE, ESO_SERVICE_ACCOUNT, PRODUCT_LABELS, SecretPlaneAlerts, type SecretPlaneAlertsProps } from '../constructs/src';
import { CENTRAL_NAMESPACE } from '../tenants/lib';
import { esoTuningFor } from './eso-tuning';
import { overlaidValues } from './helm-values';
import { type ChartSource, pinnedChartRelease } from './pinned-chart';

/** The ESO chart this product is built and tested against. */
export const ESO_CHART = { name: 'external-secrets', version: '2.9.0', repo: 'https://charts.external-secrets.io' } as const;

export interface EsoValuesOptions {
  /** @default 1 */
  readonly replicas?: number;
  /**
   * The ExternalSecrets the cluster's distributions make ESO write (one per namespace, credential and
   * format), which sizes ESO's throughput settings (esoTuningFor).
   * @default 0: ESO's own defaults, raised to 4 workers
   */
  readonly copies?: number;
  /** Reconciles run in parallel per controller (`--concurrent`). @default - esoTuningFor(copies) */
  readonly concurrency?: number;
  /** Requests a second ESO's API client may make (`--client-qps`). @default - esoTuningFor(copies) */
  readonly clientQps?: number;
  /** Requests ESO's API client may make at once above clientQps (`--client-burst`). @default - esoTuningFor(copies) */
  readonly clientBurst?: number;
  /**
   * Reuse ESO's HashiCorp Vault token across syncs instead of logging in for each (`vault.enableTokenCache`,
   * which ESO calls experimental): a master's sync then costs one read instead of a TokenRequest, a login and
   * a read. Only Vault stores use it.
   * @default false
   */
  readonly vaultTokenCache?: boolean;
  /** Create a ServiceMonitor when the Prometheus Operator CRDs exist. @default true */
  readonly serviceMonitor?: boolean;
}

/** ESO's PrometheusRule: the product's alerts (SecretPlaneAlerts), as the objects Pulumi applies. */
export function esoAlertObjects(props: SecretPlaneAlertsProps = {}): Record<string, unknown>[] {
  const chart = new Chart(new App(), 'alerts', { disableResourceNameHashes: true });
  new SecretPlaneAlerts(chart, 'alerts', props);
  return chart.toJson();
}

/**
 * What Prometheus keeps of ESO's metrics (docs/operations.md, "Cardinality"). ESO labels its object metrics
 * by object name and namespace, so each distributed copy (credential x format x tenant namespace) costs five
 * series. Relabelling cannot aggregate: dropping `exported_namespace` or `name` would make the copies of one
 * credential collide, and Prometheus keeps one of the colliding samples at random. So whole series go
 * instead, and each copy keeps one: its `Ready=False` condition, which names the namespace that fails.
 * Kept: per credential (`name` is `<credential>-<format>` on copies and ClusterExternalSecrets,
 * `central-<credential>` on stores), the masters' sync counters in the central namespace, and the
 * per-cluster target labels. Dropped: the per-object reconcile durations (the backlog alert watches the
 * work queues), the copies' and own secrets' sync counters, and the condition series that only restate
 * `Ready=False` (`Ready=True`, `Unknown`, `Deleted`). SecretPlaneAlerts' expressions rely on exactly this.
 */
export const ESO_METRIC_RELABELINGS = [
  {
    action: 'drop',
    sourceLabels: ['__name__'],
    regex: '(externalsecret|clusterexternalsecret|clustersecretstore|secretstore|pushsecret|clusterpushsecret)_reconcile_duration',
  },
  // RE2 has no negative match: mark the central namespace's series first, then drop the unmarked ones.
  { action: 'replace', sourceLabels: ['exported_namespace'], regex: CENTRAL_NAMESPACE, targetLabel: '__tmp_central', replacement: 'true' },
  { action: 'drop', sourceLabels: ['__name__', '__tmp_central'], regex: 'externalsecret_sync_calls_(total|error);' },
  {
    action: 'drop',
    sourceLabels: ['__name__', 'condition', 'status'],
    regex: '(externalsecret|clusterexternalsecret|clustersecretstore|secretstore)_status_condition;(Ready;(True|Unknown)|Deleted;.*)',
  },
  // Metric relabelling, unlike target relabelling, stores `__` labels: the mark must go.
  { action: 'labeldrop', regex: '__tmp_central' },
] as const;

const hardened = {
  enabled: true,
  allowPrivilegeEscalation: false,
  capabilities: { drop: ['ALL'] },
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
  runAsUser: 1000,
  seccompProfile: { type: 'RuntimeDefault' },
};
const resources = (cpu: string, memory: string) => ({ requests: { cpu, memory }, limits: { memory } });

/** ESO's sizing and monitoring, with the defaults of the options left out. */
function withDefaults(options: EsoValuesOptions): Required<Omit<EsoValuesOptions, 'copies'>> {
  const tuned = esoTuningFor(options.copies ?? 0);
  return {
    replicas: options.replicas ?? 1,
    concurrency: options.concurrency ?? tuned.concurrent,
    clientQps: options.clientQps ?? tuned.clientQps,
    clientBurst: options.clientBurst ?? tuned.clientBurst,
    vaultTokenCache: options.vaultTokenCache ?? false,
    serviceMonitor: options.serviceMonitor ?? true,
  };
}

/**
 * Helm values for ESO, every one that matters written out rather than left to the chart, so an upgrade of
 * the chart's defaults never changes the deployment silently.
 */
export function esoChartValues(options: EsoValuesOptions = {}): Record<string, unknown> {
  const { replicas, concurrency, clientQps, clientBurst, vaultTokenCache, serviceMonitor } = withDefaults(options);
  return {
    installCRDs: true,
    crds: {
      createClusterExternalSecret: true,
      createClusterSecretStore: true,
      createSecretStore: true,
      createPushSecret: true,
      createClusterPushSecret: true,
      createClusterGenerator: true,
      unsafeServeV1Beta1: false,
    },
    processClusterExternalSecret: true,
    processClusterStore: true,
    processSecretStore: true,
    processPushSecret: false,
    processClusterPushSecret: false,
    replicaCount: replicas,
    leaderElect: replicas > 1,
    concurrent: concurrency,
    extraArgs: { 'client-qps': clientQps, 'client-burst': clientBurst },
    vault: { enableTokenCache: vaultTokenCache },
    // The objects' app.kubernetes.io labels would only repeat, on every series, what their names say.
    extendedMetricLabels: false,
    serviceAccount: { create: true, name: ESO_SERVICE_ACCOUNT },
    rbac: { create: true, serviceAccountTokenCreate: true },
    resources: resources('100m', '256Mi'),
    podSecurityContext: { enabled: true },
    securityContext: hardened,
    metrics: { service: { enabled: true, port: 8080 } },
    serviceMonitor: {
      enabled: serviceMonitor,
      renderMode: 'skipIfMissing',
      interval: '30s',
      scrapeTimeout: '25s',
      // The objects' own `namespace` label becomes `exported_namespace`; the target's is ESO's namespace.
      honorLabels: false,
      metricRelabelings: ESO_METRIC_RELABELINGS,
    },
    webhook: {
      create: true,
      failurePolicy: 'Fail',
      replicaCount: replicas,
      resources: resources('50m', '128Mi'),
      securityContext: hardened,
    },
    certController: { create: true, resources: resources('50m', '128Mi'), securityContext: hardened },
  };
}

export interface EsoReleaseArgs extends EsoValuesOptions {
  /** Provider of the target cluster. */
  readonly provider: k8s.Provider;
  /**
   * Where the chart comes from instead of ESO's public repository (see ChartSource).
   * @default - ESO_CHART's repository
   */
  readonly chart?: ChartSource;
  /**
   * Helm values laid over the product's own (esoChartValues), for what a node needs, such as an image mirror
   * or a pull policy. They override the product's hardened defaults, at the operator's risk.
   * @default - the product's values alone
   */
  readonly values?: Readonly<Record<string, unknown>>;
  /**
   * Client id of the identity ESO uses for Key Vault.
   * @default - none: no identity Secret (HashiCorp Vault environments, where ESO logs in with its ServiceAccount)
   */
  readonly clientId?: pulumi.Input<string>;
  /** Client secret of a service principal; leave out for workload identity. */
  readonly clientSecret?: pulumi.Input<string>;
  /**
   * Apply the product's PrometheusRule beside ESO. Unlike the chart's ServiceMonitor (`skipIfMissing`), it
   * fails where the Prometheus Operator's CRDs are missing.
   * @default - the value of serviceMonitor
   */
  readonly alerts?: boolean;
  /**
   * How long the cluster's canary may go without arriving before its alert fires: the catalogue's bound.
   * @default - SecretPlaneAlerts' default, 15 minutes
   */
  readonly canaryBound?: string;
}

/**
 * ESO installed from its Helm chart, pinned to 2.9.0, the product's alerts on its metrics, and (Key Vault
 * environments) the Secret that tells the Key Vault store which identity to use. The release waits for the controller and its webhook, which fails closed.
 */
export class EsoRelease extends pulumi.ComponentResource {
  readonly release: k8s.helm.v3.Release;
  /** The product's PrometheusRule, when alerts are on. */
  readonly alerts?: k8s.yaml.v2.ConfigGroup;
  /** The Key Vault identity's Secret, when there is an identity. */
  readonly identitySecret?: k8s.core.v1.Secret;

  constructor(name: string, args: EsoReleaseArgs, opts?: pulumi.ComponentResourceOptions) {
    super('central-secret-store:kubernetes:EsoRelease', name, {}, opts);
    const values = overlaidValues(esoChartValues(args), args.values ?? {});
    this.release = new k8s.helm.v3.Release(name, pinnedChartRelease(ESO_CHART, args.chart, ESO_NAMESPACE, 600, values), {
      parent: this,
      provider: args.provider,
    });
    if (args.alerts ?? withDefaults(args).serviceMonitor) {
      this.alerts = new k8s.yaml.v2.ConfigGroup(
        `${name}-alerts`,
        { objs: esoAlertObjects(args.canaryBound ? { canaryBound: args.canaryBound } : {}) },
        { parent: this, provider: args.provider, dependsOn: [this.release] },
      );
    }
    if (args.clientId === undefined) {
      this.registerOutputs({});
      return;
    }
    this.identitySecret = new k8s.core.v1.Secret(
      `${name}-keyvault-identity`,
      {
        metadata: {
          name: 'azure-keyvault-identity',
          namespace: ESO_NAMESPACE,
          labels: { 'app.kubernetes.io/managed-by': PRODUCT_LABELS['app.kubernetes.io/managed-by'] },
        },
        type: 'Opaque',
        stringData: pulumi.secret(
          pulumi.all([args.clientId, args.clientSecret]).apply(([clientId, clientSecret]) => ({
            'client-id': clientId,
            ...(clientSecret ? { 'client-secret': clientSecret } : {}),
          })),
        ),
      },
      { parent: this, provider: args.provider, dependsOn: [this.release] },
    );
    this.registerOutputs({});
  }
}
