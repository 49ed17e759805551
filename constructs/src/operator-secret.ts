import { Construct } from 'constructs';
import { ExternalSecret } from './imports/external-secrets.io';
import { PRODUCT_LABELS, TENANT_LABEL } from './vocabulary/labels';
import { type OwnSecretProps, ownSecretSpec } from './own-secret';
import { requireNames } from './name-checks';
import { refuseDuplicateObjects } from './unique-objects';

/** Which operator consumes a secret, and in what form. */
export interface OperatorDelivery {
  /** The operator, e.g. `vsecm`; written as the label `central-secret-store.io/operator`. */
  readonly operator: string;

  /**
   * Deliver every key as one JSON document under this key, the form operators such as VSecM read.
   * @default - one Secret key per key
   */
  readonly jsonKey?: string;
}

export interface OperatorSecretProps extends OwnSecretProps, OperatorDelivery {
  /** Namespace the Secret is written to. */
  readonly namespace: string;
}

/** A tenant's `raw` secret handed to an operator in one namespace (docs/catalogue.md, "Tenants' own secrets"). */
export class OperatorSecret extends Construct {
  constructor(scope: Construct, id: string, props: OperatorSecretProps) {
    super(scope, id);
    refuseDuplicateObjects(this);
    requireNames(`OperatorSecret ${props.name}`, [
      ['namespace', props.namespace, 'dns1123Label'],
      ['operator', props.operator, 'labelValue'],
    ]);
    new ExternalSecret(this, 'Resource', {
      metadata: { name: props.name, namespace: props.namespace, labels: { ...PRODUCT_LABELS, [TENANT_LABEL]: props.tenant } },
      spec: ownSecretSpec('OperatorSecret', props, { kind: 'raw', secretType: 'Opaque', operator: props.operator, jsonKey: props.jsonKey }),
    });
  }
}
