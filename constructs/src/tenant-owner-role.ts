import { Construct } from 'constructs';
import { clusterRoleObject } from './core-objects';
import { PRODUCT_LABELS } from './labels';
import { requireNames } from './name-checks';
import { refuseDuplicateObjects } from './unique-objects';

export interface TenantOwnerRoleProps {
  /**
   * Name of the ClusterRole.
   * @default 'central-secret-store-tenant-owner'
   */
  readonly name?: string;
}

/**
 * What a tenant owner may do with secrets in the tenant's namespaces: see the ExternalSecrets that deliver
 * them and whether they synced. Not the Secret values: pods receive those through the kubelet, and a
 * workload secret is readable only by its own ServiceAccount. Creating ExternalSecrets is not granted either:
 * the catalogue is the one way in. A ClusterRole only so that it is defined once; it is granted through
 * RoleBindings in each tenant namespace, never cluster-wide.
 */
export class TenantOwnerRole extends Construct {
  readonly name: string;

  constructor(scope: Construct, id: string, props: TenantOwnerRoleProps = {}) {
    super(scope, id);
    refuseDuplicateObjects(this);
    this.name = props.name ?? 'central-secret-store-tenant-owner';
    requireNames(`TenantOwnerRole ${this.name}`, [['name', this.name, 'rbacName']]);
    clusterRoleObject(this, 'Resource', {
      metadata: { name: this.name, labels: { ...PRODUCT_LABELS } },
      rules: [{ apiGroups: ['external-secrets.io'], resources: ['externalsecrets'], verbs: ['get', 'list', 'watch'] }],
    });
  }
}
