/**
 * `canary`'s logic (docs/operations.md, "Canary": changes take effect with a delay, so change a test secret and
 * watch it), against a small cluster interface so it can be tested with a fake. The stack wrote a new
 * canary value into the vault with the deployment; this waits, asking ESO for nothing, until the copy in the
 * canary namespace holds it, and at the bound names what lags: the master (not refreshed from the vault) or
 * the copy (not refreshed from the master, or not there at all), with ESO's reason.
 *
 * Values are compared by their sha256: the canary is a marker, not a secret, but the commands never print or
 * keep Secret data, and a digest is all a comparison needs.
 */
import { createHash } from 'node:crypto';
import { CANARY_PUSH_JOB, CANARY_REFRESH_HELP } from '../../constructs/src/secret-plane-alerts';
import { type ExternalSecretState, isReady, notReadyReason } from './resync';
import type { Clock, Distribution, Lag } from './rotation';
import { systemClock } from './rotation';

export interface CanaryCluster {
  readonly centralNamespace: string;
  readExternalSecret(namespace: string, name: string): Promise<ExternalSecretState | undefined>;
  /** The sha256 (hex) of one key of a Secret's data; undefined when the Secret or the key is missing. */
  secretDigest(namespace: string, name: string, key: string): Promise<string | undefined>;
  /** The ClusterExternalSecrets distributing a credential. */
  distributions(credential: string): Promise<Distribution[]>;
}

export interface CanaryOptions {
  /** The value the deployment wrote (the stack output `canary`). */
  readonly expect: string;
  /** The canary namespace of the cluster. */
  readonly namespace: string;
  /** Give up after this long: the catalogue's bound. */
  readonly boundMs: number;
  /** @default 'canary' */
  readonly credential?: string;
  /** @default 'value' */
  readonly key?: string;
  /** @default 5000 */
  readonly pollMs?: number;
  /** @default systemClock */
  readonly clock?: Clock;
  readonly onProgress?: (done: number, total: number, phase: string) => void;
}

/** What one side of the canary, the master or the copy, holds. */
export interface CanarySide {
  /** Whether its Secret holds the expected value. */
  readonly arrived: boolean;
  /** status.refreshTime of its ExternalSecret, RFC 3339. */
  readonly refreshTime?: string;
}

export interface CanaryResult {
  readonly ok: boolean;
  /** From the start of the check until the copy held the value; undefined when it never did. */
  readonly arrivedAfterMs?: number;
  readonly elapsedMs: number;
  readonly master: CanarySide;
  readonly copy: CanarySide & { readonly namespace: string; readonly name: string };
  /** What lags at the bound. */
  readonly lagging: readonly Lag[];
}

/** The sha256 (hex) of a value: of its UTF-8 bytes for a string. */
export const sha256 = (value: string | Buffer) => createHash('sha256').update(value).digest('hex');

/** ESO's reason when an ExternalSecret is not Ready, else undefined. */
const failure = (state: ExternalSecretState | undefined) => (state ? notReadyReason(state.conditions) : undefined);

const lastRefresh = (state: ExternalSecretState) => (state.refreshTime ? `last refreshed ${state.refreshTime}` : 'never refreshed');

export async function checkCanary(cluster: CanaryCluster, options: CanaryOptions): Promise<CanaryResult> {
  const clock = options.clock ?? systemClock;
  const start = clock.now();
  const deadline = start + options.boundMs;
  const credential = options.credential ?? 'canary';
  const key = options.key ?? 'value';
  const expected = sha256(options.expect);
  // The distribution names the copy; the product names it `<credential>-opaque`.
  const copyName = (await cluster.distributions(credential))[0]?.name ?? `${credential}-opaque`;

  let master: ExternalSecretState | undefined;
  let copy: ExternalSecretState | undefined;
  let masterArrived: boolean;
  let copyArrived: boolean;
  while (true) {
    master = await cluster.readExternalSecret(cluster.centralNamespace, credential);
    copy = await cluster.readExternalSecret(options.namespace, copyName);
    masterArrived = (await cluster.secretDigest(cluster.centralNamespace, master?.target ?? credential, key)) === expected;
    copyArrived = copy !== undefined && (await cluster.secretDigest(options.namespace, copy.target, key)) === expected;
    options.onProgress?.(
      (masterArrived || copyArrived ? 1 : 0) + (copyArrived ? 1 : 0),
      2,
      copyArrived ? 'arrived' : masterArrived ? 'copy' : 'master',
    );
    if (copyArrived || clock.now() >= deadline) break;
    await clock.sleep(Math.min(options.pollMs ?? 5000, Math.max(0, deadline - clock.now())));
  }

  const lagging: Lag[] = [];
  if (!copyArrived) {
    if (!masterArrived) {
      lagging.push({
        namespace: cluster.centralNamespace,
        object: `ExternalSecret ${credential}`,
        reason: master
          ? `master not refreshed with the new value from the vault: ${failure(master) ?? `${lastRefresh(master)}, holds another value`}`
          : 'no master ExternalSecret: is the canary deployed on this cluster?',
      });
    }
    lagging.push({
      namespace: options.namespace,
      object: `ExternalSecret ${copyName}`,
      reason: await copyLag(cluster, credential, copyName, options.namespace, copy, masterArrived),
    });
  }
  const elapsedMs = clock.now() - start;
  return {
    ok: copyArrived,
    arrivedAfterMs: copyArrived ? elapsedMs : undefined,
    elapsedMs,
    master: { arrived: masterArrived, refreshTime: master?.refreshTime },
    copy: { namespace: options.namespace, name: copyName, arrived: copyArrived, refreshTime: copy?.refreshTime },
    lagging,
  };
}

/** Why the copy does not hold the value: it is not there, ESO fails it, or it has not re-read the master. */
async function copyLag(
  cluster: CanaryCluster,
  credential: string,
  name: string,
  namespace: string,
  copy: ExternalSecretState | undefined,
  masterArrived: boolean,
): Promise<string> {
  if (!copy) {
    const distribution = (await cluster.distributions(credential)).find((d) => d.name === name);
    if (!distribution) return `no ClusterExternalSecret ${name} distributes the canary`;
    if (distribution.failedNamespaces.includes(namespace)) return `ClusterExternalSecret ${name} failed to provision the namespace`;
    return `ClusterExternalSecret ${name} does not provision the namespace (it provisions ${distribution.provisionedNamespaces.join(', ') || 'none'}): check its namespace selector and the namespace's labels`;
  }
  const failed = failure(copy);
  if (failed) return `copy failing: ${failed}`;
  if (!isReady(copy.conditions)) return `copy not synced yet (${lastRefresh(copy)})`;
  return masterArrived
    ? `copy not refreshed from the master since it got the new value (${lastRefresh(copy)})`
    : `copy waits for the master (${lastRefresh(copy)})`;
}

/** Prometheus' text exposition of the canary's last refresh, as `--pushgateway` sends it. */
export function canaryMetricBody(metric: string, labels: Readonly<Record<string, string>>, refreshTime: string): string {
  const escape = (value: string) => value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
  const text = Object.entries(labels)
    .map(([k, v]) => `${k}="${escape(v)}"`)
    .join(',');
  const seconds = Math.floor(Date.parse(refreshTime) / 1000);
  return `# HELP ${metric} ${CANARY_REFRESH_HELP}\n# TYPE ${metric} gauge\n${metric}{${text}} ${seconds}\n`;
}

/**
 * PUTs the canary's last refresh to a Prometheus Pushgateway, in the group of job CANARY_PUSH_JOB
 * and the cluster, which a push replaces as a whole. The grouping key gives the series its `cluster` label (a
 * pushed series may not repeat a grouping label), so Prometheus, scraping with `honor_labels: true`, sees
 * `{credential="canary",cluster="<cluster>"}`. `fetch` is enough for one text body.
 */
export async function pushCanaryMetric(
  gateway: string,
  metric: string,
  cluster: string,
  refreshTime: string,
  send: typeof fetch = fetch,
): Promise<void> {
  const url = `${gateway.replace(/\/+$/, '')}/metrics/job/${CANARY_PUSH_JOB}/cluster/${encodeURIComponent(cluster)}`;
  const response = await send(url, {
    method: 'PUT',
    headers: { 'content-type': 'text/plain; version=0.0.4' },
    body: canaryMetricBody(metric, { credential: 'canary' }, refreshTime),
  });
  if (!response.ok)
    throw new Error(`Pushgateway ${url} answered ${response.status} ${response.statusText}: ${(await response.text()).slice(0, 200)}`);
}
