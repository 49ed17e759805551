/**
 * Shared shapes of the ValidatingAdmissionPolicies this product installs (admissionregistration.k8s.io/v1,
 * GA since Kubernetes 1.30). Every field the API server would default is written, so diffs stay quiet.
 */
import { ApiObject } from 'cdk8s';
import type { Construct } from 'constructs';
import { PRODUCT_LABELS } from './vocabulary/labels';
import { identityNameProblem } from './vocabulary/identities';

export interface PolicyRule {
  readonly apiGroups: string[];
  readonly apiVersions: string[];
  readonly resources: string[];
  readonly operations: string[];
}

/** Who the platform's own writes come from: users and groups as the API server authenticates them. */
export interface PlatformIdentities {
  /** Usernames (`kubectl auth whoami`). @default - none */
  readonly users?: readonly string[];
  /** Group names; on AKS with Entra ID, the object ids of Entra ID groups. @default - none */
  readonly groups?: readonly string[];
}

export interface AdmissionPolicySpec {
  readonly name: string;
  readonly rules: PolicyRule[];
  /** Identities the policy does not apply to. */
  readonly exempt: PlatformIdentities;
  /**
   * A CEL condition on the request that says it changes what the policy guards. Other requests, such as the
   * garbage collector removing a finalizer, are never judged.
   */
  readonly changesGuardedFields: string;
  readonly variables: { name: string; expression: string }[];
  readonly validations: { expression: string; message: string; reason: string }[];
}

/** A CEL string literal. */
export function celString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** A CEL condition that is true unless the request comes from one of `identities`. */
function notFrom(identities: PlatformIdentities): string {
  const users = identities.users ?? [];
  const groups = identities.groups ?? [];
  const conditions = [
    ...(users.length > 0 ? [`!(request.userInfo.username in [${users.map(celString).join(', ')}])`] : []),
    ...(groups.length > 0 ? [`!request.userInfo.?groups.orValue([]).exists(g, g in [${groups.map(celString).join(', ')}])`] : []),
  ];
  return conditions.join(' && ');
}

/** Throws unless `identities` names at least one user or group. */
export function requireIdentities(identities: PlatformIdentities, what: string): void {
  if ((identities.users ?? []).length + (identities.groups ?? []).length === 0) {
    throw new Error(`${what} must name at least one user or group: the identity the platform deploys with`);
  }
  const problems = [
    ...(identities.users ?? []).map((name, i) => ({ problem: identityNameProblem(name), at: `users[${i}]` })),
    ...(identities.groups ?? []).map((name, i) => ({ problem: identityNameProblem(name), at: `groups[${i}]` })),
  ].filter((p) => p.problem !== undefined);
  if (problems.length > 0) throw new Error(`${what}: ${problems.map((p) => `${p.at} ${p.problem}`).join('; ')}`);
}

/** Adds a ValidatingAdmissionPolicy and its Deny binding to `scope`. */
export function addAdmissionPolicy(scope: Construct, spec: AdmissionPolicySpec): void {
  const labels = { ...PRODUCT_LABELS, 'app.kubernetes.io/component': 'admission-policy' };
  new ApiObject(scope, 'Policy', {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingAdmissionPolicy',
    metadata: { name: spec.name, labels },
    spec: {
      failurePolicy: 'Fail',
      matchConstraints: {
        matchPolicy: 'Equivalent',
        namespaceSelector: {},
        objectSelector: {},
        resourceRules: spec.rules.map((r) => ({ ...r, scope: '*' })),
      },
      matchConditions: [
        { name: 'not-a-platform-identity', expression: notFrom(spec.exempt) },
        { name: 'changes-guarded-fields', expression: spec.changesGuardedFields },
      ],
      variables: spec.variables,
      validations: spec.validations,
    },
  });
  new ApiObject(scope, 'Binding', {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingAdmissionPolicyBinding',
    metadata: { name: spec.name, labels },
    spec: {
      policyName: spec.name,
      validationActions: ['Deny'],
      matchResources: { matchPolicy: 'Equivalent', namespaceSelector: {}, objectSelector: {} },
    },
  });
}
