import { Construct } from 'constructs';
import { type PlatformIdentities, addAdmissionPolicy, celString, requireIdentities } from './admission';
import { REQUEST_LABEL_PREFIX, TENANT_LABEL } from './vocabulary/labels';
import { requireNames } from './name-checks';
import { refuseDuplicateObjects } from './unique-objects';

export interface NamespaceLabelGuardProps {
  /**
   * Users and groups allowed to set the tenant and request labels: the identity the platform deploys with.
   * Everyone else, cluster admins included, is refused.
   */
  readonly deployers: PlatformIdentities;

  /**
   * Name of the policy and its binding.
   * @default 'central-secret-store-namespace-labels'
   */
  readonly name?: string;
}

/**
 * Label-based opt-in (docs/catalogue.md, "Requests are labels") is only as safe as the labels. This
 * ValidatingAdmissionPolicy refuses any create or update of a Namespace that adds, changes or removes its
 * `central-secret-store.io/tenant` or `secrets/*` labels, unless the request comes from the platform's
 * deployer. Updates that leave the labels alone (finalizers, annotations, the namespace controller's own
 * writes) are not judged at all.
 */
export class NamespaceLabelGuard extends Construct {
  readonly name: string;

  constructor(scope: Construct, id: string, props: NamespaceLabelGuardProps) {
    super(scope, id);
    refuseDuplicateObjects(this);
    requireIdentities(props.deployers, 'NamespaceLabelGuard: deployers');
    this.name = props.name ?? 'central-secret-store-namespace-labels';
    requireNames('NamespaceLabelGuard', [['name', this.name, 'dns1123Subdomain']]);
    const labels = (object: string) => `${object}.metadata.?labels.orValue({})`;
    const guarded = (object: string) =>
      `${labels(object)}.filter(k, k.startsWith(${celString(REQUEST_LABEL_PREFIX)}) || k == ${celString(TENANT_LABEL)})`;
    addAdmissionPolicy(this, {
      name: this.name,
      rules: [{ apiGroups: [''], apiVersions: ['v1'], resources: ['namespaces'], operations: ['CREATE', 'UPDATE'] }],
      exempt: props.deployers,
      changesGuardedFields: `request.operation == 'CREATE' || ${labels('object')} != ${labels('oldObject')}`,
      variables: [
        { name: 'newGuarded', expression: guarded('object') },
        { name: 'oldGuarded', expression: `oldObject == null ? [] : ${guarded('oldObject')}` },
      ],
      validations: [
        {
          expression:
            'variables.newGuarded.all(k, k in variables.oldGuarded && object.metadata.labels[k] == oldObject.metadata.labels[k]) && ' +
            'variables.oldGuarded.all(k, k in variables.newGuarded)',
          message: `only the platform deployer may add, change or remove the ${TENANT_LABEL} and ${REQUEST_LABEL_PREFIX}* labels of a namespace; request credentials through the catalogue`,
          reason: 'Forbidden',
        },
      ],
    });
  }
}
