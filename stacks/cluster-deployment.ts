import * as authorization from '@pulumi/azure-native/authorization';
import * as containerservice from '@pulumi/azure-native/containerservice';
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import * as vault from '@pulumi/vault';
import { Duration } from 'cdk8s';
import { parseGoDuration } from '../constructs/src/duration';
import { ESO_NAMESPACE, ESO_SERVICE_ACCOUNT } from '../constructs/src';
import { type ClusterManifests, synthesizeCluster } from '../plane';
import {
  type Catalogue,
  type Cluster,
  type Environment,
  type KeyVaultEnvironment,
  type VaultEnvironment,
  canaryOf,
  clusterNamed,
  environmentOf,
  isVaultEnvironment,
  keyVaultResourceGroupOf,
  ownSecretsOf,
  validityOfVaultSecret,
  validityReport,
  vaultOwnerOf,
} from '../tenants/lib';
import { CanarySecret, type CanaryVault, canaryValue } from './canary';
import { type StackConfig, stackSettingsOf } from './config';
import { apiServerOf } from './kubeconfig';
import { EsoIdentity } from './eso-identity';
import { EsoRelease } from './eso-release';
import { EtcdEncryptionKey } from './etcd-encryption-key';
import { KeyVault } from './key-vault';
import { ReloaderRelease } from './reloader-release';
import { SecretPlane } from './secret-plane';
import { VaultAccess, vaultScopeOf } from './vault-access';

export interface ClusterDeploymentArgs {
  /** The validated catalogue. */
  readonly catalogue: Catalogue;
  /** The stack's config. */
  readonly config: StackConfig;
}

/**
 * Everything one cluster needs, in order: its environment's vault and ESO's access to it, ESO itself (and
 * Reloader beside it, which rolls opted-in workloads when their copies change), and the cluster's manifests
 * from the catalogue. With Azure Key Vault: the vault (created by the owning stack, looked up by the others), the identity ESO uses and its one role assignment. With HashiCorp Vault: the
 * spaces and policies (owning stack) and this cluster's Kubernetes auth mount and roles (see VaultAccess).
 * Either way the cluster's canary value for this deployment goes into the vault (see CanarySecret).
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
  readonly objectCount: number;

  constructor(name: string, args: ClusterDeploymentArgs, opts?: pulumi.ComponentResourceOptions) {
    super('central-secret-store:index:ClusterDeployment', name, {}, opts);
    const { catalogue, config } = args;
    const cluster = clusterNamed(catalogue, config.cluster);
    const environment = environmentOf(catalogue, cluster);
    const ownsVault = vaultOwnerOf(catalogue, environment) === cluster.name;
    checkConfig(catalogue, config, cluster.kind, environment, ownsVault);
    const manifests = synthesizeCluster(catalogue, cluster.name);
    this.objectCount = manifests.clusterScoped.length + manifests.namespaced.length;

    const canary = canaryOf(cluster) ? canaryValue(manifests, stackSettingsOf(config)) : undefined;
    const bound = canaryOf(cluster)?.bound;
    const canaryBound = bound === undefined ? undefined : Duration.seconds(Number(parseGoDuration(bound)! / 1_000_000_000n));
    const writeCanary = (target: CanaryVault) =>
      canary === undefined ? undefined : new CanarySecret(`${name}-canary`, { cluster: cluster.name, value: canary, vault: target }, { parent: this }).value;

    if (isVaultEnvironment(environment)) {
      this.vaultUri = pulumi.output(environment.vault.address);
      this.canary = this.deployWithVault(name, catalogue, config, cluster, environment, ownsVault, manifests, writeCanary, canaryBound);
      this.registerOutputs({ vaultUri: this.vaultUri, canary: this.canary, objectCount: this.objectCount });
      return;
    }

    // The catalogue gives an environment exactly one backend: not Vault, so Key Vault.
    const keyVaultEnvironment = environment as KeyVaultEnvironment;
    const { keyVault } = keyVaultEnvironment;
    const client = authorization.getClientConfigOutput({ parent: this });
    const vault = new KeyVault(
      `${name}-vault`,
      {
        vaultName: keyVault.name,
        resourceGroupName: keyVaultResourceGroupOf(keyVaultEnvironment),
        tenantId: keyVault.tenantId,
        create: ownsVault,
        location: config.location,
        sku: config.keyVaultSku,
        allowedIpRanges: config.keyVaultAllowedIpRanges,
        allowedSubnetIds: config.keyVaultAllowedSubnetIds,
        logAnalyticsWorkspaceId: config.logAnalyticsWorkspaceId,
        secrets: config.vaultSecrets.map((s) => ({
          ...vaultSecretWindow(catalogue, s),
          name: s.name,
          value: config.vaultSecretValues!.apply((values) => {
            if (values[s.name] === undefined) throw new Error(`vaultSecretValues has no value for "${s.name}"; set it with pulumi config set --secret --path 'vaultSecretValues.${s.name}'`);
            return values[s.name];
          }),
        })),
      },
      { parent: this },
    );

    // After the vault exists: the owning stack creates it in this same run.
    this.canary = writeCanary({ kind: 'keyVault', vaultName: keyVault.name, resourceGroupName: vault.vaultId.apply(() => keyVaultResourceGroupOf(keyVaultEnvironment)) });

    let kubeconfig: pulumi.Output<string>;
    let identity: EsoIdentity;
    const identityBase = { cluster: cluster.name, vaultId: vault.vaultId, vaultName: keyVault.name, subscriptionId: client.subscriptionId };
    if (cluster.kind === 'aks') {
      const aks = aksOf(config, cluster);
      const managed = containerservice.getManagedClusterOutput(aks, { parent: this });
      kubeconfig = aksKubeconfig(aks, this);
      identity = new EsoIdentity(
        `${name}-eso-identity`,
        {
          ...identityBase,
          kind: 'workload-identity',
          resourceGroupName: aks.resourceGroupName,
          location: config.location,
          oidcIssuerUrl: managed.apply((m) => {
            if (!m.oidcIssuerProfile?.issuerURL) throw new Error(`AKS cluster ${aks.resourceName} has no OIDC issuer; enable oidcIssuerProfile and workload identity on it`);
            return m.oidcIssuerProfile.issuerURL;
          }),
          subjects: [`system:serviceaccount:${ESO_NAMESPACE}:${ESO_SERVICE_ACCOUNT}`],
        },
        { parent: this },
      );
      this.etcdKmsKeyId = new EtcdEncryptionKey(
        `${name}-etcd-kms`,
        {
          cluster: cluster.name,
          vaultName: keyVault.name,
          // After the vault exists: the owning stack creates it in this same run.
          vaultResourceGroupName: vault.vaultId.apply(() => keyVaultResourceGroupOf(keyVaultEnvironment)),
          subscriptionId: client.subscriptionId,
          clusterPrincipalId: managed.apply((m) => {
            if (!m.identity?.principalId) throw new Error(`AKS cluster ${aks.resourceName} has no managed identity; KMS etcd encryption needs one`);
            return m.identity.principalId;
          }),
        },
        { parent: this },
      ).keyId;
    } else {
      kubeconfig = config.kubeconfig!;
      identity = new EsoIdentity(
        `${name}-eso-identity`,
        { ...identityBase, kind: 'service-principal', passwordEndDate: config.servicePrincipalPasswordEndDate! },
        { parent: this },
      );
    }

    const provider = new k8s.Provider(`${name}-k8s`, { kubeconfig, enableServerSideApply: true }, { parent: this });
    const eso = new EsoRelease(
      `${name}-eso`,
      {
        provider,
        clientId: identity.clientId,
        clientSecret: identity.clientSecret,
        replicas: config.esoReplicas,
        concurrency: config.esoConcurrency,
        serviceMonitor: config.serviceMonitor,
        alerts: config.alerts,
        canaryBound,
      },
      { parent: this },
    );
    new ReloaderRelease(`${name}-reloader`, { provider }, { parent: this });

    new SecretPlane(`${name}-secrets`, { manifests, kubeconfig, dependsOn: [eso.release, eso.identitySecret!] }, { parent: this });

    this.vaultUri = vault.vaultUri;
    this.esoClientId = identity.clientId;
    this.registerOutputs({ vaultUri: this.vaultUri, esoClientId: this.esoClientId, etcdKmsKeyId: this.etcdKmsKeyId, canary: this.canary, objectCount: this.objectCount });
  }

  /**
   * A cluster of a HashiCorp Vault environment: Vault is configured for it (VaultAccess), ESO installed
   * without an Azure identity, and the stores applied once their roles exist.
   */
  private deployWithVault(
    name: string,
    catalogue: Catalogue,
    config: StackConfig,
    cluster: Cluster,
    environment: VaultEnvironment,
    ownsSpaces: boolean,
    manifests: ClusterManifests,
    writeCanary: (target: CanaryVault) => pulumi.Output<string> | undefined,
    canaryBound: Duration | undefined,
  ): pulumi.Output<string> | undefined {
    const kubeconfig = cluster.kind === 'aks' ? aksKubeconfig(aksOf(config, cluster), this) : config.kubeconfig!;
    // The API server's address and CA are not secret, though the kubeconfig is: previews show their changes.
    const apiServer = pulumi.unsecret(kubeconfig.apply((text) => apiServerOf(text)));
    const provider = new k8s.Provider(`${name}-k8s`, { kubeconfig, enableServerSideApply: true }, { parent: this });
    const vaultProvider = new vault.Provider(
      `${name}-vault`,
      {
        address: environment.vault.address,
        ...(config.vaultToken ? { token: config.vaultToken } : {}),
        ...(config.vaultCaCertFile ? { caCertFile: config.vaultCaCertFile } : {}),
      },
      { parent: this },
    );
    const eso = new EsoRelease(
      `${name}-eso`,
      { provider, replicas: config.esoReplicas, concurrency: config.esoConcurrency, serviceMonitor: config.serviceMonitor, alerts: config.alerts, canaryBound },
      { parent: this },
    );
    const access = new VaultAccess(
      `${name}-vault-access`,
      {
        vault: environment.vault,
        cluster: cluster.name,
        ownsSpaces,
        ...vaultScopeOf(catalogue, cluster, environment),
        kubernetesHost: config.vaultKubernetesHost ?? apiServer.apply((s) => s.server),
        kubernetesCaCert: apiServer.apply((s) => s.caCert),
        vaultProvider,
        kubernetesProvider: provider,
        esoRelease: eso.release,
      },
      { parent: this },
    );
    const canary = writeCanary({ kind: 'vault', settings: environment.vault, provider: vaultProvider, dependsOn: access.sharedMount ? [access.sharedMount] : [] });
    new ReloaderRelease(`${name}-reloader`, { provider }, { parent: this });
    new SecretPlane(`${name}-secrets`, { manifests, kubeconfig, dependsOn: [eso.release, ...access.ready] }, { parent: this });
    return canary;
  }
}

function aksOf(config: StackConfig, cluster: Cluster) {
  return { resourceGroupName: config.aksResourceGroup!, resourceName: config.aksName ?? cluster.name };
}

/** The user kubeconfig of an AKS cluster, kept secret. */
function aksKubeconfig(aks: ReturnType<typeof aksOf>, parent: pulumi.Resource): pulumi.Output<string> {
  return pulumi.secret(
    containerservice.listManagedClusterUserCredentialsOutput(aks, { parent }).apply((c) => Buffer.from(c.kubeconfigs[0].value, 'base64').toString('utf8')),
  );
}

/** The settings each kind of cluster and backend needs; every missing one is reported at once. */
function checkConfig(catalogue: Catalogue, config: StackConfig, kind: 'aks' | 'generic', environment: Environment, ownsVault: boolean): void {
  const problems: string[] = [];
  const withKeyVault = !isVaultEnvironment(environment);
  if (withKeyVault && !config.location) problems.push('azure-native:location is required: the region of the Key Vault and of ESO\'s identity');
  if (kind === 'aks' && !config.aksResourceGroup) problems.push('aksResourceGroup is required for an aks cluster');
  if (kind === 'generic') {
    if (!config.kubeconfig) problems.push('kubeconfig (secret) is required for a generic cluster: pulumi config set --secret kubeconfig < kubeconfig.yaml');
    if (withKeyVault && !config.servicePrincipalPasswordEndDate) problems.push('servicePrincipalPasswordEndDate is required for a generic cluster (ESO signs in with a service principal)');
  }
  if (config.vaultSecrets.length > 0) {
    if (!withKeyVault) problems.push(`vaultSecrets: Pulumi writes values into Key Vault only; environment ${environment.name} uses HashiCorp Vault, so write its values with vault kv put`);
    else if (!ownsVault) problems.push('vaultSecrets can only be set on the stack that owns the environment\'s Key Vault');
    if (!config.vaultSecretValues) problems.push('vaultSecrets are listed but the secret config vaultSecretValues is missing');
    const known = new Set(referencedVaultSecrets(catalogue));
    for (const s of config.vaultSecrets) {
      if (!known.has(s.name)) problems.push(`vaultSecrets: "${s.name}" is not a Key Vault secret the catalogue references`);
    }
  }
  for (const s of config.vaultSecrets) {
    const window = validityOfVaultSecret(catalogue, s.name);
    if (!s.expires && !window?.expires) problems.push(`vaultSecrets: "${s.name}" needs expires (the catalogue gives it no validity window)`);
    if (s.expires && window?.expires && s.expires !== window.expires) {
      problems.push(`vaultSecrets: "${s.name}" expires ${s.expires}, but the catalogue says ${window.expires}; remove it from the stack config`);
    }
  }
  // An expired tenant secret stops the deploy, as it stops the synth.
  for (const issue of validityReport(catalogue, { now: new Date(), warnWithinDays: 0 }).errors) problems.push(`${issue.file}: ${issue.path}: ${issue.message}`);
  if (problems.length > 0) throw new Error(`Stack ${config.cluster} cannot be deployed:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
}

/** The validity window Key Vault records for a secret Pulumi writes: the stack's, else the catalogue's. */
function vaultSecretWindow(catalogue: Catalogue, secret: StackConfig['vaultSecrets'][number]): { expires: string; notBefore?: string } {
  const window = validityOfVaultSecret(catalogue, secret.name);
  return { expires: (secret.expires ?? window?.expires)!, notBefore: secret.notBefore ?? window?.notBefore };
}

/** Every Key Vault secret name the catalogue references, credentials and tenants' own secrets alike. */
function referencedVaultSecrets(catalogue: Catalogue): string[] {
  const fromCredentials = catalogue.credentials.flatMap((c) => Object.values<string>(c.keyVault ?? {}));
  const fromTenants = ownSecretsOf(catalogue).flatMap(({ secret }) => Object.values(secret.keyVault ?? {}));
  return [...fromCredentials, ...fromTenants];
}
