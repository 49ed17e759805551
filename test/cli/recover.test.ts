/** `recover` against a fake ESO: every store and ExternalSecret of the product is bumped and waited for. */
import { recoveryReport } from '../../cli/commands/recover';
import { REVALIDATE_ANNOTATION, recover } from '../../cli/recovery';
import { FakeCluster } from './support/fake-eso';

describe('recover', () => {
  test('bumps every store, every distribution and every ExternalSecret, and waits until all are re-read', async () => {
    const fake = new FakeCluster({ namespaces: ['pay-a', 'pay-b'] });
    const result = await recover(fake, { deadlineMs: 30_000, clock: fake.clock });
    expect(result).toMatchObject({ ok: true, stores: { ready: 2, total: 2 }, externalSecrets: { resynced: 3, total: 3 }, lagging: [] });
    expect(fake.events.slice(0, 3)).toEqual(['annotate ClusterSecretStore keyvault', 'annotate ClusterSecretStore central-registry', 'force-sync ClusterExternalSecret registry-dockerconfigjson']);
    expect(fake.events.filter((e) => e.startsWith('force-sync ExternalSecret')).sort()).toEqual([
      'force-sync ExternalSecret central-secret-store/registry',
      'force-sync ExternalSecret pay-a/registry-dockerconfigjson',
      'force-sync ExternalSecret pay-b/registry-dockerconfigjson',
    ]);
    for (const store of fake.stores.values()) expect(store.annotations[REVALIDATE_ANNOTATION]).toBe('2026-11-23T12:00:00.000Z');
    for (const es of fake.externalSecrets.values()) expect(es.refreshTime >= '2026-11-23T12:00:00').toBe(true);
  });

  test('a store still failing and the ExternalSecrets behind it are named with their reasons', async () => {
    const fake = new FakeCluster({ namespaces: ['pay-a'] });
    fake.stores.get('keyvault')!.failing = 'vault unreachable';
    fake.externalSecrets.get('central-secret-store/registry')!.failing = 'could not get secret: vault unreachable';
    const result = await recover(fake, { deadlineMs: 5_000, clock: fake.clock });
    expect(result.ok).toBe(false);
    expect(result.lagging).toEqual([
      { namespace: '(cluster)', object: 'ClusterSecretStore keyvault', reason: 'InvalidProviderConfig: vault unreachable' },
      { namespace: 'central-secret-store', object: 'ExternalSecret registry', reason: 'SecretSyncedError: could not get secret: vault unreachable' },
    ]);
    expect(recoveryReport(result)[0]).toMatch(/^1\/2 ClusterSecretStores ready, 1\/2 ExternalSecrets re-synced/);
  });
});
