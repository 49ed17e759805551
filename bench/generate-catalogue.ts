/**
 * Writes a synthetic catalogue of a given size as YAML files, shaped like the example: every credential kind,
 * tenants spread over clusters, namespaces requesting several credentials and holding own secrets.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';

export interface CatalogueSize {
  readonly clusters: number;
  readonly tenants: number;
  readonly namespaces: number;
  readonly credentials: number;
}

const KINDS = ['docker-registry', 'git', 'oauth', 'tls', 'generic'] as const;

function credential(i: number, tenants: string[]) {
  const name = `cred-${i}`;
  const kind = KINDS[i % KINDS.length];
  const kv = (k: string) => `${name}-${k}`;
  const base = { name, allowedTenants: tenants };
  switch (kind) {
    case 'docker-registry':
      return {
        ...base,
        kind,
        registries: [`registry${i}.example`],
        keyVault: { username: kv('user'), password: kv('password') },
        formats: [{ type: 'dockerconfigjson' }, { type: 'kargo' }],
      };
    case 'git':
      return {
        ...base,
        kind,
        url: `https://git.example/${name}`,
        keyVault: { username: kv('user'), password: kv('token') },
        formats: [{ type: 'basic-auth' }, { type: 'argocd' }],
      };
    case 'oauth':
      return { ...base, kind, issuerUrl: 'https://login.example/', keyVault: { clientId: kv('id'), clientSecret: kv('secret') } };
    case 'tls':
      return { ...base, kind, keyVault: { 'tls.crt': kv('crt'), 'tls.key': kv('key') } };
    case 'generic':
      return { ...base, kind, keyVault: { token: kv('token') } };
  }
}

export function writeCatalogue(dir: string, size: CatalogueSize): void {
  const clusters = Array.from({ length: size.clusters }, (_, i) => ({
    name: `cluster-${i}`,
    environment: i % 2 === 0 ? 'prod' : 'staging',
    kind: i % 5 === 4 ? 'generic' : 'aks',
    region: 'westeurope',
  }));
  const tenants = Array.from({ length: size.tenants }, (_, i) => `tenant-${i}`);
  const credentials = Array.from({ length: size.credentials }, (_, i) => credential(i, tenants));
  mkdirSync(join(dir, 'teams'), { recursive: true });
  const tenantId = '6f1c2a4e-8b3d-4c5e-9f70-1a2b3c4d5e6f';
  writeFileSync(
    join(dir, 'clusters.yaml'),
    stringify({
      environments: [
        { name: 'prod', keyVault: { name: 'kv-bench-prod', tenantId } },
        { name: 'staging', keyVault: { name: 'kv-bench-staging', tenantId } },
      ],
      clusters,
    }),
  );
  writeFileSync(join(dir, 'credentials.yaml'), stringify({ credentials }));
  const perTenant = Math.ceil(size.namespaces / size.tenants);
  tenants.forEach((tenant, t) => {
    const placements: Record<string, { namespaces: unknown[] }> = {};
    for (let n = 0; n < perTenant && t * perTenant + n < size.namespaces; n++) {
      const index = t * perTenant + n;
      const cluster = clusters[index % clusters.length].name;
      placements[cluster] ??= { namespaces: [] };
      placements[cluster].namespaces.push({
        name: `${tenant}-ns-${n}`,
        requests: credentials.filter((_, c) => (index + c) % 3 === 0).map((c) => c.name),
        secrets: [{ name: 'app-config', type: 'kubernetes', keyVault: { config: `${tenant}--config-${n}` } }],
      });
    }
    writeFileSync(
      join(dir, 'teams', `${tenant}.yaml`),
      stringify({ name: tenant, owners: [{ kind: 'Group', name: `${tenant}-admins` }], clusters: placements }),
    );
  });
}
