import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadCatalogue, validityOfVaultSecret, validityReport } from '../../tenants/lib';
import { validFixture, writeFixture } from '../support/fixture-catalogue';

const dir = writeFixture(validFixture());
const catalogue = loadCatalogue(dir);
// The fixture's secret "db" expires 2030-01-01T00:00:00Z.

describe('validity windows', () => {
  test('an expired secret is an error naming file, field and what to do', () => {
    const { errors, warnings } = validityReport(catalogue, { now: new Date('2030-01-02T00:00:00Z'), warnWithinDays: 30 });
    expect(warnings).toEqual([]);
    expect(errors).toEqual([
      {
        file: catalogue.sources.tenants.alpha,
        path: 'clusters.c1.namespaces[0].secrets[0].expires',
        line:
          readFileSync(join(dir, 'teams', 'alpha.yaml'), 'utf8')
            .split('\n')
            .findIndex((l) => l.includes('expires:')) + 1,
        message:
          'secret "db" expired on 2030-01-01T00:00:00Z; rotate it in its vault (Key Vault or HashiCorp Vault) and move expires, or remove it',
      },
    ]);
  });

  test('a secret expiring within the window is a warning with the days left', () => {
    const { errors, warnings } = validityReport(catalogue, { now: new Date('2029-12-22T00:00:00Z'), warnWithinDays: 30 });
    expect(errors).toEqual([]);
    expect(warnings.map((w) => w.message)).toEqual(['secret "db" expires on 2030-01-01T00:00:00Z, in 10 days']);
    expect(validityReport(catalogue, { now: new Date('2029-12-22T00:00:00Z'), warnWithinDays: 5 }).warnings).toEqual([]);
  });

  test('the window reaches Key Vault: the catalogue validity of a vault secret is found by name', () => {
    expect(validityOfVaultSecret(catalogue, 'alpha--db-password')).toEqual({
      notBefore: '2026-01-01T00:00:00Z',
      expires: '2030-01-01T00:00:00Z',
    });
    expect(validityOfVaultSecret(catalogue, 'registry-password')).toBeUndefined();
  });
});
