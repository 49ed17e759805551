/**
 * Shared shapes of the ValidatingAdmissionPolicies this product installs (admissionregistration.k8s.io/v1,
 * GA since Kubernetes 1.30). Every field the API server would default is written, so diffs stay quiet.
 */
import { ApiObject } from 'cdk8s';
import type { Construct } from 'constructs';
import { PRODUCT_LABELS } from './labels';

export interface PolicyRule {
  readonly apiGroups: string[];
  readonly apiVersions: string[];
  readonly resources: string[];
  readonly operations: string[];
}

export interface AdmissionPolicySpec {
  readonly name: string;
  readonly rules: PolicyRule[];
  /** Identities the policy does not apply to (CEL `request.userInfo.username`). */
  readonly exemptUsernames: readonly string[];
  readonly variables: { name: string; expression: string }[];
  readonly validations: { expression: string; message: string; reason: string }[];
}

/** A CEL string literal. */
export function celString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
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
        {
          name: 'not-a-platform-identity',
          expression: `!(request.userInfo.username in [${spec.exemptUsernames.map(celString).join(', ')}])`,
        },
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
