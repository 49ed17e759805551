/**
 * A small valid catalogue as plain data, written to a temporary folder as YAML, for tests that break one
 * thing at a time and check the error that comes back.
 */
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { CatalogueError, type CatalogueIssue, loadCatalogue } from '../../tenants/lib';
import { tempDir } from './temp-dir';

export interface FixtureCatalogue {
  clusters: { environments: unknown[]; clusters: Record<string, unknown>[] };
  credentials: { credentials: Record<string, unknown>[] };
  teams: Record<string, Record<string, unknown>>;
}

export function validFixture(): FixtureCatalogue {
  return {
    clusters: {
      environments: [{ name: 'prod', keyVault: { name: 'kv-fixture', tenantId: '6f1c2a4e-8b3d-4c5e-9f70-1a2b3c4d5e6f' } }],
      clusters: [{ name: 'c1', environment: 'prod', kind: 'aks', region: 'westeurope' }],
    },
    credentials: {
      credentials: [
        {
          name: 'registry',
          kind: 'docker-registry',
          registries: ['ghcr.io'],
          keyVault: { username: 'registry-username', password: 'registry-password' },
          allowedTenants: ['alpha'],
        },
      ],
    },
    teams: {
      alpha: {
        name: 'alpha',
        owners: [{ kind: 'Group', name: 'alpha-admins' }],
        clusters: {
          c1: {
            namespaces: [
              {
                name: 'alpha-app',
                requests: ['registry'],
                secrets: [
                  {
                    name: 'db',
                    type: 'kubernetes',
                    keyVault: { password: 'alpha--db-password' },
                    notBefore: '2026-01-01T00:00:00Z',
                    expires: '2030-01-01T00:00:00Z',
                  },
                  {
                    name: 'signing',
                    type: 'workload',
                    serviceAccount: 'signer',
                    spiffeId: 'spiffe://c1.prod.local/ns/alpha-app/sa/signer',
                    keyVault: { key: 'alpha--signing-key' },
                  },
                ],
              },
            ],
          },
        },
      },
      beta: {
        name: 'beta',
        owners: [{ kind: 'User', name: 'beta@example.com' }],
        clusters: { c1: { namespaces: [{ name: 'beta-app' }] } },
      },
    },
  };
}

/**
 * The valid fixture plus a HashiCorp Vault environment `lab` (a KV v2 mount per tenant, or with `namespaces`
 * a Vault Enterprise namespace per tenant under `admin`) with clusters v1 and v2, on which alpha and beta
 * have namespaces and alpha own secrets by Vault path; the registry credential names its master in both
 * backends.
 */
export function vaultFixture(tenantSpaces: 'mounts' | 'namespaces' = 'mounts'): FixtureCatalogue {
  const fixture = validFixture();
  fixture.clusters.environments.push({
    name: 'lab',
    vault: { address: 'https://vault.lab.example:8200', tenantSpaces, ...(tenantSpaces === 'namespaces' ? { namespace: 'admin' } : {}) },
  });
  fixture.clusters.clusters.push(
    { name: 'v1', environment: 'lab', kind: 'generic', region: 'lab' },
    { name: 'v2', environment: 'lab', kind: 'aks', region: 'westeurope' },
  );
  fixture.credentials.credentials[0].vault = { username: 'registry', password: 'registry#token' };
  const alpha = fixture.teams.alpha.clusters as Record<string, unknown>;
  alpha.v1 = {
    namespaces: [
      {
        name: 'alpha-lab',
        requests: ['registry'],
        secrets: [{ name: 'db', type: 'kubernetes', vault: { username: 'db', password: 'db#pw' }, expires: '2030-01-01T00:00:00Z' }],
      },
    ],
    globalSecrets: [{ name: 'flags', type: 'kubernetes', vault: { 'flags.json': 'app/flags#json' } }],
  };
  alpha.v2 = { namespaces: [{ name: 'alpha-lab', requests: ['registry'] }] };
  (fixture.teams.beta.clusters as Record<string, unknown>).v1 = { namespaces: [{ name: 'beta-lab' }] };
  return fixture;
}

/** Writes the fixture as a catalogue folder and returns its path. */
export function writeFixture(fixture: FixtureCatalogue): string {
  const dir = tempDir('css-catalogue-');
  writeFileSync(join(dir, 'clusters.yaml'), stringify(fixture.clusters));
  writeFileSync(join(dir, 'credentials.yaml'), stringify(fixture.credentials));
  mkdirSync(join(dir, 'teams'));
  for (const [name, tenant] of Object.entries(fixture.teams)) {
    writeFileSync(join(dir, 'teams', `${name}.yaml`), stringify(tenant));
  }
  return dir;
}

/** Loads a catalogue folder and returns its issues, [] when it is valid. */
export function catalogueIssues(dir: string): CatalogueIssue[] {
  try {
    loadCatalogue(dir);
    return [];
  } catch (error) {
    if (error instanceof CatalogueError) return [...error.issues];
    throw error;
  }
}

/**
 * The Vault fixture broken by `mutate`, loaded: the whole error text (what synth and plan print) and each issue
 * as `path: message`, or empty when it loads.
 */
export function vaultFixtureError(mutate: (f: FixtureCatalogue) => void): { text: string; issues: string[] } {
  const fixture = vaultFixture();
  mutate(fixture);
  try {
    loadCatalogue(writeFixture(fixture));
    return { text: '', issues: [] };
  } catch (error) {
    if (!(error instanceof CatalogueError)) throw error;
    return { text: error.message, issues: error.issues.map((i) => `${i.path}: ${i.message}`) };
  }
}

/**
 * The tests' own copy of the example catalogue (YAML tenants and one TypeScript tenant importing the product's
 * `tenants/lib`). Tests read this, never the example catalogue folder: it is the user's catalogue, which they edit, and
 * a test that reads it would fail on their first change.
 */
export const FIXTURE_CATALOGUE_DIR = join(__dirname, '..', 'fixtures', 'catalogue');

/**
 * Copies the fixture catalogue into `<repo>/tenants` the way a user's repository holds its catalogue: with a
 * copy of the product's library at `tenants/lib` and the constructs' modules it imports at `constructs/src`,
 * and the TypeScript tenant importing `../lib/define`, as a fork from before `central-secret-store/catalogue` does. A copy, not a link: a link out
 * of the catalogue folder keeps TypeScript tenants from running. Returns `<repo>/tenants`.
 */
export function copyFixtureAsRepository(repo: string): string {
  const catalogue = join(repo, 'tenants');
  cpSync(FIXTURE_CATALOGUE_DIR, catalogue, { recursive: true });
  cpSync(join(__dirname, '..', '..', 'tenants', 'lib'), join(catalogue, 'lib'), { recursive: true });
  cpSync(join(__dirname, '..', '..', 'constructs', 'src'), join(repo, 'constructs', 'src'), { recursive: true });
  const search = join(catalogue, 'teams', 'search.ts');
  writeFileSync(search, readFileSync(search, 'utf8').replace("from 'central-secret-store/catalogue'", "from '../lib/define'"));
  return catalogue;
}
