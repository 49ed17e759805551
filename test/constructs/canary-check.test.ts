/** CanaryCheck: the in-cluster canary check's objects, their least privilege, and props refused at once. */
import { Testing } from 'cdk8s';
import { CANARY_CHECK_NAME, CANARY_PUSH_JOB, CANARY_REFRESH_METRIC, CanaryCheck, type CanaryCheckProps } from '../../constructs/src';
import { schemaErrors } from '../support/schemas';

const PROPS: CanaryCheckProps = {
  namespace: 'central-secret-store-canary',
  copyName: 'canary-opaque',
  expectedValueSha256: 'a'.repeat(64),
  image: `registry.example/tools/kubectl@sha256:${'b'.repeat(64)}`,
  pushgateway: 'http://pushgateway.monitoring:9091/',
  cluster: 'aks-weu-prod',
};

function synth(props: Partial<CanaryCheckProps> = {}) {
  const chart = Testing.chart();
  new CanaryCheck(chart, 'check', { ...PROPS, ...props });
  return Testing.synth(chart);
}

describe('CanaryCheck', () => {
  test('a ServiceAccount, a Role, its RoleBinding and a CronJob in the canary namespace, each valid against the Kubernetes schemas', () => {
    const objects = synth();
    expect(objects.map((o) => `${o.kind} ${o.metadata.namespace}/${o.metadata.name}`)).toEqual(
      ['ServiceAccount', 'Role', 'RoleBinding', 'CronJob'].map((kind) => `${kind} central-secret-store-canary/${CANARY_CHECK_NAME}`),
    );
    expect(objects.flatMap((o) => schemaErrors(o))).toEqual([]);
  });

  test('may get exactly the canary copy and its Secret, nothing else', () => {
    const [, role, binding] = synth();
    expect(role.rules).toEqual([
      { apiGroups: ['external-secrets.io'], resources: ['externalsecrets'], resourceNames: ['canary-opaque'], verbs: ['get'] },
      { apiGroups: [''], resources: ['secrets'], resourceNames: ['canary-opaque'], verbs: ['get'] },
    ]);
    expect(binding.subjects).toEqual([
      { kind: 'ServiceAccount', name: CANARY_CHECK_NAME, namespace: 'central-secret-store-canary', apiGroup: '' },
    ]);
  });

  test('runs every 5 minutes by default, one run at a time, hardened, pushing to the job and cluster group of the canary command', () => {
    const cronJob = synth().find((o) => o.kind === 'CronJob')!;
    expect(cronJob.spec).toMatchObject({ schedule: '*/5 * * * *', concurrencyPolicy: 'Forbid' });
    const pod = cronJob.spec.jobTemplate.spec.template.spec;
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    const [container] = pod.containers;
    expect(container.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    });
    expect(container.image).toBe(PROPS.image);
    const env = Object.fromEntries(container.env.map((e: { name: string; value: string }) => [e.name, e.value]));
    expect(env).toMatchObject({
      COPY: 'canary-opaque',
      EXPECTED_SHA256: PROPS.expectedValueSha256,
      METRIC: CANARY_REFRESH_METRIC,
      PUSH_URL: `http://pushgateway.monitoring:9091/metrics/job/${CANARY_PUSH_JOB}/cluster/aks-weu-prod`,
    });
    expect(synth({ schedule: '*/2 * * * *' }).find((o) => o.kind === 'CronJob')!.spec.schedule).toBe('*/2 * * * *');
  });

  test('every problem with the props at once, each saying what to change', () => {
    expect(() =>
      synth({ image: 'kubectl:latest', pushgateway: 'ftp://gw', expectedValueSha256: 'abc', cluster: 'a/b', schedule: 'hourly' }),
    ).toThrow(
      [
        'CanaryCheck: expectedValueSha256 must be 64 lowercase hex digits: the sha256 of the canary value',
        'image "kubectl:latest" must be pinned by digest: <repository>@sha256:<64 hex digits>',
        'pushgateway "ftp://gw" must be an http(s) URL without query, fragment or credentials, such as http://pushgateway.monitoring:9091',
        "cluster \"a/b\" must be letters, digits, '.', '_' and '-': it is a path segment of the push URL",
        'schedule "hourly" must be a cron expression of five fields, such as */5 * * * *',
      ].join('; '),
    );
    expect(() => synth({ namespace: 'Canary' })).toThrow(/^CanaryCheck: namespace "Canary" must be a DNS-1123 label/);
  });
});
