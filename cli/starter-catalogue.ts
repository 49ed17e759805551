/**
 * The catalogue `central-secret-store init` writes: one environment, one cluster, one credential, one tenant in
 * YAML and one in TypeScript, and the JSON Schemas editors check the YAML files against. Small enough to read
 * in a minute, complete enough that synth, plan and the stacks work on it unchanged.
 *
 * The TypeScript tenant exports a plain object rather than `defineTenant(...)`: outside the product's
 * repository there is no `tenants/lib` at a path the file could name (the tenant sandbox lets a module import
 * only catalogue files and the product's own `tenants/lib`), and the loader checks the object with the same
 * schema as `defineTenant` would, so nothing is lost but editor completion.
 */
import { catalogueJsonSchemas } from '../tenants/lib/json-schema';

const CLUSTERS = `# yaml-language-server: $schema=./schema/clusters.schema.json
# Environments (one vault each: Azure Key Vault or HashiCorp Vault) and clusters. Each cluster is one Pulumi
# stack of the same name. Replace the placeholders with your own vault, Entra tenant and cluster.
environments:
  - name: prod
    keyVault:
      name: kv-my-secrets                           # the Key Vault (3-24 letters, digits and dashes)
      tenantId: 00000000-0000-4000-8000-000000000000 # your Entra ID tenant
clusters:
  - name: aks-prod
    environment: prod
    kind: aks                                       # aks (workload identity) or generic (service principal)
    region: westeurope
`;

const CREDENTIALS = `# yaml-language-server: $schema=./schema/credentials.schema.json
# Shared credentials: Key Vault secret names (never values) and the tenants allowed to request them.
credentials:
  - name: registry-pull
    kind: docker-registry
    registries: [ghcr.io]
    keyVault: { username: registry-pull-username, password: registry-pull-password }
    allowedTenants: [web, api]
`;

const WEB = `# yaml-language-server: $schema=../schema/tenant.schema.json
# A tenant: who owns it and, per cluster, its namespaces and what each requests.
name: web
description: The web front end
owners:
  - { kind: Group, name: web-team }
clusters:
  aks-prod:
    namespaces:
      - name: web
        requests: [registry-pull]
`;

const API = `// A tenant in TypeScript: the same fields as a YAML tenant, checked by the same schema when the catalogue
// loads. It exports a plain object: a tenant module runs in a sandbox that lets it import only files of this
// catalogue folder (and, in the product's own repository, its tenants/lib with defineTenant).
export default {
  name: 'api',
  description: 'The public API',
  owners: [{ kind: 'Group', name: 'api-team' }],
  clusters: {
    'aks-prod': {
      namespaces: [{ name: 'api', requests: ['registry-pull'] }],
    },
  },
};
`;

/** Path inside the catalogue folder -> content, in the order they are listed. */
export function starterCatalogue(): Readonly<Record<string, string>> {
  const schemas = Object.fromEntries(Object.entries(catalogueJsonSchemas()).map(([file, schema]) => [`schema/${file}`, `${JSON.stringify(schema, null, 2)}\n`]));
  return { 'clusters.yaml': CLUSTERS, 'credentials.yaml': CREDENTIALS, 'teams/web.yaml': WEB, 'teams/api.ts': API, ...schemas };
}
