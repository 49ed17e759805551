/** `rotate` against a fake ESO: order of requests, detection of copies written from the new master, rolls, deadline. */
import { rotationReport } from '../../cli/commands/rotate';
import { deadlineMs } from '../../cli/support/deadline';
import { resyncedSince } from '../../cli/operations/resync';
import { rotate } from '../../cli/operations/rotation';
import { SECRET_VERSION_ANNOTATION, rolledOut, secretsReadBy, workloadState } from '../../cli/operations/workloads';
import { FakeCluster } from './support/fake-eso';

const NEW = 'NEW-SECRET-VALUE';
const namespaces = ['pay-a', 'pay-b', 'shop-a'];

function rotation(fake: FakeCluster, deadline = 60_000) {
  const lines: string[] = [];
  const progress: number[] = [];
  const run = rotate(fake, {
    credential: fake.credential,
    deadlineMs: deadline,
    pollMs: 1000,
    clock: fake.clock,
    log: (l) => lines.push(l),
    onProgress: (p) => progress.push(p.done),
  });
  return run.then((result) => ({ result, lines, progress }));
}

describe('rotate', () => {
  test('re-reads the master first, then every copy from it, and rolls opted-in workloads that read it where no Reloader runs', async () => {
    const fake = new FakeCluster({ namespaces });
    const copy = fake.copySecretName();
    fake.addWorkload('pay-a', 'api', { optedIn: true, secrets: [copy] });
    fake.addWorkload('pay-a', 'batch', { optedIn: false, secrets: [copy] });
    fake.addWorkload('pay-b', 'web', { optedIn: true, secrets: ['other'] });
    fake.addWorkload('shop-a', 'db', { optedIn: true, secrets: [copy], kind: 'StatefulSet' });
    fake.vaultValue = NEW;

    const { result, progress } = await rotation(fake);

    expect(result.ok).toBe(true);
    expect(result.lagging).toEqual([]);
    expect(result.masterConfirmed).toBe(true);
    expect(result.copies).toEqual({
      confirmed: 3,
      total: 3,
      changed: 3,
      namespaces,
      asked: namespaces.map((namespace) => ({ namespace, name: copy })),
    });
    expect(result.workloads).toEqual({
      rolled: 2,
      total: 2,
      rolledBy: 'central-secret-store',
      waves: 1,
      each: [
        { kind: 'Deployment', namespace: 'pay-a', name: 'api', rolled: true },
        { kind: 'StatefulSet', namespace: 'shop-a', name: 'db', rolled: true },
      ],
    });
    // Every copy holds the new master's value; ESO's periodic refresh is not modelled, so rotate caused it.
    for (const namespace of namespaces) expect(fake.secrets.get(`${namespace}/${copy}`)!.value).toBe(`rendered(${NEW})`);
    // The copies are asked only after the master was re-read, so they cannot read the old one.
    const masterAsked = fake.events.indexOf('force-sync ExternalSecret central-secret-store/registry');
    expect(masterAsked).toBe(0);
    expect(fake.events.slice(1, 2)).toEqual([`force-sync ClusterExternalSecret ${copy}`]);
    expect(fake.events.filter((e) => e.startsWith('force-sync ExternalSecret') && !e.includes('central-secret-store/')).sort()).toEqual(
      namespaces.map((n) => `force-sync ExternalSecret ${n}/${copy}`),
    );
    // Only opted-in workloads reading the copy are rolled, by a pod-template annotation carrying the Secret's version.
    expect(fake.events.filter((e) => e.startsWith('annotate')).sort()).toEqual([
      'annotate Deployment pay-a/api',
      'annotate StatefulSet shop-a/db',
    ]);
    const version = fake.secrets.get(`pay-a/${copy}`)!.resourceVersion;
    expect(fake.workloadsById.get('Deployment/pay-a/api')!.annotations).toEqual({ [SECRET_VERSION_ANNOTATION]: `${copy}@${version}` });
    expect(fake.workloadsById.get('Deployment/pay-a/batch')!.annotations).toEqual({});
    expect(progress.at(-1)).toBe(1 + 3 + 2);
    expect(result.elapsedMs).toBeLessThan(60_000);
  });

  test("at 1,000 namespaces the copies' requests go out 32 at a time, not one after another", async () => {
    const fake = new FakeCluster({ namespaces: Array.from({ length: 1000 }, (_, i) => `ns-${i}`) });
    fake.vaultValue = NEW;
    const { result } = await rotation(fake);
    expect(result.ok).toBe(true);
    expect(result.copies).toMatchObject({ confirmed: 1000, total: 1000, changed: 1000 });
    expect(fake.maxInFlight).toBe(32);
  });

  describe('waves, where rotate rolls the workloads itself', () => {
    const many = Array.from({ length: 12 }, (_, i) => `team-${String(i).padStart(2, '0')}`);
    function withWorkloads(perNamespace: number, fails?: (namespace: string, index: number) => string | undefined): FakeCluster {
      const fake = new FakeCluster({ namespaces: many });
      for (const namespace of many) {
        for (let i = 0; i < perNamespace; i++)
          fake.addWorkload(namespace, `app-${i}`, { optedIn: true, secrets: [fake.copySecretName()], fails: fails?.(namespace, i) });
      }
      fake.vaultValue = NEW;
      return fake;
    }

    test('never more than the wave size roll at once, and every workload rolls, wave after wave', async () => {
      const fake = withWorkloads(2);
      const lines: string[] = [];
      const result = await rotate(fake, {
        credential: fake.credential,
        deadlineMs: 120_000,
        clock: fake.clock,
        maxConcurrentRollouts: 5,
        log: (l) => lines.push(l),
      });
      expect(result.ok).toBe(true);
      expect(result.workloads).toMatchObject({ rolled: 24, total: 24, waves: 5 });
      expect(fake.maxRolling).toBe(5);
      expect(lines.filter((l) => l.startsWith('wave ')).map((l) => l.split(':')[0])).toEqual([
        'wave 1',
        'wave 2',
        'wave 3',
        'wave 4',
        'wave 5',
      ]);
    });

    test('a namespace limit keeps a wave from holding more of one namespace', async () => {
      const fake = withWorkloads(3);
      const annotated: string[][] = [];
      const result = await rotate(fake, {
        credential: fake.credential,
        deadlineMs: 300_000,
        clock: fake.clock,
        maxConcurrentRollouts: 6,
        maxRolloutsPerNamespace: 1,
        log: (l) => l.startsWith('wave ') && annotated.push(l.split('(')[1].split(')')[0].split(', ')),
      });
      expect(result.ok).toBe(true);
      expect(result.workloads.rolled).toBe(36);
      for (const wave of annotated) {
        const namespaces = wave.map((w) => w.split(' ')[1].split('/')[0]);
        expect(new Set(namespaces).size).toBe(namespaces.length);
      }
    });

    test('the first failed rollout stops the waves; it is named, and what did not roll says why', async () => {
      const fake = withWorkloads(1, (namespace) =>
        namespace === 'team-01' ? 'ProgressDeadlineExceeded: ReplicaSet "app-0-5d9" has timed out progressing.' : undefined,
      );
      const result = await rotate(fake, { credential: fake.credential, deadlineMs: 120_000, clock: fake.clock, maxConcurrentRollouts: 4 });
      expect(result.ok).toBe(false);
      expect(result.workloads.failed).toEqual({
        kind: 'Deployment',
        namespace: 'team-01',
        name: 'app-0',
        reason: 'ProgressDeadlineExceeded: ReplicaSet "app-0-5d9" has timed out progressing.',
      });
      expect(result.workloads.waves).toBe(1);
      expect(fake.events.filter((e) => e.startsWith('annotate'))).toHaveLength(4);
      expect(result.lagging.find((l) => l.namespace === 'team-01')!.reason).toBe(
        'rollout failed: ProgressDeadlineExceeded: ReplicaSet "app-0-5d9" has timed out progressing.',
      );
      expect(result.lagging.filter((l) => l.reason === 'not rolled: the waves stopped when Deployment team-01/app-0 failed')).toHaveLength(
        8,
      );
      expect(rotationReport(result)[1]).toBe(
        'rollout FAILED: Deployment team-01/app-0: ProgressDeadlineExceeded: ReplicaSet "app-0-5d9" has timed out progressing.',
      );
    });

    test.each([0, 1.5, Number.NaN])('a wave size of %s is refused before anything is asked', async (size) => {
      const fake = withWorkloads(1);
      await expect(
        rotate(fake, { credential: fake.credential, deadlineMs: 1000, clock: fake.clock, maxConcurrentRollouts: size }),
      ).rejects.toThrow(/maxConcurrentRollouts must be a whole number of at least 1/);
      expect(fake.events).toEqual([]);
    });
  });

  test('where Reloader runs, rotate leaves the roll to it and waits for it; a workload that never finishes rolling is named', async () => {
    const fake = new FakeCluster({ namespaces, reloader: true });
    const copy = fake.copySecretName();
    fake.addWorkload('pay-a', 'api', { optedIn: true, secrets: [copy] });
    fake.addWorkload('pay-b', 'worker', { optedIn: true, secrets: [copy], stuck: true });
    fake.vaultValue = NEW;

    const { result } = await rotation(fake, 20_000);

    expect(fake.events.filter((e) => e.startsWith('annotate'))).toEqual([]);
    expect(fake.workloadsById.get('Deployment/pay-a/api')!.annotations).toEqual({ 'reloader.stakater.com/last-reloaded-from': copy });
    expect(result.ok).toBe(false);
    expect(result.workloads).toMatchObject({ rolled: 1, total: 2, rolledBy: 'reloader' });
    expect(result.workloads.each.map((w) => [w.name, w.rolled])).toEqual([
      ['api', true],
      ['worker', false],
    ]);
    expect(result.lagging).toEqual([
      { namespace: 'pay-b', object: 'Deployment worker', reason: expect.stringContaining(`not rolled to the new ${copy} (Reloader`) },
    ]);
    expect(result.elapsedMs).toBeGreaterThanOrEqual(20_000);
  });

  test("a copy ESO cannot write is named with ESO's reason at the deadline, and the others still complete", async () => {
    const fake = new FakeCluster({ namespaces });
    fake.externalSecrets.get(`pay-b/${fake.copySecretName()}`)!.failing = 'store central-registry: namespace not allowed';
    fake.vaultValue = NEW;

    const { result } = await rotation(fake, 30_000);

    expect(result.ok).toBe(false);
    expect(result.copies.confirmed).toBe(2);
    expect(result.lagging).toEqual([
      {
        namespace: 'pay-b',
        object: `ExternalSecret ${fake.copySecretName()}`,
        reason: 'SecretSyncedError: store central-registry: namespace not allowed',
      },
    ]);
    expect(rotationReport(result).join('\n')).toMatch(
      /2\/3 copies[\s\S]*lagging at the deadline \(1\):\n {2}pay-b: ExternalSecret registry-dockerconfigjson: SecretSyncedError/,
    );
  });

  test('when the master cannot be re-read no copy is asked, and the master is what lags', async () => {
    const fake = new FakeCluster({ namespaces });
    fake.externalSecrets.get('central-secret-store/registry')!.failing = 'vault unreachable';
    fake.vaultValue = NEW;

    const { result } = await rotation(fake, 10_000);

    expect(result.ok).toBe(false);
    expect(result.masterConfirmed).toBe(false);
    expect(fake.events).toEqual(['force-sync ExternalSecret central-secret-store/registry']);
    expect(result.lagging).toEqual([
      { namespace: 'central-secret-store', object: 'ExternalSecret registry', reason: 'SecretSyncedError: vault unreachable' },
    ]);
  });

  test("a copy ESO re-read from its distribution's annotation before rotate patched it still counts", async () => {
    const fake = new FakeCluster({ namespaces, mirrorFirst: true });
    fake.vaultValue = NEW;
    const { result } = await rotation(fake, 30_000);
    expect(result).toMatchObject({ ok: true, copies: { confirmed: 3, changed: 3 } });
    expect(result.elapsedMs).toBeLessThan(30_000);
  });

  test('a value that did not change rolls nothing', async () => {
    const fake = new FakeCluster({ namespaces });
    fake.addWorkload('pay-a', 'api', { optedIn: true, secrets: [fake.copySecretName()] });
    const { result } = await rotation(fake);
    expect(result.ok).toBe(true);
    expect(result.copies).toMatchObject({ confirmed: 3, changed: 0 });
    expect(result.workloads.total).toBe(0);
    expect(fake.events.filter((e) => e.startsWith('annotate'))).toEqual([]);
  });

  test('no secret value reaches the log, the result or the report', async () => {
    const fake = new FakeCluster({ namespaces, value: 'OLD-SENTINEL-4711' });
    fake.addWorkload('pay-a', 'api', { optedIn: true, secrets: [fake.copySecretName()] });
    fake.vaultValue = 'NEW-SENTINEL-4712';
    const { result, lines } = await rotation(fake);
    const printed = [...lines, JSON.stringify(result), ...rotationReport(result)].join('\n');
    expect(fake.secrets.get('pay-a/registry-dockerconfigjson')!.value).toContain('NEW-SENTINEL-4712');
    expect(printed).not.toMatch(/SENTINEL/);
  });

  test('an unknown credential is refused before anything is patched', async () => {
    const fake = new FakeCluster({ namespaces });
    await expect(rotate(fake, { credential: 'nope', deadlineMs: 1000, clock: fake.clock })).rejects.toThrow(
      /credential "nope" has no master ExternalSecret in central-secret-store/,
    );
    expect(fake.events).toEqual([]);
  });

  test('--deadline takes Go durations and names itself when wrong', () => {
    expect(deadlineMs('--deadline', '5m')).toBe(300_000);
    expect(deadlineMs('--deadline', '1m30s')).toBe(90_000);
    expect(() => deadlineMs('--deadline', 'soon')).toThrow(/--deadline "soon" is not a positive duration/);
    expect(() => deadlineMs('--deadline', '0s')).toThrow(/--deadline "0s"/);
  });
});

describe('re-read detection', () => {
  const request = { syncedResourceVersion: '1-aaaa', patchedAt: '2026-11-23T12:00:05.400Z' };
  const state = (syncedResourceVersion: string, refreshTime: string, ready = 'True') => ({
    namespace: 'n',
    name: 'e',
    target: 'e',
    syncedResourceVersion,
    refreshTime,
    conditions: [{ type: 'Ready', status: ready }],
  });
  test('needs a new synced version, a refresh no earlier than the patch (to the second) and Ready', () => {
    expect(resyncedSince(state('1-bbbb', '2026-11-23T12:00:05Z'), request)).toBe(true);
    expect(resyncedSince(state('1-aaaa', '2026-11-23T12:00:09Z'), request)).toBe(false);
    expect(resyncedSince(state('1-bbbb', '2026-11-23T12:00:04Z'), request)).toBe(false);
    expect(resyncedSince(state('1-bbbb', '2026-11-23T12:00:09Z', 'False'), request)).toBe(false);
  });
});

describe('workloads', () => {
  test('every Secret a pod spec reads: env, envFrom, volumes and projected volumes, init containers too', () => {
    expect(
      secretsReadBy({
        containers: [{ env: [{ valueFrom: { secretKeyRef: { name: 'b' } } }, {}], envFrom: [{ secretRef: { name: 'a' } }, {}] }],
        initContainers: [{ env: [{ valueFrom: { secretKeyRef: { name: 'c' } } }] }],
        volumes: [
          { secret: { secretName: 'd' } },
          { projected: { sources: [{ secret: { name: 'e' } }, {}] } },
          { secret: { secretName: 'a' } },
        ],
      }),
    ).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  test('a rollout is finished when the controller saw the generation and every replica is updated and available', () => {
    const metadata = { generation: 3 };
    expect(
      rolledOut('Deployment', {
        metadata,
        spec: { replicas: 2 },
        status: { observedGeneration: 3, replicas: 2, updatedReplicas: 2, availableReplicas: 2 },
      }),
    ).toBe(true);
    expect(
      rolledOut('Deployment', {
        metadata,
        spec: { replicas: 2 },
        status: { observedGeneration: 2, replicas: 2, updatedReplicas: 2, availableReplicas: 2 },
      }),
    ).toBe(false);
    expect(
      rolledOut('Deployment', {
        metadata,
        spec: { replicas: 2 },
        status: { observedGeneration: 3, replicas: 3, updatedReplicas: 2, availableReplicas: 2 },
      }),
    ).toBe(false);
    expect(
      rolledOut('StatefulSet', {
        metadata,
        spec: { replicas: 1 },
        status: { observedGeneration: 3, updatedReplicas: 1, readyReplicas: 1, currentRevision: 'r1', updateRevision: 'r2' },
      }),
    ).toBe(false);
    expect(
      rolledOut('StatefulSet', {
        metadata,
        spec: { replicas: 1 },
        status: { observedGeneration: 3, updatedReplicas: 1, readyReplicas: 1, currentRevision: 'r2', updateRevision: 'r2' },
      }),
    ).toBe(true);
    expect(
      rolledOut('DaemonSet', {
        metadata,
        status: { observedGeneration: 3, desiredNumberScheduled: 4, updatedNumberScheduled: 4, numberAvailable: 3 },
      }),
    ).toBe(false);
  });

  test("a Deployment past its progress deadline has failed, once the controller has seen its template; the previous rollout's condition does not count", () => {
    const stalled = {
      type: 'Progressing',
      status: 'False',
      reason: 'ProgressDeadlineExceeded',
      message: 'ReplicaSet "api-7c9" has timed out progressing.',
    };
    const deployment = (observedGeneration: number, conditions = [stalled]) => ({
      metadata: { generation: 3 },
      spec: { replicas: 1 },
      status: { observedGeneration, replicas: 1, updatedReplicas: 0, conditions },
    });
    expect(workloadState('Deployment', deployment(3)).failed).toBe(
      'ProgressDeadlineExceeded: ReplicaSet "api-7c9" has timed out progressing.',
    );
    expect(workloadState('Deployment', deployment(2)).failed).toBeUndefined();
    expect(
      workloadState('Deployment', deployment(3, [{ ...stalled, status: 'True', reason: 'NewReplicaSetAvailable' }])).failed,
    ).toBeUndefined();
    expect(workloadState('StatefulSet', deployment(3)).failed).toBeUndefined();
  });
});
