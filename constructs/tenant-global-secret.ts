import { Construct } from 'constructs';
import { OWN_SECRET_REFRESH_INTERVAL, type OwnSecret } from '../tenants/lib';
import { ClusterExternalSecret, type ClusterExternalSecretSpecExternalSecretSpec } from './imports/external-secrets.io';
import { goDurationProp } from './duration';
import { PRODUCT_LABELS, TENANT_LABEL } from './labels';
import { ownSecretSpec } from './own-secret-template';

export interface TenantGlobalSecretProps {
  /** The tenant that owns the secret. */
  readonly tenant: string;

  /** The secret, as the catalogue declares it (kubernetes or raw; workload secrets are per namespace). */
  readonly secret: OwnSecret;

  /** The tenant's own Key Vault ClusterSecretStore. */
  readonly storeName: string;

  /**
   * How often each copy re-reads Key Vault.
   * @default OWN_SECRET_REFRESH_INTERVAL (5m0s)
   */
  readonly refreshInterval?: string;

  /**
   * Name of the ClusterExternalSecret.
   * @default '<tenant>-<secret name>'
   */
  readonly name?: string;
}

/** A tenant secret delivered to every namespace of the tenant on the cluster (seed 000 `global_secrets`). */
export class TenantGlobalSecret extends Construct {
  constructor(scope: Construct, id: string, props: TenantGlobalSecretProps) {
    super(scope, id);
    const { secret } = props;
    if (secret.type === 'workload') {
      throw new Error(`TenantGlobalSecret ${secret.name}: a workload secret belongs to one ServiceAccount; declare it in its namespace`);
    }
    const name = props.name ?? `${props.tenant}-${secret.name}`;
    const interval = (prop: string, value: string) => goDurationProp(`TenantGlobalSecret ${name}`, prop, value);
    const labels = { ...PRODUCT_LABELS, [TENANT_LABEL]: props.tenant };

    new ClusterExternalSecret(this, 'Resource', {
      metadata: { name, labels },
      spec: {
        externalSecretName: secret.name,
        externalSecretMetadata: { labels },
        refreshTime: interval('refreshTime', '5m'),
        namespaceSelectors: [{ matchLabels: { [TENANT_LABEL]: props.tenant } }],
        // The CRD embeds exactly the ExternalSecret spec schema; only the generated TypeScript names differ.
        externalSecretSpec: ownSecretSpec(props.tenant, secret, props.storeName, interval('refreshInterval', props.refreshInterval ?? OWN_SECRET_REFRESH_INTERVAL)) as unknown as ClusterExternalSecretSpecExternalSecretSpec,
      },
    });
  }
}
