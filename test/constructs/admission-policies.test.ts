import { NamespaceLabelGuard, StoreReferenceGuard } from '../../constructs/src';
import { findObject, synthConstructs } from '../support/synth';

describe('NamespaceLabelGuard', () => {
  const objects = synthConstructs(
    (s) => new NamespaceLabelGuard(s, 'guard', { deployers: { users: ['ci-deployer'], groups: ['0b6f1c2a-deployers'] } }),
  );

  test('guards namespace creates and label changes, exempting only the deployers, with a Deny binding', () => {
    const policy = findObject(objects, 'ValidatingAdmissionPolicy', 'central-secret-store-namespace-labels');
    expect(policy.spec.matchConstraints.resourceRules).toEqual([
      { apiGroups: [''], apiVersions: ['v1'], resources: ['namespaces'], operations: ['CREATE', 'UPDATE'], scope: '*' },
    ]);
    expect(policy.spec.matchConditions).toEqual([
      {
        name: 'not-a-platform-identity',
        expression:
          "!(request.userInfo.username in ['ci-deployer']) && !request.userInfo.?groups.orValue([]).exists(g, g in ['0b6f1c2a-deployers'])",
      },
      // Updates that leave the labels alone (finalizers, annotations) are never judged.
      {
        name: 'changes-guarded-fields',
        expression: "request.operation == 'CREATE' || object.metadata.?labels.orValue({}) != oldObject.metadata.?labels.orValue({})",
      },
    ]);
    expect(policy.spec.failurePolicy).toBe('Fail');
    expect(policy.spec.variables.map((v: any) => v.expression).join(' ')).toContain(
      "k.startsWith('secrets/') || k == 'central-secret-store.io/tenant'",
    );
    const binding = findObject(objects, 'ValidatingAdmissionPolicyBinding', 'central-secret-store-namespace-labels');
    expect(binding.spec).toEqual({
      policyName: 'central-secret-store-namespace-labels',
      validationActions: ['Deny'],
      matchResources: { matchPolicy: 'Equivalent', namespaceSelector: {}, objectSelector: {} },
    });
  });

  test('a deployer given only as users, or only as groups, is exempted by that alone', () => {
    const only = (deployers: { users?: string[]; groups?: string[] }) =>
      findObject(
        synthConstructs((s) => new NamespaceLabelGuard(s, 'g', { deployers })),
        'ValidatingAdmissionPolicy',
        'central-secret-store-namespace-labels',
      ).spec.matchConditions[0].expression;
    expect(only({ users: ['u'] })).toBe("!(request.userInfo.username in ['u'])");
    expect(only({ groups: ['g'] })).toBe("!request.userInfo.?groups.orValue([]).exists(g, g in ['g'])");
  });

  test('refuses to be built without a deployer', () => {
    expect(() => synthConstructs((s) => new NamespaceLabelGuard(s, 'g', { deployers: {} }))).toThrow(
      /deployers must name at least one user or group/,
    );
    expect(() => synthConstructs((s) => new NamespaceLabelGuard(s, 'g', { deployers: { users: [], groups: [] } }))).toThrow(
      /deployers must name at least one user or group/,
    );
  });

  test('refuses deployers that stand for everyone, as the catalogue does', () => {
    expect(() =>
      synthConstructs((s) => new NamespaceLabelGuard(s, 'g', { deployers: { users: ['ci'], groups: ['system:authenticated'] } })),
    ).toThrow(/NamespaceLabelGuard: deployers: groups\[0\] "system:authenticated" stands for every authenticated request/);
    expect(() => synthConstructs((s) => new NamespaceLabelGuard(s, 'g', { deployers: { users: ['system:anonymous', ' ci'] } }))).toThrow(
      /users\[0\] "system:anonymous" is the anonymous user.*; users\[1\] must not start or end with blanks/,
    );
  });
});

describe('StoreReferenceGuard', () => {
  const props = {
    platformIdentities: { users: ['ci-deployer', "eso's"] },
    sharedStores: ['keyvault'],
    centralStorePrefix: 'central-',
    tenantStorePrefix: 'tenant-',
    centralNamespace: 'central-secret-store',
  };

  test("forbids the bridge, the central stores, other tenants' stores and SecretStores reading the central namespace", () => {
    const policy = findObject(
      synthConstructs((s) => new StoreReferenceGuard(s, 'guard', props)),
      'ValidatingAdmissionPolicy',
      'central-secret-store-store-references',
    );
    expect(policy.spec.matchConditions[0].expression).toBe("!(request.userInfo.username in ['ci-deployer', 'eso\\'s'])");
    const [externalSecrets, secretStores] = policy.spec.validations.map((v: any) => v.expression);
    expect(externalSecrets).toContain("!(n in ['keyvault'])");
    expect(externalSecrets).toContain("!n.startsWith('central-')");
    expect(externalSecrets).toContain("n == 'tenant-' + variables.tenant");
    expect(secretStores).toContain("!= 'central-secret-store'");
  });

  test('judges creates and spec changes only, so metadata-only updates (finalizers) always pass', () => {
    const policy = findObject(
      synthConstructs((s) => new StoreReferenceGuard(s, 'guard', props)),
      'ValidatingAdmissionPolicy',
      'central-secret-store-store-references',
    );
    expect(policy.spec.matchConditions[1]).toEqual({
      name: 'changes-guarded-fields',
      expression: "request.operation == 'CREATE' || object.?spec.orValue({}) != oldObject.?spec.orValue({})",
    });
  });

  test('refuses to be built without a platform identity', () => {
    expect(() => synthConstructs((s) => new StoreReferenceGuard(s, 'g', { ...props, platformIdentities: {} }))).toThrow(
      /platformIdentities must name at least one user or group/,
    );
  });
});
