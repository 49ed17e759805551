/**
 * The Key Vault read model against the synthesized objects: every ExternalSecret that reads through an Azure
 * Key Vault store, in a namespace or stamped into namespaces by a ClusterExternalSecret, reads each of its
 * remote keys once per refresh interval.
 */
import fc from 'fast-check';
import { parseGoDuration } from '../../constructs/src';
import type { KubeObject } from '../../plane';
import { type Catalogue, loadCatalogue, vaultReads } from '../../tenants/lib';
import { catalogueArb } from '../support/arbitraries';
import { cesSelects } from '../support/selectors';
import { namespaceViews, ofKind, synthesizeAll } from '../support/synth';
import { FIXTURE_CATALOGUE_DIR } from '../support/fixture-catalogue';

/** GETs per hour and per round of refreshes that one cluster's objects make of its vault (Key Vault or HashiCorp Vault). */
function readsOfObjects(objects: readonly KubeObject[]): { perHour: number; peak: number } {
  const vaultStores = new Set(
    ofKind(objects, 'ClusterSecretStore')
      .filter((s) => s.spec.provider.azurekv || s.spec.provider.vault)
      .map((s) => s.metadata.name),
  );
  const readers = [
    ...ofKind(objects, 'ExternalSecret').map((es) => ({ spec: es.spec, copies: 1 })),
    ...ofKind(objects, 'ClusterExternalSecret').map((ces) => ({
      spec: ces.spec.externalSecretSpec,
      copies: namespaceViews(objects).filter((n) => cesSelects(ces, n)).length,
    })),
  ].filter((r) => vaultStores.has(r.spec.secretStoreRef.name));
  let perHour = 0;
  let peak = 0;
  for (const { spec, copies } of readers) {
    peak += spec.data.length * copies;
    perHour += (spec.data.length * copies * 3600e9) / Number(parseGoDuration(spec.refreshInterval));
  }
  return { perHour, peak };
}

function readsOfSynth(catalogue: Catalogue) {
  const objects = synthesizeAll(catalogue);
  return catalogue.environments.map((environment) => {
    const clusters = catalogue.clusters.filter((c) => c.environment === environment.name).map((c) => readsOfObjects(objects.get(c.name)!));
    return { perHour: clusters.reduce((sum, c) => sum + c.perHour, 0), peak: clusters.reduce((sum, c) => sum + c.peak, 0) };
  });
}

describe('vault reads', () => {
  test('the example: per vault, per hour and at the peak, as counted from the synthesized objects', () => {
    const catalogue = loadCatalogue(FIXTURE_CATALOGUE_DIR);
    expect(vaultReads(catalogue)).toEqual([
      {
        environment: 'onprem',
        backend: 'vault',
        vault: 'https://vault.dc1.contoso.example:8200',
        clusters: ['k3s-onprem-01'],
        perHour: 168,
        peak: 14,
      },
      {
        environment: 'prod',
        backend: 'keyVault',
        vault: 'contoso-css-prod',
        clusters: ['aks-weu-prod', 'edge-k3s-ams-01'],
        perHour: 432,
        peak: 36,
      },
      { environment: 'staging', backend: 'keyVault', vault: 'contoso-css-staging', clusters: ['aks-weu-staging'], perHour: 192, peak: 16 },
    ]);
    expect(vaultReads(catalogue).map(({ perHour, peak }) => ({ perHour, peak }))).toEqual(readsOfSynth(catalogue));
  });

  test('random catalogues with own and global secrets, Key Vault and HashiCorp Vault: the model counts what the objects read (100 runs)', () => {
    fc.assert(
      fc.property(catalogueArb({ ownSecrets: true, withVault: true }), (catalogue) => {
        expect(vaultReads(catalogue).map(({ perHour, peak }) => ({ perHour, peak }))).toEqual(readsOfSynth(catalogue));
      }),
      { numRuns: 100 },
    );
  });
});
