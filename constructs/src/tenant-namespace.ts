import { Construct } from 'constructs';
import { namespaceObject, roleBindingObject } from './core-objects';
import { NAMESPACE_NAME_LABEL, PRODUCT_LABELS, REQUEST_LABEL_PREFIX, TENANT_LABEL, requestLabel } from './vocabulary/labels';
import { identityNameProblem } from './vocabulary/identities';
import { type ITenantOwnerRole, TenantOwnerRole } from './tenant-owner-role';
import { listNames, mapNames, requireNames } from './name-checks';
import { refuseDuplicateObjects } from './unique-objects';

/** A group or user as the API server authenticates it. */
export interface Subject {
  readonly kind: 'Group' | 'User';
  readonly name: string;
}

export interface TenantNamespaceProps {
  /** Namespace name. */
  readonly name: string;

  /** The tenant that owns the namespace; written as the label `central-secret-store.io/tenant`. */
  readonly tenant: string;

  /**
   * Shared credentials the namespace requests; each becomes the label `secrets/<credential>: "true"`.
   * @default - none
   */
  readonly requests?: readonly string[];

  /**
   * Extra labels. Not the keys this construct sets (tenant, requests, ownership, the namespace name).
   * @default - none
   */
  readonly labels?: Readonly<Record<string, string>>;

  /** Groups and users who administer the namespace. */
  readonly owners: readonly Subject[];

  /**
   * The ClusterRole granted to the owners, bound inside this namespace only: a TenantOwnerRole of this app, or
   * one defined elsewhere by name (`TenantOwnerRole.fromRoleName`), which is then not emitted.
   * @default - `TenantOwnerRole.of(this)`: the app's TenantOwnerRole, added with its defaults
   *   (`central-secret-store-tenant-owner`) when the app has none
   */
  readonly ownerRole?: ITenantOwnerRole;
}

/**
 * A tenant's namespace: labelled with its tenant and the credentials it requests, and a RoleBinding that gives
 * the tenant's owners the owner role inside this namespace and nowhere else.
 */
export class TenantNamespace extends Construct {
  readonly name: string;

  constructor(scope: Construct, id: string, props: TenantNamespaceProps) {
    super(scope, id);
    refuseDuplicateObjects(this);
    this.name = props.name;
    requireNames(`TenantNamespace ${props.name}`, [
      ['name', props.name, 'dns1123Label'],
      ['tenant', props.tenant, 'labelValue'],
      ...listNames('requests', props.requests, 'dns1123Label'),
      ...mapNames('label', props.labels),
    ]);
    const setHere = (k: string) =>
      k === TENANT_LABEL || k.startsWith(REQUEST_LABEL_PREFIX) || k === NAMESPACE_NAME_LABEL || k in PRODUCT_LABELS;
    const reserved = Object.keys(props.labels ?? {}).filter(setHere);
    if (reserved.length > 0) {
      throw new Error(
        `TenantNamespace ${props.name}: labels ${reserved.join(', ')} are set by this construct (tenant, requests, ownership, name); remove them from labels`,
      );
    }
    if (props.owners.length === 0) throw new Error(`TenantNamespace ${props.name}: owners must name at least one group or user`);
    const refused = props.owners.flatMap((o, i) => {
      const problem = identityNameProblem(o.name);
      return problem === undefined ? [] : [`owners[${i}] ${problem}`];
    });
    if (refused.length > 0) throw new Error(`TenantNamespace ${props.name}: ${refused.join('; ')}`);
    const requests = [...(props.requests ?? [])].sort();
    const ownerRole = props.ownerRole ?? TenantOwnerRole.of(this);

    namespaceObject(this, 'Resource', {
      metadata: {
        name: props.name,
        labels: {
          ...props.labels,
          ...PRODUCT_LABELS,
          [NAMESPACE_NAME_LABEL]: props.name,
          [TENANT_LABEL]: props.tenant,
          ...Object.fromEntries(requests.map((c) => [requestLabel(c), 'true'])),
        },
      },
    });

    roleBindingObject(this, 'Owners', {
      metadata: { name: 'tenant-owners', namespace: props.name, labels: { ...PRODUCT_LABELS, [TENANT_LABEL]: props.tenant } },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: ownerRole.name },
      subjects: props.owners.map((o) => ({ kind: o.kind, name: o.name, apiGroup: 'rbac.authorization.k8s.io' })),
    });
  }
}
