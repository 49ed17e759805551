import { Construct } from 'constructs';
import { roleBindingObject, roleObject } from './core-objects';
import { ExternalSecret } from './imports/external-secrets.io';
import { PRODUCT_LABELS, TENANT_LABEL } from './vocabulary/labels';
import { type OwnSecretProps, ownSecretSpec } from './own-secret';
import { requireNames } from './name-checks';
import { refuseDuplicateObjects } from './unique-objects';

export interface WorkloadSecretProps extends OwnSecretProps {
  /** Namespace of the workload. */
  readonly namespace: string;

  /** The only ServiceAccount that may read the Secret. */
  readonly serviceAccount: string;

  /** The workload's SPIFFE ID, `spiffe://<trust domain>/ns/<namespace>/sa/<serviceAccount>`; recorded on the Secret. */
  readonly spiffeId: string;

  /**
   * Name of the Role and RoleBinding that let the ServiceAccount read the Secret.
   * @default 'read-<name>'
   */
  readonly readerName?: string;
}

/**
 * A secret of one workload (docs/catalogue.md, "Tenants' own secrets"): an Opaque Secret that only the workload's
 * ServiceAccount can read, by name (a Role with `resourceNames`, `get` and `watch`).
 */
export class WorkloadSecret extends Construct {
  constructor(scope: Construct, id: string, props: WorkloadSecretProps) {
    super(scope, id);
    refuseDuplicateObjects(this);
    requireNames(`WorkloadSecret ${props.name}`, [
      ['namespace', props.namespace, 'dns1123Label'],
      ['serviceAccount', props.serviceAccount, 'dns1123Subdomain'],
      ['readerName', props.readerName, 'rbacName'],
    ]);
    const expectedPath = `/ns/${props.namespace}/sa/${props.serviceAccount}`;
    if (!/^spiffe:\/\/[^/]+\//.test(props.spiffeId) || !props.spiffeId.endsWith(expectedPath)) {
      throw new Error(
        `WorkloadSecret ${props.name}: spiffeId "${props.spiffeId}" must name this workload: spiffe://<trust domain>${expectedPath}`,
      );
    }
    const labels = { ...PRODUCT_LABELS, [TENANT_LABEL]: props.tenant };
    new ExternalSecret(this, 'Resource', {
      metadata: { name: props.name, namespace: props.namespace, labels },
      spec: ownSecretSpec('WorkloadSecret', props, { kind: 'workload', secretType: 'Opaque', spiffeId: props.spiffeId }),
    });
    const name = props.readerName ?? `read-${props.name}`;
    roleObject(this, 'Reader', {
      metadata: { name, namespace: props.namespace, labels },
      rules: [{ apiGroups: [''], resources: ['secrets'], resourceNames: [props.name], verbs: ['get', 'watch'] }],
    });
    roleBindingObject(this, 'ReaderBinding', {
      metadata: { name, namespace: props.namespace, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
      subjects: [{ kind: 'ServiceAccount', name: props.serviceAccount, namespace: props.namespace, apiGroup: '' }],
    });
  }
}
