import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { roleBindingObject, roleObject, serviceAccountObject } from './core-objects';
import { PRODUCT_LABELS } from './vocabulary/labels';
import { requireNames } from './name-checks';
import { CANARY_PUSH_JOB, CANARY_REFRESH_HELP, CANARY_REFRESH_METRIC } from './secret-plane-alerts';
import { refuseDuplicateObjects } from './unique-objects';

/** Name of the CronJob, and of its ServiceAccount, Role and RoleBinding, in the canary namespace. */
export const CANARY_CHECK_NAME = 'central-secret-store-canary-check';

export interface CanaryCheckProps {
  /** The canary namespace (Canary's namespaceName). */
  readonly namespace: string;

  /** Name of the canary's copy in that namespace: its ExternalSecret and its Secret (Canary's copyName). */
  readonly copyName: string;

  /**
   * The sha256 (hex) of the canary value the last deployment wrote. The check pushes the copy's last refresh
   * only while the copy holds that value: a copy that stopped at an older value lets the alert fire.
   */
  readonly expectedValueSha256: string;

  /**
   * The image the check runs: a POSIX shell with `kubectl`, `wget`, `base64`, `sha256sum` and `date` (busybox
   * or GNU), for instance a mirror of an image that carries kubectl. Pinned by digest
   * (`<repository>@sha256:<64 hex digits>`): the job holds the canary's read access, so what it runs must not
   * change under it.
   */
  readonly image: string;

  /** The Prometheus Pushgateway the check pushes to, such as `http://pushgateway.monitoring:9091`. */
  readonly pushgateway: string;

  /** The cluster's name: the `cluster` label of the pushed group, as `canary --pushgateway` sets it. */
  readonly cluster: string;

  /**
   * When the check runs, in cron syntax. Every 5 minutes keeps the metric well inside the default 15-minute
   * bound, so one missed run raises no alert.
   * @default '*\/5 * * * *'
   */
  readonly schedule?: string;
}

/**
 * The canary check between deployments, in the cluster (docs/operations.md, "Canary", without depending on a CI
 * scheduler that runs late or not at all): a CronJob that reads the canary copy's ExternalSecret and Secret
 * and, while the copy is Ready and holds the value the last deployment wrote, pushes its last refresh
 * (`CANARY_REFRESH_METRIC`) to a Pushgateway, which keeps the CentralSecretStoreCanary* alerts quiet; when it
 * does not, the job fails, pushes nothing, and the alerts fire once the bound passes.
 *
 * Its ServiceAccount may `get` exactly the canary's ExternalSecret and Secret in the canary namespace, and
 * nothing else; the canary's value is a marker, not a secret. The pod runs as nobody, with a read-only root
 * filesystem, no capabilities and the runtime's seccomp profile.
 */
export class CanaryCheck extends Construct {
  readonly cronJob: ApiObject;

  constructor(scope: Construct, id: string, props: CanaryCheckProps) {
    super(scope, id);
    refuseDuplicateObjects(this);
    const schedule = props.schedule ?? '*/5 * * * *';
    checkProps(props, schedule);
    const metadata = {
      name: CANARY_CHECK_NAME,
      namespace: props.namespace,
      labels: { ...PRODUCT_LABELS, 'app.kubernetes.io/component': 'canary-check' },
    };

    serviceAccountObject(this, 'ServiceAccount', { metadata, automountServiceAccountToken: false });
    roleObject(this, 'Role', {
      metadata,
      rules: [
        { apiGroups: ['external-secrets.io'], resources: ['externalsecrets'], resourceNames: [props.copyName], verbs: ['get'] },
        { apiGroups: [''], resources: ['secrets'], resourceNames: [props.copyName], verbs: ['get'] },
      ],
    });
    roleBindingObject(this, 'RoleBinding', {
      metadata,
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: CANARY_CHECK_NAME },
      subjects: [{ kind: 'ServiceAccount', name: CANARY_CHECK_NAME, namespace: props.namespace, apiGroup: '' }],
    });

    const env = {
      NAMESPACE: props.namespace,
      COPY: props.copyName,
      EXPECTED_SHA256: props.expectedValueSha256,
      PUSH_URL: `${props.pushgateway.replace(/\/+$/, '')}/metrics/job/${CANARY_PUSH_JOB}/cluster/${props.cluster}`,
      METRIC: CANARY_REFRESH_METRIC,
      HELP: CANARY_REFRESH_HELP,
      // kubectl keeps its discovery cache under $HOME: the one writable folder.
      HOME: '/tmp',
    };
    this.cronJob = new ApiObject(this, 'CronJob', {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata,
      spec: {
        schedule,
        concurrencyPolicy: 'Forbid',
        // A run that could not start within half the schedule's usual gap is skipped, not stacked.
        startingDeadlineSeconds: 120,
        successfulJobsHistoryLimit: 1,
        failedJobsHistoryLimit: 3,
        jobTemplate: {
          metadata: { labels: metadata.labels },
          spec: {
            backoffLimit: 0,
            activeDeadlineSeconds: 120,
            ttlSecondsAfterFinished: 3600,
            template: {
              metadata: { labels: metadata.labels },
              spec: {
                serviceAccountName: CANARY_CHECK_NAME,
                automountServiceAccountToken: true,
                restartPolicy: 'Never',
                securityContext: { runAsNonRoot: true, runAsUser: 65534, runAsGroup: 65534, seccompProfile: { type: 'RuntimeDefault' } },
                containers: [
                  {
                    name: 'check',
                    image: props.image,
                    command: ['/bin/sh', '-c', CHECK_SCRIPT],
                    env: Object.entries(env).map(([name, value]) => ({ name, value })),
                    resources: { requests: { cpu: '10m', memory: '32Mi' }, limits: { memory: '128Mi' } },
                    securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
                    volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
                  },
                ],
                volumes: [{ name: 'tmp', emptyDir: { sizeLimit: '16Mi' } }],
              },
            },
          },
        },
      },
    });
  }
}

/**
 * What the job runs: POSIX sh, and only what busybox and GNU coreutils both have. The refresh time is ESO's
 * RFC 3339 second (`2026-12-05T12:00:00Z`), which GNU date reads as it is and busybox date with `-D`.
 */
const CHECK_SCRIPT = `set -eu
state=$(kubectl get externalsecret "$COPY" -n "$NAMESPACE" -o 'jsonpath={.status.refreshTime} {.status.conditions[?(@.type=="Ready")].status}')
refreshed=\${state% *}
ready=\${state##* }
if [ "$ready" != True ] || [ -z "$refreshed" ]; then
  echo "canary copy $NAMESPACE/$COPY is not Ready (Ready=\${ready:-unknown}, last refresh \${refreshed:-never}): nothing pushed" >&2
  exit 1
fi
digest=$(kubectl get secret "$COPY" -n "$NAMESPACE" -o 'jsonpath={.data.value}' | base64 -d | sha256sum | cut -d ' ' -f 1)
if [ "$digest" != "$EXPECTED_SHA256" ]; then
  echo "canary copy $NAMESPACE/$COPY does not hold the value the last deployment wrote: nothing pushed" >&2
  exit 1
fi
seconds=$(date -u -d "$refreshed" +%s 2>/dev/null || date -u -D '%Y-%m-%dT%H:%M:%SZ' -d "$refreshed" +%s)
printf '# HELP %s %s\\n# TYPE %s gauge\\n%s{credential="canary"} %s\\n' "$METRIC" "$HELP" "$METRIC" "$METRIC" "$seconds" > /tmp/metric
wget -q -O /dev/null --post-file=/tmp/metric "$PUSH_URL"
echo "pushed: canary copy $NAMESPACE/$COPY holds the deployed value, last refreshed $refreshed"
`;

/** Every problem with the props at once, each saying what to change. */
function checkProps(props: CanaryCheckProps, schedule: string): void {
  requireNames('CanaryCheck', [
    ['namespace', props.namespace, 'dns1123Label'],
    ['copyName', props.copyName, 'dns1123Subdomain'],
  ]);
  const problems: string[] = [];
  if (!/^[0-9a-f]{64}$/.test(props.expectedValueSha256))
    problems.push('expectedValueSha256 must be 64 lowercase hex digits: the sha256 of the canary value');
  if (!/^[^\s@]+@sha256:[0-9a-f]{64}$/.test(props.image))
    problems.push(`image "${props.image}" must be pinned by digest: <repository>@sha256:<64 hex digits>`);
  // scheme://host[:port][/path]: no credentials, query or fragment, which the push URL could not carry.
  if (!/^https?:\/\/[^\s/?#@]+(\/[^\s?#]*)?$/.test(props.pushgateway)) {
    problems.push(
      `pushgateway "${props.pushgateway}" must be an http(s) URL without query, fragment or credentials, such as http://pushgateway.monitoring:9091`,
    );
  }
  if (!/^[A-Za-z0-9._-]+$/.test(props.cluster))
    problems.push(`cluster "${props.cluster}" must be letters, digits, '.', '_' and '-': it is a path segment of the push URL`);
  if (schedule.trim().split(/\s+/).length !== 5)
    problems.push(`schedule "${schedule}" must be a cron expression of five fields, such as */5 * * * *`);
  if (problems.length > 0) throw new Error(`CanaryCheck: ${problems.join('; ')}`);
}
