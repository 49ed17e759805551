import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';
import { OWN_SECRET_REFRESH_INTERVAL, type OwnSecret } from '../tenants/lib';
import { ExternalSecret } from './imports/external-secrets.io';
import { goDurationProp } from './duration';
import { PRODUCT_LABELS, TENANT_LABEL } from './labels';
import { ownSecretSpec } from './own-secret-template';

export interface TenantSecretProps {
  /** The tenant that owns the secret. */
  readonly tenant: string;

  /** Namespace the Secret is written to. */
  readonly namespace: string;

  /** The secret, as the catalogue declares it. */
  readonly secret: OwnSecret;

  /** The tenant's own Key Vault ClusterSecretStore. */
  readonly storeName: string;

  /**
   * How often the value is re-read from Key Vault.
   * @default OWN_SECRET_REFRESH_INTERVAL (5m0s)
   */
  readonly refreshInterval?: string;

  /**
   * Name of the Role and RoleBinding that let a workload secret's ServiceAccount read it.
   * @default 'read-<secret name>'
   */
  readonly readerName?: string;
}

/**
 * A tenant's own secret in one namespace (seed 000): an ExternalSecret through the tenant's store. A workload
 * secret also gets a Role and RoleBinding that let only its ServiceAccount read it, by name.
 */
export class TenantSecret extends Construct {
  constructor(scope: Construct, id: string, props: TenantSecretProps) {
    super(scope, id);
    const { secret } = props;
    const labels = { ...PRODUCT_LABELS, [TENANT_LABEL]: props.tenant };

    new ExternalSecret(this, 'Resource', {
      metadata: { name: secret.name, namespace: props.namespace, labels },
      spec: ownSecretSpec(props.tenant, secret, props.storeName, goDurationProp(`TenantSecret ${secret.name}`, 'refreshInterval', props.refreshInterval ?? OWN_SECRET_REFRESH_INTERVAL)),
    });

    if (secret.type === 'workload') {
      const name = props.readerName ?? `read-${secret.name}`;
      new k8s.KubeRole(this, 'WorkloadReader', {
        metadata: { name, namespace: props.namespace, labels },
        rules: [{ apiGroups: [''], resources: ['secrets'], resourceNames: [secret.name], verbs: ['get', 'watch'] }],
      });
      new k8s.KubeRoleBinding(this, 'WorkloadReaderBinding', {
        metadata: { name, namespace: props.namespace, labels },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
        subjects: [{ kind: 'ServiceAccount', name: secret.serviceAccount, namespace: props.namespace, apiGroup: '' }],
      });
    }
  }
}
