/**
 * The catalogue `central-secret-store init` writes: one environment, one cluster, one credential, one tenant in
 * YAML and one in TypeScript, and the JSON Schemas editors check the YAML files against. Small enough to read
 * in a minute, complete enough that synth, plan and the stacks work on it unchanged.
 *
 * The TypeScript tenant imports `defineTenant` from `central-secret-store/catalogue` (CATALOGUE_MODULE), which
 * the tenant loader resolves to the product that loads the catalogue, from any folder.
 */
import { CATALOGUE_MODULE } from '../../tenants/lib/define';
import { catalogueJsonSchemas } from '../../tenants/lib/json-schema';

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
// loads. The loader resolves ${CATALOGUE_MODULE} to the product that loads the catalogue; for completion in
// an editor, install the product beside the catalogue (npm install --save-dev <the product's repository>).
import { defineTenant } from '${CATALOGUE_MODULE}';

export default defineTenant({
  name: 'api',
  description: 'The public API',
  owners: [{ kind: 'Group', name: 'api-team' }],
  clusters: {
    'aks-prod': {
      namespaces: [{ name: 'api', requests: ['registry-pull'] }],
    },
  },
});
`;

/** Path inside the catalogue folder -> content, in the order they are listed. */
export function starterCatalogue(): Readonly<Record<string, string>> {
  const schemas = Object.fromEntries(
    Object.entries(catalogueJsonSchemas()).map(([file, schema]) => [`schema/${file}`, `${JSON.stringify(schema, null, 2)}\n`]),
  );
  return { 'clusters.yaml': CLUSTERS, 'credentials.yaml': CREDENTIALS, 'teams/web.yaml': WEB, 'teams/api.ts': API, ...schemas };
}
