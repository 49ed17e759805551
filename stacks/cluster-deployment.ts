import * as authorization from '@pulumi/azure-native/authorization';
import * as containerservice from '@pulumi/azure-native/containerservice';
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { ESO_NAMESPACE, ESO_SERVICE_ACCOUNT } from '../constructs/src';
import { synthesizeCluster } from '../plane';
import {
  type Catalogue,
  clusterNamed,
  environmentOf,
  keyVaultOwnerOf,
  keyVaultResourceGroupOf,
  ownSecretsOf,
  validityOfVaultSecret,
  validityReport,
} from '../tenants/lib';
import type { StackConfig } from './config';
import { EsoIdentity } from './eso-identity';
import { EsoRelease } from './eso-release';
import { EtcdEncryptionKey } from './etcd-encryption-key';
import { KeyVault } from './key-vault';
import { SecretPlane } from './secret-plane';

export interface ClusterDeploymentArgs {
  /** The validated catalogue. */
  readonly catalogue: Catalogue;
  /** The stack's config. */
  readonly config: StackConfig;
}

/**
 * Everything one cluster needs, in order: its environment's Key Vault (created by the owning stack, looked
 * up by the others), the identity ESO uses and its one role assignment, ESO itself, and the cluster's
 * manifests from the catalogue.
 */
export class ClusterDeployment extends pulumi.ComponentResource {
  readonly vaultUri: pulumi.Output<string>;
  readonly esoClientId: pulumi.Output<string>;
  /** Key id for AKS KMS etcd encryption (aks clusters). */
  readonly etcdKmsKeyId?: pulumi.Output<string>;
  readonly objectCount: number;

  constructor(name: string, args: ClusterDeploymentArgs, opts?: pulumi.ComponentResourceOptions) {
    super('central-secret-store:index:ClusterDeployment', name, {}, opts);
    const { catalogue, config } = args;
    const cluster = clusterNamed(catalogue, config.cluster);
    const environment = environmentOf(catalogue, cluster);
    const ownsVault = keyVaultOwnerOf(catalogue, environment) === cluster.name;
    checkConfig(catalogue, config, cluster.kind, ownsVault);

    const client = authorization.getClientConfigOutput({ parent: this });
    const vault = new KeyVault(
      `${name}-vault`,
      {
        vaultName: environment.keyVault.name,
        resourceGroupName: keyVaultResourceGroupOf(environment),
        tenantId: environment.keyVault.tenantId,
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

    let kubeconfig: pulumi.Output<string>;
    let identity: EsoIdentity;
    const identityBase = { cluster: cluster.name, vaultId: vault.vaultId, vaultName: environment.keyVault.name, subscriptionId: client.subscriptionId };
    if (cluster.kind === 'aks') {
      const aks = { resourceGroupName: config.aksResourceGroup!, resourceName: config.aksName ?? cluster.name };
      const managed = containerservice.getManagedClusterOutput(aks, { parent: this });
      kubeconfig = pulumi.secret(
        containerservice.listManagedClusterUserCredentialsOutput(aks, { parent: this }).apply((c) => Buffer.from(c.kubeconfigs[0].value, 'base64').toString('utf8')),
      );
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
          vaultName: environment.keyVault.name,
          // After the vault exists: the owning stack creates it in this same run.
          vaultResourceGroupName: vault.vaultId.apply(() => keyVaultResourceGroupOf(environment)),
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
      },
      { parent: this },
    );

    const manifests = synthesizeCluster(catalogue, cluster.name);
    new SecretPlane(`${name}-secrets`, { manifests, provider, dependsOn: [eso.release, eso.identitySecret] }, { parent: this });

    this.vaultUri = vault.vaultUri;
    this.esoClientId = identity.clientId;
    this.objectCount = manifests.clusterScoped.length + manifests.namespaced.length;
    this.registerOutputs({ vaultUri: this.vaultUri, esoClientId: this.esoClientId, etcdKmsKeyId: this.etcdKmsKeyId, objectCount: this.objectCount });
  }
}

/** The settings each kind of cluster needs; every missing one is reported at once. */
function checkConfig(catalogue: Catalogue, config: StackConfig, kind: 'aks' | 'generic', ownsVault: boolean): void {
  const problems: string[] = [];
  if (kind === 'aks' && !config.aksResourceGroup) problems.push('aksResourceGroup is required for an aks cluster');
  if (kind === 'generic') {
    if (!config.kubeconfig) problems.push('kubeconfig (secret) is required for a generic cluster: pulumi config set --secret kubeconfig < kubeconfig.yaml');
    if (!config.servicePrincipalPasswordEndDate) problems.push('servicePrincipalPasswordEndDate is required for a generic cluster (ESO signs in with a service principal)');
  }
  if (config.vaultSecrets.length > 0) {
    if (!ownsVault) problems.push('vaultSecrets can only be set on the stack that owns the environment\'s Key Vault');
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
  const fromCredentials = catalogue.credentials.flatMap((c) => Object.values<string>(c.keyVault));
  const fromTenants = ownSecretsOf(catalogue).flatMap(({ secret }) => Object.values(secret.keyVault));
  return [...fromCredentials, ...fromTenants];
}
