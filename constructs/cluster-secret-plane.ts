import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import {
  CENTRAL_NAMESPACE,
  CENTRAL_READER,
  type Catalogue,
  KEY_VAULT_STORE,
  NAMESPACE_LABEL_POLICY,
  STORE_REFERENCE_POLICY,
  TENANT_OWNER_ROLE,
  centralStoreName,
  clusterNamed,
  credentialsOfferedOn,
  deployersOf,
  distributionName,
  environmentOf,
  formatsOf,
  globalSecretDistributionName,
  namespacesOn,
  refreshIntervalOf,
  tenantStoreName,
  workloadReaderName,
} from '../tenants/lib';
import { CentralCredentialStore } from './central-credential-store';
import { CentralSecretStore } from './central-secret-store';
import { CredentialDistribution } from './credential-distribution';
import { ESO_CONTROLLER_USERNAME } from './eso';
import { KeyVaultStore, keyVaultUrl } from './key-vault-store';
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
}

/**
 * Everything one cluster needs, from the catalogue: the central store and its Key Vault bridge, one master
 * per offered credential, one distribution per credential and format, and each tenant's namespaces, store
 * and own secrets. Object names come from the catalogue's naming (tenants/lib/object-names), the same that
 * validation checks for collisions, so names never change between runs and never collide.
 */
export class ClusterSecretPlane extends Chart {
  constructor(scope: Construct, id: string, props: ClusterSecretPlaneProps) {
    super(scope, id, { disableResourceNameHashes: true });
    const { catalogue } = props;
    const cluster = clusterNamed(catalogue, props.cluster);
    const environment = environmentOf(catalogue, cluster);
    const auth = cluster.kind === 'aks' ? ({ kind: 'workload-identity' } as const) : ({ kind: 'service-principal' } as const);
    const vault = { vaultUrl: keyVaultUrl(environment.keyVault.name), tenantId: environment.keyVault.tenantId, auth };
    const central = new CentralSecretStore(this, 'central', { namespaceName: CENTRAL_NAMESPACE, readerServiceAccountName: CENTRAL_READER });
    const keyVault = new KeyVaultStore(this, 'keyvault', { ...vault, name: KEY_VAULT_STORE, conditions: [{ namespaces: [central.namespaceName] }] });
    const ownerRole = new TenantOwnerRole(this, 'tenant-owner-role', { name: TENANT_OWNER_ROLE });
    const deployers = deployersOf(cluster);
    new NamespaceLabelGuard(this, 'namespace-label-guard', { deployers, name: NAMESPACE_LABEL_POLICY });
    new StoreReferenceGuard(this, 'store-reference-guard', {
      name: STORE_REFERENCE_POLICY,
      platformIdentities: { users: [...deployers.users, ESO_CONTROLLER_USERNAME], groups: deployers.groups },
      sharedStores: [keyVault.storeName],
      centralStorePrefix: centralStoreName(''),
      tenantStorePrefix: tenantStoreName(''),
      centralNamespace: central.namespaceName,
    });

    for (const credential of credentialsOfferedOn(catalogue, cluster)) {
      const store = new CentralCredentialStore(this, `store-central-${credential.name}`, {
        central,
        name: centralStoreName(credential.name),
        credential: credential.name,
        allowedTenants: credential.allowedTenants,
      });
      new MasterCredential(this, `master-${credential.name}`, { credential, namespace: central.namespaceName, keyVaultStoreName: keyVault.storeName });
      for (const format of formatsOf(credential)) {
        new CredentialDistribution(this, `distribute-${credential.name}-${format.id}`, {
          credential,
          format,
          name: distributionName(credential.name, format.id),
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
            readerName: workloadReaderName(secret.name),
          });
        }
      }
      for (const secret of tenant.clusters[cluster.name]?.globalSecrets ?? []) {
        new TenantGlobalSecret(this, `global-${tenant.name}-${secret.name}`, {
          tenant: tenant.name,
          secret,
          storeName: store.storeName,
          name: globalSecretDistributionName(tenant.name, secret.name),
        });
      }
    }
  }
}
