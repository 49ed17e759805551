import { Chart } from 'cdk8s';
import { Construct, type IConstruct } from 'constructs';
import { clusterRoleObject } from './core-objects';
import { PRODUCT_LABELS } from './vocabulary/labels';
import { requireNames } from './name-checks';
import { refuseDuplicateObjects } from './unique-objects';

/** The ClusterRole a TenantNamespace binds its owners to, inside the namespace only. */
export interface ITenantOwnerRole {
  /** Name of the ClusterRole. */
  readonly name: string;
}

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
 * RoleBindings in each tenant namespace, never cluster-wide. A TenantNamespace given no `ownerRole` adds one
 * with the defaults to its app (see `of`); add one yourself to name it differently.
 */
export class TenantOwnerRole extends Construct implements ITenantOwnerRole {
  /**
   * The app's owner role: the first TenantOwnerRole added to the app of `scope`, or, when there is none, one
   * with the default name added to the chart of `scope` (id `TenantOwnerRole`). A TenantNamespace given no
   * `ownerRole` uses it, so the ClusterRole its RoleBinding names is always emitted, once per app.
   */
  static of(scope: Construct): TenantOwnerRole {
    return appRoles.get(scope.node.root) ?? new TenantOwnerRole(Chart.of(scope), 'TenantOwnerRole');
  }

  /** A ClusterRole defined outside this app, e.g. by the platform team; nothing is emitted for it. */
  static fromRoleName(name: string): ITenantOwnerRole {
    requireNames('TenantOwnerRole.fromRoleName', [['name', name, 'rbacName']]);
    return { name };
  }

  readonly name: string;

  constructor(scope: Construct, id: string, props: TenantOwnerRoleProps = {}) {
    super(scope, id);
    refuseDuplicateObjects(this);
    this.name = props.name ?? 'central-secret-store-tenant-owner';
    requireNames(`TenantOwnerRole ${this.name}`, [['name', this.name, 'rbacName']]);
    if (!appRoles.has(this.node.root)) appRoles.set(this.node.root, this);
    clusterRoleObject(this, 'Resource', {
      metadata: { name: this.name, labels: { ...PRODUCT_LABELS } },
      rules: [{ apiGroups: ['external-secrets.io'], resources: ['externalsecrets'], verbs: ['get', 'list', 'watch'] }],
    });
  }
}

/** The first TenantOwnerRole of each app (see TenantOwnerRole.of). */
const appRoles = new WeakMap<IConstruct, TenantOwnerRole>();
