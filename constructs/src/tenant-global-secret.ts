import { Construct } from 'constructs';
import { goDurationProp } from './vocabulary/duration';
import { NAMESPACE_RESCAN_INTERVAL } from './vocabulary/refresh-intervals';
import { ClusterExternalSecret, type ClusterExternalSecretSpecExternalSecretSpec } from './imports/external-secrets.io';
import { PRODUCT_LABELS, TENANT_LABEL } from './vocabulary/labels';
import type { OperatorDelivery } from './operator-secret';
import { type OwnSecretProps, ownSecretSpec } from './own-secret';
import { requireNames } from './name-checks';
import { refuseDuplicateObjects } from './unique-objects';

export interface TenantGlobalSecretProps extends OwnSecretProps {
  /**
   * Kubernetes Secret type (when not for an operator).
   * @default 'Opaque'
   */
  readonly secretType?: string;

  /**
   * Hand the secret to an operator instead (a raw secret); excludes `secretType`.
   * @default - a plain Secret of `secretType`
   */
  readonly operator?: OperatorDelivery;

  /**
   * Name of the ClusterExternalSecret.
   * @default '<tenant>-<name>'
   */
  readonly distributionName?: string;
}

/**
 * A tenant's global secret, delivered to every namespace of the tenant on the cluster (docs/catalogue.md,
 * "Tenants' own secrets").
 * Workload secrets belong to one ServiceAccount and so have no global form.
 */
export class TenantGlobalSecret extends Construct {
  readonly distributionName: string;

  constructor(scope: Construct, id: string, props: TenantGlobalSecretProps) {
    super(scope, id);
    refuseDuplicateObjects(this);
    this.distributionName = props.distributionName ?? `${props.tenant}-${props.name}`;
    requireNames(`TenantGlobalSecret ${props.name}`, [
      ['distributionName', this.distributionName, 'dns1123Subdomain'],
      ['operator.operator', props.operator?.operator, 'labelValue'],
    ]);
    if (props.operator && props.secretType) {
      throw new Error(`TenantGlobalSecret ${props.name}: secretType and operator exclude each other; an operator's secret is Opaque`);
    }
    const labels = { ...PRODUCT_LABELS, [TENANT_LABEL]: props.tenant };
    const spec = props.operator
      ? ownSecretSpec('TenantGlobalSecret', props, {
          kind: 'raw',
          secretType: 'Opaque',
          operator: props.operator.operator,
          jsonKey: props.operator.jsonKey,
        })
      : ownSecretSpec('TenantGlobalSecret', props, { kind: 'kubernetes', secretType: props.secretType ?? 'Opaque' });
    new ClusterExternalSecret(this, 'Resource', {
      metadata: { name: this.distributionName, labels },
      spec: {
        externalSecretName: props.name,
        externalSecretMetadata: { labels },
        refreshTime: goDurationProp(`TenantGlobalSecret ${props.name}`, 'refreshTime', NAMESPACE_RESCAN_INTERVAL),
        namespaceSelectors: [{ matchLabels: { [TENANT_LABEL]: props.tenant } }],
        // The CRD embeds exactly the ExternalSecret spec schema; only the generated TypeScript names differ.
        externalSecretSpec: spec as unknown as ClusterExternalSecretSpecExternalSecretSpec,
      },
    });
  }
}
