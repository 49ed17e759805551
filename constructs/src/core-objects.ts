/**
 * The few core Kubernetes objects the constructs write (Namespace, ServiceAccount, Role, RoleBinding,
 * ClusterRole), as cdk8s `ApiObject`s with typed props. Internal: it spares the package a dependency on a
 * cdk8s-plus version, whose generated `k8s` classes an app would otherwise carry twice. Only the fields the
 * constructs write are typed. cdk8s sorts every key below the top level and puts `apiVersion`, `kind` and
 * `metadata` first, so the output is what the generated classes wrote, to the byte.
 */
import { ApiObject } from 'cdk8s';
import type { Construct } from 'constructs';

interface ObjectMeta {
  readonly name: string;
  readonly namespace?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
}

interface PolicyRule {
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
  readonly resourceNames?: readonly string[];
  readonly verbs: readonly string[];
}

interface RoleRef {
  readonly apiGroup: 'rbac.authorization.k8s.io';
  readonly kind: 'Role' | 'ClusterRole';
  readonly name: string;
}

interface RbacSubject {
  readonly kind: 'Group' | 'User' | 'ServiceAccount';
  readonly name: string;
  readonly namespace?: string;
  readonly apiGroup: string;
}

export function namespaceObject(scope: Construct, id: string, props: { readonly metadata: ObjectMeta }): ApiObject {
  return new ApiObject(scope, id, { apiVersion: 'v1', kind: 'Namespace', ...props });
}

export function serviceAccountObject(
  scope: Construct,
  id: string,
  props: {
    readonly metadata: ObjectMeta;
    readonly automountServiceAccountToken?: boolean;
    readonly imagePullSecrets?: readonly { readonly name: string }[];
  },
): ApiObject {
  return new ApiObject(scope, id, { apiVersion: 'v1', kind: 'ServiceAccount', ...props });
}

export function roleObject(
  scope: Construct,
  id: string,
  props: { readonly metadata: ObjectMeta; readonly rules: readonly PolicyRule[] },
): ApiObject {
  return new ApiObject(scope, id, { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', ...props });
}

export function clusterRoleObject(
  scope: Construct,
  id: string,
  props: { readonly metadata: ObjectMeta; readonly rules: readonly PolicyRule[] },
): ApiObject {
  return new ApiObject(scope, id, { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', ...props });
}

export function roleBindingObject(
  scope: Construct,
  id: string,
  props: { readonly metadata: ObjectMeta; readonly roleRef: RoleRef; readonly subjects: readonly RbacSubject[] },
): ApiObject {
  return new ApiObject(scope, id, { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', ...props });
}
