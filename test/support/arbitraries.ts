/**
 * fast-check generators of valid catalogues: random clusters, credentials of every kind with random formats,
 * tenants, namespaces and requests, built so that every catalogue passes validation.
 */
import fc from 'fast-check';
import {
  type Catalogue,
  type Credential,
  type Tenant,
  clusterSchema,
  credentialSchema,
  environmentSchema,
  tenantSchema,
  validateCatalogue,
} from '../../tenants/lib';

const TENANTS = ['alpha', 'beta', 'gamma', 'delta'];
const CLUSTERS = ['c-one', 'c-two', 'c-three'];
const INTERVALS = ['30s', '1m', '2m', '5m', '10m'];

const subset = <T>(items: readonly T[], min = 0) => fc.subarray([...items], { minLength: Math.min(min, items.length) });

/** Adds Vault paths for every Key Vault name, so the credential can be offered in either backend. */
function withVaultPaths(credential: Record<string, unknown>): Record<string, unknown> {
  const keyVault = credential.keyVault as Record<string, string>;
  return { ...credential, vault: Object.fromEntries(Object.keys(keyVault).map((k) => [k, `${credential.name}#${k}`])) };
}

/** Namespaces that receive a registry's dockerconfigjson set it on their ServiceAccounts (one or two of them). */
function pullSecretsFor(requests: readonly string[], credentials: readonly Credential[], index: number) {
  const pullable = credentials.filter((c) => requests.includes(c.name) && c.kind === 'docker-registry' && c.formats?.some((f) => f.type === 'dockerconfigjson'));
  if (pullable.length === 0) return {};
  return { imagePullSecrets: pullable.map((c) => ({ credential: c.name, serviceAccounts: index % 2 === 0 ? ['default'] : ['default', 'builder'] })) };
}

function credentialArb(name: string, tenants: string[], vault: boolean): fc.Arbitrary<Credential> {
  const allowed = subset(tenants, 1);
  const kv = (k: string) => `${name}-${k}`;
  const kinds = {
    registry: fc.record({ allowed, formats: subset(['dockerconfigjson', 'kargo', 'argocd', 'basic-auth', 'opaque'] as const, 1), registries: subset(['ghcr.io', 'docker.io', 'r.azurecr.io'], 1) }).map((r) => ({
      name,
      kind: 'docker-registry',
      registries: r.registries,
      keyVault: { username: kv('user'), password: kv('pass') },
      allowedTenants: r.allowed,
      formats: r.formats.map((type) => ({ type })),
    })),
    git: fc.record({ allowed, ssh: fc.boolean(), formats: subset(['argocd', 'kargo', 'opaque'] as const) }).map((r) => ({
      name,
      kind: 'git',
      url: `https://git.example/${name}`,
      keyVault: r.ssh ? { sshPrivateKey: kv('key') } : { username: kv('user'), password: kv('pass') },
      allowedTenants: r.allowed,
      formats: [{ type: r.ssh ? 'ssh-auth' : 'basic-auth' }, ...r.formats.map((type) => ({ type }))],
    })),
    oauth: allowed.map((a) => ({ name, kind: 'oauth', issuerUrl: 'https://login.example/', keyVault: { clientId: kv('id'), clientSecret: kv('secret') }, allowedTenants: a })),
    tls: fc.record({ allowed, bundle: fc.boolean(), mapping: fc.boolean() }).map((r) => ({
      name,
      kind: 'tls',
      keyVault: r.bundle ? { bundle: kv('pem') } : { 'tls.crt': kv('crt'), 'tls.key': kv('key') },
      allowedTenants: r.allowed,
      formats: [{ type: 'tls' }, ...(r.mapping && !r.bundle ? [{ type: 'mapping', secretType: 'kubernetes.io/tls', keys: [{ from: 'tls.crt', to: 'tls.crt' }, { from: 'tls.key', to: 'tls.key' }] }] : [])],
    })),
    generic: allowed.map((a) => ({ name, kind: 'generic', keyVault: { 'api-key': kv('api'), token: kv('token') }, allowedTenants: a })),
  };
  return fc.oneof(...Object.values(kinds)).map((c) => credentialSchema.parse(vault ? withVaultPaths(c) : c));
}

export interface CatalogueArbOptions {
  readonly maxCredentials?: number;
  /** Also a HashiCorp Vault environment `lab`, in which some clusters are. @default false */
  readonly withVault?: boolean;
}

/** A random valid catalogue. */
export function catalogueArb(options: CatalogueArbOptions = {}): fc.Arbitrary<Catalogue> {
  return fc
    .record({
      clusterNames: subset(CLUSTERS, 1),
      tenantNames: subset(TENANTS, 1),
      tenantSpaces: fc.constantFrom('mounts', 'namespaces'),
      credentialCount: fc.integer({ min: 1, max: options.maxCredentials ?? 5 }),
      seed: fc.integer(),
    })
    .chain(({ clusterNames, tenantNames, credentialCount, tenantSpaces }) =>
      fc
        .record({
          clusters: fc.tuple(
            ...clusterNames.map((name) =>
              fc
                .record({
                  kind: fc.constantFrom('aks', 'generic'),
                  interval: fc.option(fc.constantFrom(...INTERVALS), { nil: undefined }),
                  environment: options.withVault ? fc.constantFrom('prod', 'lab') : fc.constant('prod'),
                })
                .map((c) => ({ name, ...c })),
            ),
          ),
          credentials: fc.tuple(...Array.from({ length: credentialCount }, (_, i) => credentialArb(`cred-${i}`, tenantNames, options.withVault === true))),
        })
        .chain(({ clusters, credentials }) =>
          fc
            .tuple(
              ...tenantNames.map((tenant) =>
                fc
                  .tuple(
                    ...clusterNames.map((cluster) =>
                      fc.array(subset(credentials.filter((c) => c.allowedTenants.includes(tenant)).map((c) => c.name)), { maxLength: 3 }).map((requests) => ({ cluster, requests })),
                    ),
                  )
                  .map((placements): Tenant => {
                    const entries = placements
                      .filter((p) => p.requests.length > 0)
                      .map((p) => [p.cluster, { namespaces: p.requests.map((r, i) => ({ name: `${tenant}-${p.cluster}-${i}`, requests: r, ...pullSecretsFor(r, credentials, i) })) }] as const);
                    return tenantSchema.parse({ name: tenant, owners: [{ kind: 'Group', name: `${tenant}-owners` }], clusters: Object.fromEntries(entries) });
                  }),
              ),
            )
            .map((tenants): Catalogue => {
              const lab = environmentSchema.parse({ name: 'lab', vault: { address: 'https://vault.lab.example:8200', tenantSpaces, ...(tenantSpaces === 'namespaces' ? { namespace: 'admin' } : {}) } });
              const catalogue: Catalogue = {
                environments: [...(options.withVault ? [lab] : []), { name: 'prod', keyVault: { name: 'kv-prop', tenantId: '6f1c2a4e-8b3d-4c5e-9f70-1a2b3c4d5e6f' } }],
                clusters: clusters.map((c) => clusterSchema.parse({ name: c.name, environment: c.environment, kind: c.kind, region: 'r', refreshInterval: c.interval })),
                credentials,
                tenants,
                sources: { clusters: 'clusters.yaml', credentials: 'credentials.yaml', tenants: Object.fromEntries(tenants.map((t) => [t.name, `teams/${t.name}.yaml`])) },
              };
              const issues = validateCatalogue(catalogue);
              if (issues.length > 0) throw new Error(`generated an invalid catalogue: ${JSON.stringify(issues)}`);
              return catalogue;
            }),
        ),
    );
}

/** Random namespaces with random tenant and request labels, including foreign tenants and unknown credentials. */
export function namespaceLabelsArb(credentials: readonly string[]): fc.Arbitrary<{ name: string; labels: Record<string, string> }[]> {
  const label = fc.record({
    tenant: fc.option(fc.constantFrom(...TENANTS, 'intruder'), { nil: undefined }),
    requests: subset([...credentials, 'not-a-credential']),
    values: fc.constantFrom('true', 'false', 'TRUE'),
  });
  return fc.uniqueArray(fc.tuple(fc.stringMatching(/^[a-z][a-z0-9-]{0,10}[a-z0-9]$/), label), { selector: ([n]) => n, maxLength: 8 }).map((list) =>
    list.map(([name, l]) => ({
      name,
      labels: {
        'kubernetes.io/metadata.name': name,
        ...(l.tenant ? { 'central-secret-store.io/tenant': l.tenant } : {}),
        ...Object.fromEntries(l.requests.map((r) => [`secrets/${r}`, l.values])),
      },
    })),
  );
}
