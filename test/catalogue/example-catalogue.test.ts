/**
 * The repository's own catalogue, `tenants/`, which its users edit (README.md, "A tour": add a request to
 * teams/payments.yaml). Every other test reads the fixture copy in test/fixtures/catalogue; this one only
 * checks that the catalogue as it stands is valid and consistent, never what it says, so an edit that keeps
 * it valid keeps it passing and an edit that breaks it fails here with synth's own errors.
 */
import { join } from 'node:path';
import { synthesizeCluster } from '../../plane';
import { CatalogueError, loadCatalogue } from '../../tenants/lib';

const EXAMPLE = join(__dirname, '..', '..', 'tenants');

describe("the repository's catalogue (tenants/)", () => {
  test('validates and every cluster synthesizes', () => {
    let catalogue;
    try {
      catalogue = loadCatalogue(EXAMPLE);
    } catch (error) {
      // The whole error text, so that the failure reads like synth's.
      throw error instanceof CatalogueError ? new Error(error.message) : error;
    }
    expect(catalogue.clusters.length).toBeGreaterThan(0);
    for (const cluster of catalogue.clusters) expect(() => synthesizeCluster(catalogue, cluster.name)).not.toThrow();
  });
});
