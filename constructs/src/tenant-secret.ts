import { Construct } from 'constructs';
import { ExternalSecret } from './imports/external-secrets.io';
import { PRODUCT_LABELS, TENANT_LABEL } from './vocabulary/labels';
import { type OwnSecretProps, ownSecretSpec } from './own-secret';
import { requireNames } from './name-checks';
import { refuseDuplicateObjects } from './unique-objects';

export interface TenantSecretProps extends OwnSecretProps {
  /** Namespace the Secret is written to. */
  readonly namespace: string;

  /**
   * Kubernetes Secret type, e.g. `kubernetes.io/basic-auth`.
   * @default 'Opaque'
   */
  readonly secretType?: string;
}

/**
 * A tenant's own `kubernetes` secret in one namespace, read through the tenant's store (docs/catalogue.md,
 * "Tenants' own secrets").
 */
export class TenantSecret extends Construct {
  constructor(scope: Construct, id: string, props: TenantSecretProps) {
    super(scope, id);
    refuseDuplicateObjects(this);
    requireNames(`TenantSecret ${props.name}`, [['namespace', props.namespace, 'dns1123Label']]);
    new ExternalSecret(this, 'Resource', {
      metadata: { name: props.name, namespace: props.namespace, labels: { ...PRODUCT_LABELS, [TENANT_LABEL]: props.tenant } },
      spec: ownSecretSpec('TenantSecret', props, { kind: 'kubernetes', secretType: props.secretType ?? 'Opaque' }),
    });
  }
}
