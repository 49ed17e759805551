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
  centralStoreName,
  clusterNamed,
  clusterPlan,
  tenantStoreName,
} from '../tenants/lib';
import { sharedCredentialOf } from './credentials';
import { type SecretBackend, secretBackendOf } from './secret-backend';

export interface ClusterSecretPlaneProps {
  /** The validated catalogue. */
  readonly catalogue: Catalogue;

  /** Name of the cluster, as in the catalogue. */
  readonly cluster: string;
}

/**
 * Everything one cluster needs, rendered one to one from the catalogue's plan of the cluster
 * (tenants/lib/cluster-plan.ts): the central store and its vault bridge (Azure Key Vault or HashiCorp Vault,
 * see secret-backend.ts), one master per offered credential, one distribution per credential and format, and
 * each tenant's namespaces, store and own secrets. Every name comes from the plan, the same that validation
 * checks for collisions, so names never change between runs and never collide.
 */
export class ClusterSecretPlane extends Chart {
  constructor(scope: Construct, id: string, props: ClusterSecretPlaneProps) {
    super(scope, id, { disableResourceNameHashes: true });
    const { catalogue } = props;
    const plan = clusterPlan(catalogue, clusterNamed(catalogue, props.cluster));
    const { cluster, deployers, refreshInterval } = plan;
    const central = new CentralSecretStore(this, 'central', { namespaceName: CENTRAL_NAMESPACE, readerServiceAccountName: CENTRAL_READER });
    const backend = secretBackendOf(this, catalogue, cluster, central.namespaceName);
    const ownerRole = new TenantOwnerRole(this, 'tenant-owner-role', { name: TENANT_OWNER_ROLE });
    new NamespaceLabelGuard(this, 'namespace-label-guard', { deployers, name: NAMESPACE_LABEL_POLICY });
    new StoreReferenceGuard(this, 'store-reference-guard', {
      name: STORE_REFERENCE_POLICY,
      platformIdentities: { users: [...deployers.users, ESO_CONTROLLER_USERNAME], groups: deployers.groups },
      sharedStores: [backend.masters.storeName],
      centralStorePrefix: centralStoreName(''),
      tenantStorePrefix: tenantStoreName(''),
      centralNamespace: central.namespaceName,
    });

    if (plan.canary) {
      new Canary(this, 'canary', {
        central,
        store: backend.masters,
        vaultSecret: backend.canarySecret,
        credentialName: CANARY_CREDENTIAL,
        namespaceName: plan.canary.namespace,
        refreshInterval,
      });
    }

    for (const { credential, store: storeName, formats } of plan.credentials) {
      const store = new CentralCredentialStore(this, `store-central-${credential.name}`, {
        central,
        name: storeName,
        credential: credential.name,
        allowedTenants: credential.allowedTenants,
      });
      const shared = sharedCredentialOf(credential);
      new MasterCredential(this, `master-${credential.name}`, {
        credential: shared,
        vaultSecrets: backend.masterSecrets(credential),
        store: backend.masters,
        namespace: central.namespaceName,
      });
      for (const { id, secretName, format, distribution } of formats) {
        new CredentialDistribution(this, `distribute-${credential.name}-${id}`, {
          format: shared.render({ ...format, name: id, secretName }),
          allowedTenants: credential.allowedTenants,
          name: distribution,
          store,
          refreshInterval,
        });
      }
    }

    for (const { tenant, namespaces, globalSecrets } of plan.tenants) {
      const store = backend.tenantStore(
        tenant.name,
        namespaces.map((n) => n.namespace.name),
      );
      for (const { namespace, pullSecrets, ownSecrets } of namespaces) {
        new TenantNamespace(this, `namespace-${namespace.name}`, {
          name: namespace.name,
          tenant: tenant.name,
          requests: namespace.requests,
          labels: namespace.labels,
          owners: tenant.owners,
          ownerRole,
        });
        for (const [serviceAccountName, secretNames] of pullSecrets) {
          new ServiceAccountPullSecrets(this, `pull-secrets-${namespace.name}-${serviceAccountName}`, {
            namespace: namespace.name,
            serviceAccountName,
            secretNames,
          });
        }
        for (const { secret, reader } of ownSecrets)
          addOwnSecret(this, `secret-${namespace.name}-${secret.name}`, tenant.name, namespace.name, secret, reader, store, backend);
      }
      for (const { secret, distribution } of globalSecrets) {
        if (secret.type === 'workload')
          throw new Error(`global secret ${secret.name} of tenant ${tenant.name} is a workload secret; validation should have refused it`);
        new TenantGlobalSecret(this, `global-${tenant.name}-${secret.name}`, {
          ...ownSecretProps(tenant.name, secret, store, backend),
          distributionName: distribution,
          ...(secret.type === 'raw'
            ? { operator: { operator: secret.operator, jsonKey: secret.jsonKey } }
            : { secretType: secret.secretType }),
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
function addOwnSecret(
  scope: Construct,
  id: string,
  tenant: string,
  namespace: string,
  secret: OwnSecret,
  reader: string | undefined,
  store: ISecretStore,
  backend: SecretBackend,
): void {
  const props = { ...ownSecretProps(tenant, secret, store, backend), namespace };
  switch (secret.type) {
    case 'workload':
      new WorkloadSecret(scope, id, { ...props, serviceAccount: secret.serviceAccount, spiffeId: secret.spiffeId, readerName: reader });
      return;
    case 'kubernetes':
      new TenantSecret(scope, id, { ...props, secretType: secret.secretType });
      return;
    case 'raw':
      new OperatorSecret(scope, id, { ...props, operator: secret.operator, jsonKey: secret.jsonKey });
      return;
  }
}
