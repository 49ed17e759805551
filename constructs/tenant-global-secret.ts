import { Construct } from 'constructs';
import type { OwnSecret } from '../tenants/lib';
import {
  ClusterExternalSecret,
  ClusterExternalSecretSpecExternalSecretSpecRefreshPolicy as RefreshPolicy,
  ClusterExternalSecretSpecExternalSecretSpecSecretStoreRefKind as StoreKind,
  ClusterExternalSecretSpecExternalSecretSpecTargetCreationPolicy as CreationPolicy,
  ClusterExternalSecretSpecExternalSecretSpecTargetDeletionPolicy as DeletionPolicy,
  ClusterExternalSecretSpecExternalSecretSpecTargetTemplateEngineVersion as EngineVersion,
  ClusterExternalSecretSpecExternalSecretSpecTargetTemplateMergePolicy as MergePolicy,
} from './imports/external-secrets.io';
import { PRODUCT_LABELS, TENANT_LABEL } from './labels';
import { ownSecretTemplate } from './own-secret-template';

export interface TenantGlobalSecretProps {
  /** The tenant that owns the secret. */
  readonly tenant: string;

  /** The secret, as the catalogue declares it (kubernetes or raw; workload secrets are per namespace). */
  readonly secret: OwnSecret;

  /** The tenant's own Key Vault ClusterSecretStore. */
  readonly storeName: string;

  /**
   * How often each copy re-reads Key Vault.
   * @default '5m'
   */
  readonly refreshInterval?: string;
}

/** A tenant secret delivered to every namespace of the tenant on the cluster (seed 000 `global_secrets`). */
export class TenantGlobalSecret extends Construct {
  constructor(scope: Construct, id: string, props: TenantGlobalSecretProps) {
    super(scope, id);
    const { secret } = props;
    if (secret.type === 'workload') {
      throw new Error(`TenantGlobalSecret ${secret.name}: a workload secret belongs to one ServiceAccount; declare it in its namespace`);
    }
    const template = ownSecretTemplate(props.tenant, secret);
    const name = `${props.tenant}-${secret.name}`;
    const labels = { ...PRODUCT_LABELS, [TENANT_LABEL]: props.tenant };

    new ClusterExternalSecret(this, 'Resource', {
      metadata: { name, labels },
      spec: {
        externalSecretName: secret.name,
        externalSecretMetadata: { labels },
        refreshTime: '5m',
        namespaceSelectors: [{ matchLabels: { [TENANT_LABEL]: props.tenant } }],
        externalSecretSpec: {
          secretStoreRef: { kind: StoreKind.CLUSTER_SECRET_STORE, name: props.storeName },
          refreshPolicy: RefreshPolicy.PERIODIC,
          refreshInterval: props.refreshInterval ?? '5m',
          target: {
            name: secret.name,
            creationPolicy: CreationPolicy.OWNER,
            deletionPolicy: DeletionPolicy.RETAIN,
            template: {
              type: template.type,
              engineVersion: EngineVersion.V2,
              mergePolicy: MergePolicy.REPLACE,
              metadata: template.metadata,
              data: template.data,
            },
          },
          data: template.remoteData,
        },
      },
    });
  }
}
