import * as pulumi from '@pulumi/pulumi';
import { synthesizeCluster } from '../plane';
import { CANARY_CREDENTIAL, canaryOf, copiesOn, distributionName } from '../tenants/lib';
import { aksClusterOf, aksKubeconfig } from './aks-cluster';
import type { BackendDeployment } from './backend-deployment';
import { canaryValue, canaryValueSha256 } from './canary';
import { ClusterKubernetes } from './cluster-kubernetes';
import type { StackConfig } from './config';
import { KeyVaultDeployment } from './key-vault-deployment';
import { VaultDeployment } from './vault-deployment';

export interface ClusterDeploymentArgs {
  /** The stack's config, checked against its catalogue (readStackConfig). */
  readonly config: StackConfig;
}

/**
 * Everything one cluster needs: its environment's vault and ESO's access to it (the backend: Azure Key Vault
 * or HashiCorp Vault, see BackendDeployment), then the cluster's Kubernetes half (ESO, Reloader beside it, and
 * the catalogue's manifests, see ClusterKubernetes). Either way the cluster's canary value for this deployment
 * goes into the vault (see CanarySecret).
 */
export class ClusterDeployment extends pulumi.ComponentResource {
  /** The vault's address: a Key Vault URI or the Vault server's address. */
  readonly vaultUri: pulumi.Output<string>;
  /** Client id of ESO's Azure identity (Key Vault environments). */
  readonly esoClientId?: pulumi.Output<string>;
  /** Key id for AKS KMS etcd encryption (aks clusters of Key Vault environments). */
  readonly etcdKmsKeyId?: pulumi.Output<string>;
  /** The canary value this deployment writes (see canaryValue), for the canary check; absent without a canary. */
  readonly canary?: pulumi.Output<string>;
  /** How many objects of the catalogue's the cluster gets. */
  readonly objectCount: number;

  constructor(name: string, args: ClusterDeploymentArgs, opts?: pulumi.ComponentResourceOptions) {
    super('central-secret-store:index:ClusterDeployment', name, {}, opts);
    const { config } = args;
    const manifests = synthesizeCluster(config.catalogue, config.cluster.name);
    const canary = canaryOf(config.cluster);
    const canaryToWrite = canary ? canaryValue(manifests, config.settings) : undefined;
    const kubeconfig = config.kind === 'aks' ? aksKubeconfig(aksClusterOf(config), this) : config.kubeconfig;

    const backend: BackendDeployment =
      config.backend === 'keyVault'
        ? new KeyVaultDeployment(name, { config, canary: canaryToWrite }, { parent: this })
        : new VaultDeployment(name, { config, kubeconfig, canary: canaryToWrite }, { parent: this });

    new ClusterKubernetes(
      name,
      {
        kubeconfig,
        manifests,
        esoReplicas: config.esoReplicas,
        esoCopies: copiesOn(config.catalogue, config.cluster.name),
        esoConcurrency: config.esoConcurrency,
        esoClientQps: config.esoClientQps,
        esoClientBurst: config.esoClientBurst,
        esoVaultTokenCache: config.backend === 'vault' ? config.esoVaultTokenCache : undefined,
        serviceMonitor: config.serviceMonitor,
        alerts: config.alerts,
        canaryBound: canary?.bound,
        esoChart: config.esoChart,
        esoValues: config.esoValues,
        canaryCheck:
          canary && canaryToWrite && config.canaryCheckImage && config.canaryPushgateway
            ? {
                namespace: canary.namespace,
                copyName: distributionName(CANARY_CREDENTIAL, 'opaque'),
                expectedValueSha256: canaryValueSha256(canaryToWrite),
                image: config.canaryCheckImage,
                pushgateway: config.canaryPushgateway,
                cluster: config.cluster.name,
                schedule: config.canaryCheckSchedule,
              }
            : undefined,
        reloader: config.reloader,
        reloaderChart: config.reloaderChart,
        esoClientId: backend.esoIdentity?.clientId,
        esoClientSecret: backend.esoIdentity?.clientSecret,
        vaultLogins: backend.vaultLogins,
      },
      { parent: this },
    );

    this.vaultUri = backend.vaultUri;
    this.esoClientId = backend.esoIdentity?.clientId;
    this.etcdKmsKeyId = backend.etcdKmsKeyId;
    this.canary = backend.canary;
    this.objectCount = manifests.clusterScoped.length + manifests.namespaced.length;
    this.registerOutputs({
      vaultUri: this.vaultUri,
      esoClientId: this.esoClientId,
      etcdKmsKeyId: this.etcdKmsKeyId,
      canary: this.canary,
      objectCount: this.objectCount,
    });
  }
}
