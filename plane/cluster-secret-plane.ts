import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import {
  Canary,
  CentralCredentialStore,
  CentralSecretStore,
  CredentialDistribution,
  ESO_CONTROLLER_USERNAME,
  type ISecretStore,
  MasterCredential,
  NamespaceLabelGuard,
  OperatorSecret,
  ServiceAccountPullSecrets,
  StoreReferenceGuard,
  TenantGlobalSecret,
  TenantNamespace,
  TenantOwnerRole,
  TenantSecret,
  WorkloadSecret,
} from '../constructs/src';
import {
  CANARY_CREDENTIAL,
  CENTRAL_NAMESPACE,
  CENTRAL_READER,
  type Catalogue,
  NAMESPACE_LABEL_POLICY,
  type OwnSecret,
  STORE_REFERENCE_POLICY,
  TENANT_OWNER_ROLE,
  canaryOf,
  centralStoreName,
  clusterNamed,
  credentialsOfferedOn,
  deployersOf,
  distributionName,
  globalSecretDistributionName,
  namespacesOn,
  pullSecretsOf,
  refreshIntervalOf,
  tenantStoreName,
  workloadReaderName,
} from '../tenants/lib';
import { secretFormatsOf, sharedCredentialOf } from './credentials';
import { type SecretBackend, secretBackendOf } from './secret-backend';

export interface ClusterSecretPlaneProps {
  /** The validated catalogue. */
  readonly catalogue: Catalogue;

  /** Name of the cluster, as in the catalogue. */
  readonly cluster: string;
}

/**
 * Everything one cluster needs, from the catalogue: the central store and its vault bridge (Azure Key Vault or
 * HashiCorp Vault, see secret-backend.ts), one master
 * per offered credential, one distribution per credential and format, and each tenant's namespaces, store
 * and own secrets. Object names come from the catalogue's naming (tenants/lib/object-names), the same that
 * validation checks for collisions, so names never change between runs and never collide.
 */
export class ClusterSecretPlane extends Chart {
  constructor(scope: Construct, id: string, props: ClusterSecretPlaneProps) {
    super(scope, id, { disableResourceNameHashes: true });
    const { catalogue } = props;
    const cluster = clusterNamed(catalogue, props.cluster);
    const central = new CentralSecretStore(this, 'central', { namespaceName: CENTRAL_NAMESPACE, readerServiceAccountName: CENTRAL_READER });
    const backend = secretBackendOf(this, catalogue, cluster, central.namespaceName);
    const ownerRole = new TenantOwnerRole(this, 'tenant-owner-role', { name: TENANT_OWNER_ROLE });
    const deployers = deployersOf(cluster);
    new NamespaceLabelGuard(this, 'namespace-label-guard', { deployers, name: NAMESPACE_LABEL_POLICY });
    new StoreReferenceGuard(this, 'store-reference-guard', {
      name: STORE_REFERENCE_POLICY,
      platformIdentities: { users: [...deployers.users, ESO_CONTROLLER_USERNAME], groups: deployers.groups },
      sharedStores: [backend.masters.storeName],
      centralStorePrefix: centralStoreName(''),
      tenantStorePrefix: tenantStoreName(''),
      centralNamespace: central.namespaceName,
    });

    const canary = canaryOf(cluster);
    if (canary) {
      new Canary(this, 'canary', {
        central,
        store: backend.masters,
        vaultSecret: backend.canarySecret,
        credentialName: CANARY_CREDENTIAL,
        namespaceName: canary.namespace,
        refreshInterval: refreshIntervalOf(cluster),
      });
    }

    for (const credential of credentialsOfferedOn(catalogue, cluster)) {
      const store = new CentralCredentialStore(this, `store-central-${credential.name}`, {
        central,
        name: centralStoreName(credential.name),
        credential: credential.name,
        allowedTenants: credential.allowedTenants,
      });
      new MasterCredential(this, `master-${credential.name}`, {
        credential: sharedCredentialOf(credential),
        vaultSecrets: backend.masterSecrets(credential),
        store: backend.masters,
        namespace: central.namespaceName,
      });
      for (const format of secretFormatsOf(credential)) {
        new CredentialDistribution(this, `distribute-${credential.name}-${format.id}`, {
          format,
          allowedTenants: credential.allowedTenants,
          name: distributionName(credential.name, format.id),
          store,
          refreshInterval: refreshIntervalOf(cluster),
        });
      }
    }

    const placed = namespacesOn(catalogue, cluster);
    for (const tenant of catalogue.tenants) {
      const own = placed.filter((p) => p.tenant.name === tenant.name).map((p) => p.namespace);
      if (own.length === 0) continue;
      const store = backend.tenantStore(tenant.name, own.map((n) => n.name));
      for (const namespace of own) {
        new TenantNamespace(this, `namespace-${namespace.name}`, {
          name: namespace.name,
          tenant: tenant.name,
          requests: namespace.requests,
          labels: namespace.labels,
          owners: tenant.owners,
          ownerRole,
        });
        for (const [serviceAccountName, secretNames] of pullSecretsOf(namespace, catalogue.credentials)) {
          new ServiceAccountPullSecrets(this, `pull-secrets-${namespace.name}-${serviceAccountName}`, { namespace: namespace.name, serviceAccountName, secretNames });
        }
        for (const secret of namespace.secrets ?? []) addOwnSecret(this, `secret-${namespace.name}-${secret.name}`, tenant.name, namespace.name, secret, store, backend);
      }
      for (const secret of tenant.clusters[cluster.name]?.globalSecrets ?? []) {
        if (secret.type === 'workload') throw new Error(`global secret ${secret.name} of tenant ${tenant.name} is a workload secret; validation should have refused it`);
        new TenantGlobalSecret(this, `global-${tenant.name}-${secret.name}`, {
          ...ownSecretProps(tenant.name, secret, store, backend),
          distributionName: globalSecretDistributionName(tenant.name, secret.name),
          ...(secret.type === 'raw' ? { operator: { operator: secret.operator, jsonKey: secret.jsonKey } } : { secretType: secret.secretType }),
        });
      }
    }
  }
}

function ownSecretProps(tenant: string, secret: OwnSecret, store: ISecretStore, backend: SecretBackend) {
  return {
    tenant,
    name: secret.name,
    vaultSecrets: backend.ownSecrets(secret),
    store,
    labels: secret.labels,
    annotations: secret.annotations,
    notBefore: secret.notBefore,
    expires: secret.expires,
  };
}

/** The construct of each kind of own secret (docs/catalogue.md, "Tenants' own secrets"). */
function addOwnSecret(scope: Construct, id: string, tenant: string, namespace: string, secret: OwnSecret, store: ISecretStore, backend: SecretBackend): void {
  const props = { ...ownSecretProps(tenant, secret, store, backend), namespace };
  switch (secret.type) {
    case 'workload':
      new WorkloadSecret(scope, id, { ...props, serviceAccount: secret.serviceAccount, spiffeId: secret.spiffeId, readerName: workloadReaderName(secret.name) });
      return;
    case 'kubernetes':
      new TenantSecret(scope, id, { ...props, secretType: secret.secretType });
      return;
    case 'raw':
      new OperatorSecret(scope, id, { ...props, operator: secret.operator, jsonKey: secret.jsonKey });
      return;
  }
}
