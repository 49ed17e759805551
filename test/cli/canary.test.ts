/**
 * `canary` against a fake cluster whose ESO refreshes on its own schedule only: the master re-reads the vault
 * every 5 minutes and the copy re-reads the master every minute, each at its own phase, and nothing the
 * command does can make them go faster. The check must see the value arrive, or name what lags at the bound.
 */
import { spawnSync } from 'node:child_process';
import { canaryReport } from '../../cli/commands/canary';
import { type CanaryCluster, canaryMetricBody, checkCanary, pushCanaryMetric, sha256 } from '../../cli/operations/canary-check';
import type { ExternalSecretState } from '../../cli/operations/resync';
import type { Clock, Distribution } from '../../cli/operations/rotation';
import { CANARY_REFRESH_METRIC } from '../../constructs/src';
import { promtool } from '../support/promtool';

const START = Date.parse('2026-11-23T12:00:00Z');
const NAMESPACE = 'central-secret-store-canary';
const MINUTE = 60_000;

interface Side {
  value?: string;
  refreshedAt?: number;
  failing?: string;
}

/** ESO's periodic refreshes of the canary's master and copy, on a fake clock; every read is recorded. */
class PeriodicCanary implements CanaryCluster {
  readonly centralNamespace = 'central-secret-store';
  /** What the vault holds; undefined: the secret is gone. */
  vault: string | undefined;
  readonly master: Side = {};
  readonly copy: Side & { exists: boolean } = { exists: true };
  readonly distribution: { provisioned: string[]; failed: string[] } = { provisioned: [NAMESPACE], failed: [] };
  /** Everything the command asked of the cluster: reads only, never a write. */
  readonly calls: string[] = [];
  readonly clock: Clock & { time: number };

  constructor(
    value: string,
    private readonly schedule = { masterEvery: 5 * MINUTE, masterPhase: 0, copyEvery: MINUTE, copyPhase: 0 },
  ) {
    this.vault = value;
    this.master = { value, refreshedAt: START - 1000 };
    this.copy = { exists: true, value, refreshedAt: START - 1000 };
    const fake = this;
    this.clock = {
      time: START,
      now() {
        return this.time;
      },
      async sleep(ms: number) {
        const until = this.time + ms;
        // Every refresh due on the way happens, in time order.
        for (let t = this.time + 1000; t <= until; t += 1000) fake.tick(t);
        this.time = until;
      },
    };
  }

  private tick(t: number): void {
    const due = (every: number, phase: number) => (t - START - phase) % every === 0 && t - START >= phase;
    if (due(this.schedule.masterEvery, this.schedule.masterPhase)) {
      this.master.refreshedAt = t;
      if (this.vault === undefined) this.master.failing = 'could not get secret data from provider: css-canary-c1 not found';
      else Object.assign(this.master, { value: this.vault, failing: undefined });
    }
    if (this.copy.exists && due(this.schedule.copyEvery, this.schedule.copyPhase))
      Object.assign(this.copy, { value: this.master.value, refreshedAt: t });
  }

  private state(namespace: string, name: string, side: Side): ExternalSecretState {
    const conditions = side.failing
      ? [{ type: 'Ready', status: 'False', reason: 'SecretSyncedError', message: side.failing }]
      : [{ type: 'Ready', status: 'True', reason: 'SecretSynced', message: 'secret synced' }];
    return {
      namespace,
      name,
      target: name,
      syncedResourceVersion: '1-abc',
      refreshTime: side.refreshedAt === undefined ? undefined : new Date(side.refreshedAt).toISOString(),
      conditions,
    };
  }

  async readExternalSecret(namespace: string, name: string): Promise<ExternalSecretState | undefined> {
    this.calls.push(`read ExternalSecret ${namespace}/${name}`);
    if (namespace === this.centralNamespace && name === 'canary') return this.state(namespace, name, this.master);
    if (namespace === NAMESPACE && name === 'canary-opaque' && this.copy.exists) return this.state(namespace, name, this.copy);
    return undefined;
  }

  async secretDigest(namespace: string, name: string, key: string): Promise<string | undefined> {
    this.calls.push(`digest Secret ${namespace}/${name}#${key}`);
    const side =
      namespace === this.centralNamespace && name === 'canary'
        ? this.master
        : namespace === NAMESPACE && name === 'canary-opaque' && this.copy.exists
          ? this.copy
          : undefined;
    return key === 'value' && side?.value !== undefined ? sha256(side.value) : undefined;
  }

  async distributions(credential: string): Promise<Distribution[]> {
    this.calls.push(`list ClusterExternalSecrets ${credential}`);
    return credential === 'canary'
      ? [{ name: 'canary-opaque', provisionedNamespaces: this.distribution.provisioned, failedNamespaces: this.distribution.failed }]
      : [];
  }
}

const check = (fake: PeriodicCanary, expect: string, boundMs = 15 * MINUTE) =>
  checkCanary(fake, { expect, namespace: NAMESPACE, boundMs, clock: fake.clock, pollMs: 5000 });

describe('canary', () => {
  test('a new value arrives along the real path: master at its next refresh, the copy at its next one after that', async () => {
    // The master refreshes 2 minutes in, the copy every minute at 30 s past: the copy has it at 2m30s.
    const fake = new PeriodicCanary('deploy-1', { masterEvery: 5 * MINUTE, masterPhase: 2 * MINUTE, copyEvery: MINUTE, copyPhase: 30_000 });
    fake.vault = 'deploy-2';
    const progress: string[] = [];
    const result = await checkCanary(fake, {
      expect: 'deploy-2',
      namespace: NAMESPACE,
      boundMs: 15 * MINUTE,
      clock: fake.clock,
      pollMs: 5000,
      onProgress: (done, total, phase) => progress.push(`${phase} ${done}/${total}`),
    });
    expect(result).toEqual({
      ok: true,
      arrivedAfterMs: 150_000,
      elapsedMs: 150_000,
      master: { arrived: true, refreshTime: '2026-11-23T12:02:00.000Z' },
      copy: { namespace: NAMESPACE, name: 'canary-opaque', arrived: true, refreshTime: '2026-11-23T12:02:30.000Z' },
      lagging: [],
    });
    expect(progress[0]).toBe('master 0/2');
    expect(progress).toContain('copy 1/2');
    expect(progress.at(-1)).toBe('arrived 2/2');
    // It only ever read: no force-sync, no annotation, nothing patched.
    expect(fake.calls.every((c) => /^(read|digest|list) /.test(c))).toBe(true);
    expect(canaryReport('c1', result)).toEqual([`canary of c1: the new value arrived in ${NAMESPACE}/canary-opaque in 150 s`]);
  });

  test('a value already there (a deployment that changed nothing) arrives at once', async () => {
    const fake = new PeriodicCanary('deploy-1');
    expect(await check(fake, 'deploy-1')).toMatchObject({ ok: true, arrivedAfterMs: 0, lagging: [] });
  });

  test("the master failing to read the vault is named with ESO's reason, and the copy as waiting for it", async () => {
    const fake = new PeriodicCanary('deploy-1');
    fake.vault = undefined;
    const result = await check(fake, 'deploy-2', 10 * MINUTE);
    expect(result.ok).toBe(false);
    expect(result.elapsedMs).toBe(10 * MINUTE);
    expect(result.lagging).toEqual([
      {
        namespace: 'central-secret-store',
        object: 'ExternalSecret canary',
        reason:
          'master not refreshed with the new value from the vault: SecretSyncedError: could not get secret data from provider: css-canary-c1 not found',
      },
      {
        namespace: NAMESPACE,
        object: 'ExternalSecret canary-opaque',
        reason: 'copy waits for the master (last refreshed 2026-11-23T12:10:00.000Z)',
      },
    ]);
    expect(canaryReport('c1', result)).toEqual([
      `canary of c1: the new value did not reach ${NAMESPACE}/canary-opaque within 600 s (master does not have it)`,
      'lagging at the deadline (2):',
      '  central-secret-store: ExternalSecret canary: master not refreshed with the new value from the vault: SecretSyncedError: could not get secret data from provider: css-canary-c1 not found',
      `  ${NAMESPACE}: ExternalSecret canary-opaque: copy waits for the master (last refreshed 2026-11-23T12:10:00.000Z)`,
    ]);
  });

  test('a master that refreshes slower than the bound is late without any error', async () => {
    const fake = new PeriodicCanary('deploy-1', { masterEvery: 60 * MINUTE, masterPhase: 30 * MINUTE, copyEvery: MINUTE, copyPhase: 0 });
    fake.vault = 'deploy-2';
    const result = await check(fake, 'deploy-2');
    expect(result.lagging[0]).toEqual({
      namespace: 'central-secret-store',
      object: 'ExternalSecret canary',
      reason: 'master not refreshed with the new value from the vault: last refreshed 2026-11-23T11:59:59.000Z, holds another value',
    });
  });

  test('a copy that no longer refreshes from the master is named, the master not', async () => {
    const fake = new PeriodicCanary('deploy-1', {
      masterEvery: 5 * MINUTE,
      masterPhase: MINUTE,
      copyEvery: 60 * MINUTE,
      copyPhase: 45 * MINUTE,
    });
    fake.vault = 'deploy-2';
    const result = await check(fake, 'deploy-2');
    expect(result.master.arrived).toBe(true);
    expect(result.lagging).toEqual([
      {
        namespace: NAMESPACE,
        object: 'ExternalSecret canary-opaque',
        reason: 'copy not refreshed from the master since it got the new value (last refreshed 2026-11-23T11:59:59.000Z)',
      },
    ]);
  });

  test('a distribution that no longer selects the canary namespace, or failed it, is named', async () => {
    const fake = new PeriodicCanary('deploy-1');
    fake.vault = 'deploy-2';
    fake.copy.exists = false;
    fake.distribution.provisioned = [];
    const unselected = await check(fake, 'deploy-2', MINUTE);
    expect(unselected.lagging.at(-1)).toEqual({
      namespace: NAMESPACE,
      object: 'ExternalSecret canary-opaque',
      reason:
        "ClusterExternalSecret canary-opaque does not provision the namespace (it provisions none): check its namespace selector and the namespace's labels",
    });
    fake.distribution.failed = [NAMESPACE];
    expect((await check(fake, 'deploy-2', MINUTE)).lagging.at(-1)?.reason).toBe(
      'ClusterExternalSecret canary-opaque failed to provision the namespace',
    );
  });

  test('never prints a value, whatever happens', async () => {
    const fake = new PeriodicCanary('old-marker-3f9a');
    fake.vault = undefined;
    const result = await check(fake, 'new-marker-7c1d', MINUTE);
    const text = JSON.stringify(result) + canaryReport('c1', result).join('\n');
    expect(text).not.toContain('old-marker-3f9a');
    expect(text).not.toContain('new-marker-7c1d');
  });
});

describe('--pushgateway', () => {
  test("PUTs the copy's refresh time as Unix seconds in Prometheus' text format, grouped by job and cluster", async () => {
    const sent: { url: string; init: RequestInit }[] = [];
    const send = (async (url: string, init: RequestInit) => {
      sent.push({ url, init });
      return new Response('', { status: 202 });
    }) as unknown as typeof fetch;
    await pushCanaryMetric('http://127.0.0.1:9091/', CANARY_REFRESH_METRIC, 'aks-weu-prod', '2026-11-23T12:02:30Z', send);
    expect(sent).toHaveLength(1);
    expect(sent[0].url).toBe('http://127.0.0.1:9091/metrics/job/central-secret-store-canary/cluster/aks-weu-prod');
    expect(sent[0].init.method).toBe('PUT');
    expect(sent[0].init.headers).toEqual({ 'content-type': 'text/plain; version=0.0.4' });
    expect(sent[0].init.body).toBe(
      [
        `# HELP ${CANARY_REFRESH_METRIC} When the canary's copy last refreshed (status.refreshTime of its ExternalSecret), in Unix seconds.`,
        `# TYPE ${CANARY_REFRESH_METRIC} gauge`,
        `${CANARY_REFRESH_METRIC}{credential="canary"} 1795435350`,
        '',
      ].join('\n'),
    );
  });

  test('a refusal by the gateway is an error naming it', async () => {
    const send = (async () =>
      new Response('text format parsing error', { status: 400, statusText: 'Bad Request' })) as unknown as typeof fetch;
    await expect(pushCanaryMetric('http://127.0.0.1:9091', CANARY_REFRESH_METRIC, 'c1', '2026-11-23T12:00:00Z', send)).rejects.toThrow(
      'Pushgateway http://127.0.0.1:9091/metrics/job/central-secret-store-canary/cluster/c1 answered 400 Bad Request: text format parsing error',
    );
  });

  test(
    "Prometheus' own parser accepts the body (promtool check metrics)",
    () => {
      const body = canaryMetricBody(CANARY_REFRESH_METRIC, { credential: 'canary' }, '2026-11-23T12:02:30Z');
      const check = (text: string) => spawnSync(promtool(), ['check', 'metrics'], { input: text, encoding: 'utf8' });
      expect(check(body)).toMatchObject({ status: 0, stderr: '' });
      expect(check(body.replace('{credential="canary"}', '{credential=canary}')).status).not.toBe(0);
    },
    20 * 60 * 1000,
  );

  test('label values are escaped as the text format wants', () => {
    expect(canaryMetricBody('m', { a: 'x"y\\z\nw' }, '1970-01-01T00:00:10Z').split('\n')[2]).toBe('m{a="x\\"y\\\\z\\nw"} 10');
  });
});
