import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import type { CanaryCheckProps } from '../constructs/src';
import type { ClusterManifests } from '../plane';
import { canaryCheckObjects } from './canary';
import { EsoRelease } from './eso-release';
import { type ChartSource, chartSourceSchema } from './pinned-chart';
import { ReloaderRelease } from './reloader-release';
import { SecretPlane } from './secret-plane';
import { VaultTokenReviewer } from './vault-token-reviewer';
import { movedChild } from './moved-children';

/**
 * Configures HashiCorp Vault's side of ESO's logins once the cluster's token reviewer exists, with a Vault
 * provider of its own (see VaultAccess), and returns what the stores need before ESO can validate them.
 */
export type VaultLogins = (tokenReviewer: VaultTokenReviewer) => readonly pulumi.Resource[];

export interface ClusterKubernetesArgs {
  /**
   * kubeconfig of the cluster. It holds a credential, so the component marks it secret whatever is passed:
   * the provider's inputs and the ManifestSets keep it in the state only encrypted. Everything the component
   * declares goes through one provider made from it, with server-side apply.
   */
  readonly kubeconfig: pulumi.Input<string>;

  /** The cluster's synthesized objects (`synthesizeCluster` of plane/), applied once ESO is ready. */
  readonly manifests: ClusterManifests;

  /**
   * Replicas of ESO's controller and webhook; more than one turns leader election on.
   * @default 1
   */
  readonly esoReplicas?: number;

  /**
   * The ExternalSecrets the cluster's distributions make ESO write (the catalogue's copies on this cluster),
   * which size ESO's throughput settings (esoTuningFor).
   * @default 0: ESO's defaults, raised to 4 workers
   */
  readonly esoCopies?: number;

  /**
   * Reconciles ESO runs in parallel per controller (`--concurrent`).
   * @default - esoTuningFor(esoCopies)
   */
  readonly esoConcurrency?: number;

  /**
   * Requests a second ESO's API client may make (`--client-qps`).
   * @default - esoTuningFor(esoCopies)
   */
  readonly esoClientQps?: number;

  /**
   * Requests ESO's API client may make at once above esoClientQps (`--client-burst`).
   * @default - esoTuningFor(esoCopies)
   */
  readonly esoClientBurst?: number;

  /**
   * Reuse ESO's HashiCorp Vault token across syncs (ESO's experimental `vault.enableTokenCache`).
   * @default - true with vaultLogins (a HashiCorp Vault environment), else false
   */
  readonly esoVaultTokenCache?: boolean;

  /**
   * ESO's ServiceMonitor, rendered only where the Prometheus Operator's CRDs exist.
   * @default true
   */
  readonly serviceMonitor?: boolean;

  /**
   * The product's PrometheusRule beside ESO. Unlike the ServiceMonitor, it fails where the Prometheus
   * Operator's CRDs are missing.
   * @default - the value of serviceMonitor
   */
  readonly alerts?: boolean;

  /**
   * How long the cluster's canary may go without arriving before its alert fires: the catalogue's bound.
   * @default - SecretPlaneAlerts' default, 15 minutes
   */
  readonly canaryBound?: string;

  /**
   * Where ESO's chart comes from: a local chart folder (`{ path }`) or an OCI mirror (`{ repo: 'oci://...' }`)
   * for clusters that cannot reach the public repository. Exactly one of the two.
   * @default - ESO's public repository, at the pinned version (ESO_CHART)
   */
  readonly esoChart?: ChartSource;

  /**
   * Helm values laid over the product's own (`esoChartValues`), maps key by key, for what a node needs, such
   * as an image mirror or a pull policy. They can undo the product's hardened defaults (security contexts,
   * resources, the webhook failing closed): that is at the operator's risk.
   * @default - the product's values alone
   */
  readonly esoValues?: Readonly<Record<string, unknown>>;

  /**
   * The in-cluster canary check (CanaryCheck: a CronJob in the canary namespace that pushes the canary's last
   * refresh to a Pushgateway while the copy holds the deployed value), applied after the secret plane.
   * @default - none: the canary is checked from outside (`central-secret-store canary --pushgateway`)
   */
  readonly canaryCheck?: CanaryCheckProps;

  /**
   * Install stakater Reloader beside ESO, which rolls opted-in workloads when their copies change. Set it to
   * false where the platform already runs Reloader.
   * @default true
   */
  readonly reloader?: boolean;

  /**
   * Where Reloader's chart comes from, as esoChart. Only with reloader on.
   * @default - stakater's public repository, at the pinned version (RELOADER_CHART)
   */
  readonly reloaderChart?: ChartSource;

  /**
   * Azure Key Vault: client id of the identity ESO reads the vault with, written into the Secret
   * `external-secrets/azure-keyvault-identity` that the Key Vault stores name. Excludes vaultLogins.
   * @default - no identity Secret
   */
  readonly esoClientId?: pulumi.Input<string>;

  /**
   * Azure Key Vault: the password of a service principal (clusters outside Azure), written beside
   * esoClientId. Leave it out for workload identity. Only with esoClientId.
   * @default - none: workload identity
   */
  readonly esoClientSecret?: pulumi.Input<string>;

  /**
   * HashiCorp Vault: with it the component declares the cluster's token reviewer (VaultTokenReviewer), hands
   * it to this function, which configures Vault's side with a Vault provider of its own, and applies the
   * secret plane only once what the function returns exists. Excludes esoClientId.
   * @default - no token reviewer: nothing of the cluster's is needed to log in
   */
  readonly vaultLogins?: VaultLogins;
}

/**
 * A cluster's Kubernetes half, which needs nothing but the cluster: a provider from its kubeconfig, ESO
 * (its Helm chart, the product's alerts, and with Key Vault the identity Secret), Reloader beside it, with
 * HashiCorp Vault the token reviewer Vault checks ESO's logins with, and the secret plane, applied once ESO
 * and the backend are ready. No Azure or Vault provider: the backend's side is the caller's (see
 * BackendDeployment), handed in as esoClientId or vaultLogins.
 */
export class ClusterKubernetes extends pulumi.ComponentResource {
  /** Provider of the cluster (server-side apply): for anything more the caller applies there. */
  readonly provider: k8s.Provider;
  /** ESO's Helm release; the release waits until the controller and its webhook run. */
  readonly esoRelease: k8s.helm.v3.Release;
  /** The Secret naming ESO's Key Vault identity, with esoClientId. */
  readonly esoIdentitySecret?: k8s.core.v1.Secret;
  /** Reloader's Helm release, unless reloader is off. */
  readonly reloaderRelease?: k8s.helm.v3.Release;
  /** The token reviewer of Vault's Kubernetes auth, with vaultLogins. */
  readonly tokenReviewer?: VaultTokenReviewer;
  /**
   * What an ESO object applied to this cluster waits for, as the secret plane did: ESO's release (its webhook
   * rejects them until it runs) and the backend's readiness (the identity Secret, or the reviewer and what
   * vaultLogins returned).
   */
  readonly esoReady: readonly pulumi.Resource[];
  /** The catalogue's objects on the cluster: what depends on the stores and copies waits for it. */
  readonly secretPlane: SecretPlane;
  /** The in-cluster canary check's objects, with canaryCheck. */
  readonly canaryCheck?: k8s.yaml.v2.ConfigGroup;

  constructor(name: string, args: ClusterKubernetesArgs, opts?: pulumi.ComponentResourceOptions) {
    checkArgs(name, args);
    super('central-secret-store:kubernetes:ClusterKubernetes', name, {}, opts);
    const kubeconfig = pulumi.secret(args.kubeconfig);
    const provider = new k8s.Provider(`${name}-k8s`, { kubeconfig, enableServerSideApply: true }, movedChild(this, opts));
    const eso = new EsoRelease(
      `${name}-eso`,
      {
        provider,
        chart: args.esoChart,
        values: args.esoValues,
        replicas: args.esoReplicas,
        copies: args.esoCopies,
        concurrency: args.esoConcurrency,
        clientQps: args.esoClientQps,
        clientBurst: args.esoClientBurst,
        vaultTokenCache: args.esoVaultTokenCache ?? args.vaultLogins !== undefined,
        serviceMonitor: args.serviceMonitor,
        alerts: args.alerts,
        canaryBound: args.canaryBound,
        clientId: args.esoClientId,
        clientSecret: args.esoClientSecret,
      },
      movedChild(this, opts),
    );
    if (args.reloader ?? true)
      this.reloaderRelease = new ReloaderRelease(
        `${name}-reloader`,
        { provider, chart: args.reloaderChart },
        movedChild(this, opts),
      ).release;

    const ready: pulumi.Resource[] = [eso.release, ...(eso.identitySecret ? [eso.identitySecret] : [])];
    if (args.vaultLogins) {
      this.tokenReviewer = new VaultTokenReviewer(
        `${name}-vault-token-reviewer`,
        { provider, namespaceReady: eso.release },
        movedChild(this, opts),
      );
      ready.push(...this.tokenReviewer.ready, ...args.vaultLogins(this.tokenReviewer));
    }
    this.secretPlane = new SecretPlane(
      `${name}-secrets`,
      { manifests: args.manifests, kubeconfig, dependsOn: ready },
      movedChild(this, opts),
    );
    if (args.canaryCheck) {
      // The canary namespace and its copy come with the secret plane.
      this.canaryCheck = new k8s.yaml.v2.ConfigGroup(
        `${name}-canary-check`,
        { objs: canaryCheckObjects(args.canaryCheck) },
        { parent: this, provider, dependsOn: [...this.secretPlane.sets] },
      );
    }

    this.provider = provider;
    this.esoRelease = eso.release;
    this.esoIdentitySecret = eso.identitySecret;
    this.esoReady = ready;
    this.registerOutputs({});
  }
}

/** Options that exclude or need each other, all reported at once, before anything is declared. */
function checkArgs(name: string, args: ClusterKubernetesArgs): void {
  const problems: string[] = [];
  if (args.esoClientId !== undefined && args.vaultLogins !== undefined) {
    problems.push(
      "esoClientId and vaultLogins exclude each other: ESO reads Azure Key Vault with an identity (esoClientId) or logs in to HashiCorp Vault with its ServiceAccount (vaultLogins); give the one of the cluster's backend",
    );
  }
  if (args.esoClientSecret !== undefined && args.esoClientId === undefined) {
    problems.push(
      "esoClientSecret needs esoClientId: give the service principal's client id too, or leave the secret out for workload identity",
    );
  }
  if (args.esoVaultTokenCache === true && args.vaultLogins === undefined) {
    problems.push(
      'esoVaultTokenCache is true without vaultLogins: only HashiCorp Vault stores use the token cache; leave it out for Key Vault',
    );
  }
  if (args.reloaderChart !== undefined && args.reloader === false)
    problems.push('reloaderChart is given while reloader is false: remove reloaderChart, or turn reloader on');
  for (const [key, source] of Object.entries({ esoChart: args.esoChart, reloaderChart: args.reloaderChart })) {
    const checked = source === undefined ? undefined : chartSourceSchema.safeParse(source);
    if (checked?.success === false)
      problems.push(...checked.error.issues.map((issue) => `${[key, ...issue.path].join('.')}: ${issue.message}`));
  }
  if (problems.length > 0) throw new Error(`ClusterKubernetes ${name}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
}
