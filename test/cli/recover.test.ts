/**
 * `recover` against a fake ESO: every store, then every ExternalSecret reading a vault, then every distribution
 * and copy is bumped, each phase waited for before the next.
 */
import { recoveryReport } from '../../cli/commands/recover';
import { externalSecretState } from '../../cli/operations/kube-operations';
import { REVALIDATE_ANNOTATION, recover } from '../../cli/operations/recovery';
import { FakeCluster } from './support/fake-eso';

const COPIES = ['pay-a/registry-dockerconfigjson', 'pay-b/registry-dockerconfigjson', 'pay-c/registry-dockerconfigjson'];

describe('recover', () => {
  test('bumps every store, every distribution and every ExternalSecret, and waits until all are re-read', async () => {
    const fake = new FakeCluster({ namespaces: ['pay-a', 'pay-b'] });
    const result = await recover(fake, { deadlineMs: 30_000, clock: fake.clock });
    expect(result).toMatchObject({ ok: true, stores: { ready: 2, total: 2 }, externalSecrets: { resynced: 3, total: 3 }, lagging: [] });
    expect(fake.events.filter((e) => e.startsWith('force-sync ExternalSecret')).sort()).toEqual([
      'force-sync ExternalSecret central-secret-store/registry',
      'force-sync ExternalSecret pay-a/registry-dockerconfigjson',
      'force-sync ExternalSecret pay-b/registry-dockerconfigjson',
    ]);
    for (const store of fake.stores.values()) expect(store.annotations[REVALIDATE_ANNOTATION]).toBe('2026-11-23T12:00:00.000Z');
    for (const es of fake.externalSecrets.values()) expect(es.refreshTime >= '2026-11-23T12:00:00').toBe(true);
  });

  test('asks the stores, then the masters, then the distributions and copies, each after the one before was re-read', async () => {
    const fake = new FakeCluster({ namespaces: ['pay-a', 'pay-b', 'pay-c'] });
    // As after an outage: the stores failed their last validation.
    for (const store of fake.stores.values())
      store.conditions = [{ type: 'Ready', status: 'False', reason: 'InvalidProviderConfig', message: 'vault unreachable' }];
    const progress: [number, number][] = [];
    // What each bump found: the master's Secret when the distribution was asked, the stores' readiness when the master was.
    const seen: string[] = [];
    const forceSync = fake.forceSync.bind(fake);
    fake.forceSync = async (target, value) => {
      if (target.kind === 'ExternalSecret' && target.namespace === fake.centralNamespace)
        seen.push(
          `master asked, stores ready: ${[...fake.stores.values()].every((s) => s.conditions.some((c) => c.type === 'Ready' && c.status === 'True'))}`,
        );
      if (target.kind === 'ClusterExternalSecret')
        seen.push(
          `distribution asked, master re-read: ${fake.externalSecrets.get('central-secret-store/registry')!.refreshTime >= '2026-11-23T12:00:00'}`,
        );
      return forceSync(target, value);
    };
    await recover(fake, { deadlineMs: 30_000, clock: fake.clock, onProgress: (done, total) => progress.push([done, total]) });
    expect(fake.events).toHaveLength(7);
    expect(fake.events.slice(0, 4)).toEqual([
      'annotate ClusterSecretStore keyvault',
      'annotate ClusterSecretStore central-registry',
      'force-sync ExternalSecret central-secret-store/registry',
      'force-sync ClusterExternalSecret registry-dockerconfigjson',
    ]);
    expect(seen).toEqual(['master asked, stores ready: true', 'distribution asked, master re-read: true']);
    expect(progress.every(([, total]) => total === 2 + 4)).toBe(true);
    expect(progress.map(([done]) => done)).toEqual([...progress.map(([done]) => done)].sort((a, b) => a - b));
    expect(progress.at(-1)).toEqual([6, 6]);
  });

  test('a credential changed in the vault during the outage reaches every copy, even when ESO reconciles copies before their master', async () => {
    // Asked all at once, the copies would re-read the master's old value within the same round.
    const fake = new FakeCluster({ namespaces: ['pay-a', 'pay-b', 'pay-c'], copiesFirst: true });
    fake.vaultValue = 'NEW-SECRET-VALUE';
    const result = await recover(fake, { deadlineMs: 30_000, clock: fake.clock });
    expect(result).toMatchObject({ ok: true, externalSecrets: { resynced: 4, total: 4 } });
    expect(fake.secrets.get('central-secret-store/registry')!.value).toBe('NEW-SECRET-VALUE');
    for (const copy of COPIES) expect(fake.secrets.get(copy)!.value).toBe('rendered(NEW-SECRET-VALUE)');
  });

  test('a store that never becomes Ready is named, and the masters and copies still recover after the deadline', async () => {
    const fake = new FakeCluster({ namespaces: ['pay-a', 'pay-b', 'pay-c'], copiesFirst: true });
    fake.stores.set('tenant-vault', { conditions: [], annotations: {}, failing: 'vault unreachable' });
    fake.vaultValue = 'NEW-SECRET-VALUE';
    const result = await recover(fake, { deadlineMs: 5_000, clock: fake.clock });
    expect(result).toMatchObject({ ok: false, stores: { ready: 2, total: 3 }, externalSecrets: { resynced: 4, total: 4 } });
    expect(result.lagging).toEqual([
      { namespace: '(cluster)', object: 'ClusterSecretStore tenant-vault', reason: 'InvalidProviderConfig: vault unreachable' },
    ]);
    for (const copy of COPIES) expect(fake.secrets.get(copy)!.value).toBe('rendered(NEW-SECRET-VALUE)');
    // One poll interval for each phase that started after the deadline.
    expect(result.elapsedMs).toBe(7_000);
  });

  test('a store still failing and the ExternalSecrets behind it are named with their reasons', async () => {
    const fake = new FakeCluster({ namespaces: ['pay-a'] });
    fake.stores.get('keyvault')!.failing = 'vault unreachable';
    fake.externalSecrets.get('central-secret-store/registry')!.failing = 'could not get secret: vault unreachable';
    const result = await recover(fake, { deadlineMs: 5_000, clock: fake.clock });
    expect(result.ok).toBe(false);
    expect(result.lagging).toEqual([
      { namespace: '(cluster)', object: 'ClusterSecretStore keyvault', reason: 'InvalidProviderConfig: vault unreachable' },
      {
        namespace: 'central-secret-store',
        object: 'ExternalSecret registry',
        reason: 'SecretSyncedError: could not get secret: vault unreachable',
      },
    ]);
    expect(recoveryReport(result)[0]).toMatch(/^1\/2 ClusterSecretStores ready, 1\/2 ExternalSecrets re-synced/);
  });

  test("a copy is told from a master by ESO's controller owner reference to its ClusterExternalSecret", () => {
    const owner = (kind: string, controller: boolean) => ({
      apiVersion: 'external-secrets.io/v1',
      kind,
      name: 'registry-dockerconfigjson',
      uid: 'u',
      controller,
    });
    expect(
      externalSecretState({ metadata: { name: 'r', namespace: 'pay-a', ownerReferences: [owner('ClusterExternalSecret', true)] } })
        .distribution,
    ).toBe('registry-dockerconfigjson');
    expect(
      externalSecretState({ metadata: { name: 'r', namespace: 'pay-a', ownerReferences: [owner('ClusterExternalSecret', false)] } })
        .distribution,
    ).toBeUndefined();
    expect(externalSecretState({ metadata: { name: 'r', namespace: 'central-secret-store' } }).distribution).toBeUndefined();
  });
});
