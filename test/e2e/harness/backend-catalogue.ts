/**
 * The catalogue every backend of the shared cases serves (backend-under-test.ts), written as YAML files so that
 * it is loaded as users' catalogues are. A backend says where each value lives (`references`); the tenants,
 * namespaces, credentials and formats are the same for all.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { type Catalogue, loadCatalogue } from '../../../tenants/lib';

export const BACKEND_CLUSTER = 'backend-e2e';

/** Which namespaces request which credentials, per tenant, and each tenant's own secret. */
export const BACKEND_TENANTS = {
  data: {
    admins: 'data-admins',
    namespace: 'data-api',
    requests: ['registry', 'rotation'],
    own: { name: 'postgres', keys: ['username', 'password'], secretType: 'kubernetes.io/basic-auth' },
  },
  'data-science': {
    admins: 'data-science-leads',
    namespace: 'ds-train',
    requests: ['registry'],
    own: { name: 'feature-store', keys: ['token'], secretType: undefined },
  },
} as const;

export type BackendTenant = keyof typeof BACKEND_TENANTS;

/** The shared credentials, with their keys and who may have them. */
export const BACKEND_CREDENTIALS = {
  registry: { kind: 'docker-registry', registries: ['ghcr.io'], keys: ['username', 'password'], allowedTenants: ['data', 'data-science'] },
  rotation: { kind: 'generic', keys: ['token'], allowedTenants: ['data'] },
} as const;

export type BackendCredential = keyof typeof BACKEND_CREDENTIALS;

export interface BackendReferences {
  /** The environment's vault settings: `{ keyVault: ... }` or `{ vault: ... }`. */
  readonly environment: Record<string, unknown>;
  /** The catalogue field that holds references (`keyVault` or `vault`). */
  readonly field: 'keyVault' | 'vault';
  /** Where a shared credential's key lives. */
  shared(credential: BackendCredential, key: string): string;
  /** Where a tenant's own secret's key lives. */
  own(tenant: BackendTenant, secret: string, key: string): string;
}

/** Writes the catalogue into `dir` and loads it. */
export function writeBackendCatalogue(dir: string, refs: BackendReferences): Catalogue {
  mkdirSync(join(dir, 'teams'), { recursive: true });
  const write = (file: string, content: unknown) => writeFileSync(join(dir, file), stringify(content));
  write('clusters.yaml', {
    environments: [{ name: 'backend-e2e', ...refs.environment }],
    clusters: [
      {
        name: BACKEND_CLUSTER,
        environment: 'backend-e2e',
        kind: 'generic',
        region: 'local',
        refreshInterval: '10s',
        trustDomain: 'e2e.local',
        deployers: { groups: ['central-secret-store-deployers'] },
      },
    ],
  });
  write('credentials.yaml', {
    credentials: Object.entries(BACKEND_CREDENTIALS).map(([name, c]) => ({
      name,
      kind: c.kind,
      ...('registries' in c ? { registries: [...c.registries] } : {}),
      [refs.field]: Object.fromEntries(c.keys.map((key) => [key, refs.shared(name as BackendCredential, key)])),
      allowedTenants: [...c.allowedTenants],
    })),
  });
  for (const [tenant, t] of Object.entries(BACKEND_TENANTS)) {
    write(`teams/${tenant}.yaml`, {
      name: tenant,
      owners: [{ kind: 'Group', name: t.admins }],
      clusters: {
        [BACKEND_CLUSTER]: {
          namespaces: [
            {
              name: t.namespace,
              requests: [...t.requests],
              secrets: [
                {
                  name: t.own.name,
                  type: 'kubernetes',
                  ...(t.own.secretType ? { secretType: t.own.secretType } : {}),
                  [refs.field]: Object.fromEntries(t.own.keys.map((key) => [key, refs.own(tenant as BackendTenant, t.own.name, key)])),
                  expires: '2030-01-01T00:00:00Z',
                },
              ],
            },
          ],
        },
      },
    });
  }
  return loadCatalogue(dir);
}
