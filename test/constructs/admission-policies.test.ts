import { NamespaceLabelGuard, StoreReferenceGuard } from '../../constructs';
import { findObject, synthConstructs } from '../support/synth';

describe('NamespaceLabelGuard', () => {
  const objects = synthConstructs((s) => new NamespaceLabelGuard(s, 'guard', { deployers: ['ci-deployer'] }));

  test('guards namespace creates and updates, exempting only the deployer, with a Deny binding', () => {
    const policy = findObject(objects, 'ValidatingAdmissionPolicy', 'central-secret-store-namespace-labels');
    expect(policy.spec.matchConstraints.resourceRules).toEqual([{ apiGroups: [''], apiVersions: ['v1'], resources: ['namespaces'], operations: ['CREATE', 'UPDATE'], scope: '*' }]);
    expect(policy.spec.matchConditions).toEqual([{ name: 'not-a-platform-identity', expression: "!(request.userInfo.username in ['ci-deployer'])" }]);
    expect(policy.spec.failurePolicy).toBe('Fail');
    expect(policy.spec.variables.map((v: any) => v.expression).join(' ')).toContain("k.startsWith('secrets/') || k == 'central-secret-store.io/tenant'");
    const binding = findObject(objects, 'ValidatingAdmissionPolicyBinding', 'central-secret-store-namespace-labels');
    expect(binding.spec).toEqual({ policyName: 'central-secret-store-namespace-labels', validationActions: ['Deny'], matchResources: { matchPolicy: 'Equivalent', namespaceSelector: {}, objectSelector: {} } });
  });

  test('refuses to be built without a deployer', () => {
    expect(() => synthConstructs((s) => new NamespaceLabelGuard(s, 'g', { deployers: [] }))).toThrow(/deployers must name/);
  });
});

describe('StoreReferenceGuard', () => {
  test("forbids the bridge, the central stores, other tenants' stores and SecretStores reading the central namespace", () => {
    const objects = synthConstructs(
      (s) =>
        new StoreReferenceGuard(s, 'guard', {
          platformIdentities: ['ci-deployer', "eso's"],
          sharedStores: ['keyvault'],
          centralStorePrefix: 'central-',
          tenantStorePrefix: 'tenant-',
          centralNamespace: 'central-secret-store',
        }),
    );
    const policy = findObject(objects, 'ValidatingAdmissionPolicy', 'central-secret-store-store-references');
    expect(policy.spec.matchConditions[0].expression).toBe("!(request.userInfo.username in ['ci-deployer', 'eso\\'s'])");
    const [externalSecrets, secretStores] = policy.spec.validations.map((v: any) => v.expression);
    expect(externalSecrets).toContain("!(n in ['keyvault'])");
    expect(externalSecrets).toContain("!n.startsWith('central-')");
    expect(externalSecrets).toContain("n == 'tenant-' + variables.tenant");
    expect(secretStores).toContain("!= 'central-secret-store'");
  });
});
