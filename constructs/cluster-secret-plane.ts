import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import {
  type Catalogue,
  clusterNamed,
  credentialsOfferedOn,
  deployerOf,
  environmentOf,
  formatsOf,
  namespacesOn,
  refreshIntervalOf,
} from '../tenants/lib';
import { CentralCredentialStore, centralStoreName } from './central-credential-store';
import { CentralSecretStore } from './central-secret-store';
import { CredentialDistribution } from './credential-distribution';
import { KeyVaultStore, keyVaultUrl } from './key-vault-store';
import { ESO_CONTROLLER_USERNAME } from './eso';
import { MasterCredential } from './master-credential';
import { NamespaceLabelGuard } from './namespace-label-guard';
import { StoreReferenceGuard } from './store-reference-guard';
import { TenantGlobalSecret } from './tenant-global-secret';
import { TenantNamespace } from './tenant-namespace';
import { TenantOwnerRole } from './tenant-owner-role';
import { TenantSecret } from './tenant-secret';

export interface ClusterSecretPlaneProps {
  /** The validated catalogue. */
  readonly catalogue: Catalogue;

  /** Name of the cluster, as in the catalogue. */
  readonly cluster: string;

  /**
   * Name of the Key Vault ClusterSecretStore that feeds the central namespace.
   * @default 'keyvault'
   */
  readonly keyVaultStoreName?: string;
}

/** Name of a tenant's own Key Vault ClusterSecretStore. */
export function tenantStoreName(tenant: string): string {
  return `tenant-${tenant}`;
}

/**
 * Everything one cluster needs, from the catalogue: the central store and its Key Vault bridge, one master
 * per offered credential, one distribution per credential and format, and each tenant's namespaces, store
 * and own secrets. Construct ids are the catalogue names, so object names never change between runs.
 */
export class ClusterSecretPlane extends Chart {
  constructor(scope: Construct, id: string, props: ClusterSecretPlaneProps) {
    super(scope, id, { disableResourceNameHashes: true });
    const { catalogue } = props;
    const cluster = clusterNamed(catalogue, props.cluster);
    const environment = environmentOf(catalogue, cluster);
    const auth = cluster.kind === 'aks' ? ({ kind: 'workload-identity' } as const) : ({ kind: 'service-principal' } as const);
    const vault = { vaultUrl: keyVaultUrl(environment.keyVault.name), tenantId: environment.keyVault.tenantId, auth };

    const central = new CentralSecretStore(this, 'central');
    const keyVault = new KeyVaultStore(this, 'keyvault', {
      ...vault,
      name: props.keyVaultStoreName ?? 'keyvault',
      conditions: [{ namespaces: [central.namespaceName] }],
    });
    const ownerRole = new TenantOwnerRole(this, 'tenant-owner-role');
    new NamespaceLabelGuard(this, 'namespace-label-guard', { deployers: [deployerOf(cluster)] });
    new StoreReferenceGuard(this, 'store-reference-guard', {
      platformIdentities: [deployerOf(cluster), ESO_CONTROLLER_USERNAME],
      sharedStores: [keyVault.storeName],
      centralStorePrefix: centralStoreName(''),
      tenantStorePrefix: tenantStoreName(''),
      centralNamespace: central.namespaceName,
    });

    for (const credential of credentialsOfferedOn(catalogue, cluster)) {
      const store = new CentralCredentialStore(this, `store-central-${credential.name}`, { central, credential: credential.name, allowedTenants: credential.allowedTenants });
      new MasterCredential(this, `master-${credential.name}`, {
        credential,
        namespace: central.namespaceName,
        keyVaultStoreName: keyVault.storeName,
      });
      for (const format of formatsOf(credential)) {
        new CredentialDistribution(this, `distribute-${credential.name}-${format.id}`, {
          credential,
          format,
          storeName: store.storeName,
          refreshInterval: refreshIntervalOf(cluster),
        });
      }
    }

    const placed = namespacesOn(catalogue, cluster);
    for (const tenant of catalogue.tenants) {
      const own = placed.filter((p) => p.tenant.name === tenant.name).map((p) => p.namespace);
      if (own.length === 0) continue;
      const store = new KeyVaultStore(this, `store-${tenant.name}`, {
        ...vault,
        name: tenantStoreName(tenant.name),
        // By name, not by label: a namespace name cannot be relabelled into another tenant's store.
        conditions: [{ namespaces: own.map((n) => n.name).sort() }],
      });
      for (const namespace of own) {
        new TenantNamespace(this, `namespace-${namespace.name}`, {
          name: namespace.name,
          tenant: tenant.name,
          requests: namespace.requests,
          labels: namespace.labels,
          owners: tenant.owners,
          ownerClusterRole: ownerRole.name,
        });
        for (const secret of namespace.secrets ?? []) {
          new TenantSecret(this, `secret-${namespace.name}-${secret.name}`, {
            tenant: tenant.name,
            namespace: namespace.name,
            secret,
            storeName: store.storeName,
          });
        }
      }
      for (const secret of tenant.clusters[cluster.name]?.globalSecrets ?? []) {
        new TenantGlobalSecret(this, `global-${tenant.name}-${secret.name}`, { tenant: tenant.name, secret, storeName: store.storeName });
      }
    }
  }
}
