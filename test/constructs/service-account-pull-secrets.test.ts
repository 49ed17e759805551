import { Testing } from 'cdk8s';
import { ServiceAccountPullSecrets } from '../../constructs/src';
import { schemaErrors } from '../support/schemas';

describe('ServiceAccountPullSecrets', () => {
  test('sets the pull secrets on default, marked as the one field the product owns', () => {
    const chart = Testing.chart();
    new ServiceAccountPullSecrets(chart, 'pull', {
      namespace: 'pay-api',
      secretNames: ['ghcr-pull-dockerconfigjson', 'acr-pull-dockerconfigjson'],
    });
    const objects = Testing.synth(chart);
    expect(objects).toEqual([
      {
        apiVersion: 'v1',
        kind: 'ServiceAccount',
        metadata: { name: 'default', namespace: 'pay-api', annotations: { 'central-secret-store.io/owns-fields': 'imagePullSecrets' } },
        imagePullSecrets: [{ name: 'ghcr-pull-dockerconfigjson' }, { name: 'acr-pull-dockerconfigjson' }],
      },
    ]);
    expect(schemaErrors(objects[0])).toEqual([]);
  });

  test('a named ServiceAccount', () => {
    const chart = Testing.chart();
    const pull = new ServiceAccountPullSecrets(chart, 'pull', {
      namespace: 'ci',
      serviceAccountName: 'builder',
      secretNames: ['registry'],
    });
    expect([pull.serviceAccountName, Testing.synth(chart)[0].metadata.name]).toEqual(['builder', 'builder']);
  });

  test('refuses what the API server or the kubelet would, saying what to change', () => {
    const make = (props: { serviceAccountName?: string; secretNames: string[] }) => () =>
      new ServiceAccountPullSecrets(Testing.chart(), 'pull', { namespace: 'ci', ...props });
    expect(make({ secretNames: [] })).toThrow('pull secrets of ServiceAccount ci/default: give at least one Secret name in secretNames');
    expect(make({ secretNames: ['a', 'b', 'a'] })).toThrow(
      'pull secrets of ServiceAccount ci/default: Secret "a" is listed twice; list each once',
    );
    expect(make({ secretNames: ['Pull_Secret'] })).toThrow(/Secret name "Pull_Secret" must be a DNS-1123 subdomain/);
    expect(make({ serviceAccountName: 'Builder', secretNames: ['a'] })).toThrow(
      /ServiceAccount ci\/Builder: serviceAccountName "Builder" must be a DNS-1123 subdomain/,
    );
  });
});
