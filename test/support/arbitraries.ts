/**
 * fast-check generators of valid catalogues: random clusters, credentials of every kind with random formats,
 * tenants, namespaces and requests, built so that every catalogue passes validation.
 */
import fc from 'fast-check';
import { CANARY_TENANT } from '@central-secret-store/constructs/vocabulary';
import {
  type Catalogue,
  type Credential,
  type Tenant,
  clusterSchema,
  credentialSchema,
  environmentSchema,
  ownSecretSchema,
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
  return { ...credential, vault: Object.fromEntries(Object.keys(keyVault).map((k) => [k, `${credential.name as string}#${k}`])) };
}

/** Namespaces that receive a registry's dockerconfigjson set it on their ServiceAccounts (one or two of them). */
function pullSecretsFor(requests: readonly string[], credentials: readonly Credential[], index: number) {
  const pullable = credentials.filter(
    (c) => requests.includes(c.name) && c.kind === 'docker-registry' && c.formats?.some((f) => f.type === 'dockerconfigjson'),
  );
  if (pullable.length === 0) return {};
  return {
    imagePullSecrets: pullable.map((c) => ({
      credential: c.name,
      serviceAccounts: index % 2 === 0 ? ['default'] : ['default', 'builder'],
    })),
  };
}

function credentialArb(name: string, tenants: string[], vault: boolean): fc.Arbitrary<Credential> {
  const allowed = subset(tenants, 1);
  const kv = (k: string) => `${name}-${k}`;
  const kinds = {
    registry: fc
      .record({
        allowed,
        formats: subset(['dockerconfigjson', 'kargo', 'argocd', 'basic-auth', 'opaque'] as const, 1),
        registries: subset(['ghcr.io', 'docker.io', 'r.azurecr.io'], 1),
      })
      .map((r) => ({
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
    oauth: allowed.map((a) => ({
      name,
      kind: 'oauth',
      issuerUrl: 'https://login.example/',
      keyVault: { clientId: kv('id'), clientSecret: kv('secret') },
      allowedTenants: a,
    })),
    tls: fc.record({ allowed, bundle: fc.boolean(), mapping: fc.boolean() }).map((r) => ({
      name,
      kind: 'tls',
      keyVault: r.bundle ? { bundle: kv('pem') } : { 'tls.crt': kv('crt'), 'tls.key': kv('key') },
      allowedTenants: r.allowed,
      formats: [
        { type: 'tls' },
        ...(r.mapping && !r.bundle
          ? [
              {
                type: 'mapping',
                secretType: 'kubernetes.io/tls',
                keys: [
                  { from: 'tls.crt', to: 'tls.crt' },
                  { from: 'tls.key', to: 'tls.key' },
                ],
              },
            ]
          : []),
      ],
    })),
    generic: allowed.map((a) => ({ name, kind: 'generic', keyVault: { 'api-key': kv('api'), token: kv('token') }, allowedTenants: a })),
  };
  return fc.oneof(...Object.values(kinds)).map((c) => credentialSchema.parse(vault ? withVaultPaths(c) : c));
}

export interface CatalogueArbOptions {
  readonly maxCredentials?: number;
  /** Give namespaces own secrets (kubernetes and workload) and placements global secrets. */
  readonly ownSecrets?: boolean;
  /** Give clusters random deployers instead of the default one. */
  readonly deployers?: boolean;
  /** Also a HashiCorp Vault environment `lab`, in which some clusters are. @default false */
  readonly withVault?: boolean;
}

/**
 * Where an own secret's keys live, in the backend of its cluster's environment: Key Vault secrets in the
 * tenant's vault space (prod), or fields of one path in the tenant's own Vault space (lab).
 */
function ownSecretSource(environment: string, tenant: string, name: string, keys: readonly string[]) {
  return environment === 'lab'
    ? { vault: Object.fromEntries(keys.map((k) => [k, name])) }
    : { keyVault: Object.fromEntries(keys.map((k) => [k, `${tenant}--${name}-${k}`])) };
}

/** Own secrets of one namespace, in the tenant's vault space; workload secrets name their workload. */
function namespaceSecretsArb(tenant: string, cluster: string, environment: string, namespace: string): fc.Arbitrary<unknown[]> {
  const secret = (i: number) =>
    fc
      .record({ workload: fc.boolean(), serviceAccount: fc.constantFrom('app', 'worker'), keys: subset(['password', 'token'], 1) })
      .map((r) => {
        const source = ownSecretSource(environment, tenant, `${namespace}-${i}`, r.keys);
        const name = `own-${i}`;
        return r.workload
          ? {
              name,
              type: 'workload',
              serviceAccount: r.serviceAccount,
              spiffeId: `spiffe://${cluster}.${environment}.local/ns/${namespace}/sa/${r.serviceAccount}`,
              ...source,
            }
          : { name, type: 'kubernetes', ...source };
      });
  return fc.integer({ min: 0, max: 2 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => secret(i))));
}

/** A cluster's deployers: some users and groups, at least one. */
const deployersArb = fc
  .record({ users: subset(['deployer-a', 'deployer-b']), groups: subset(['group-a', 'group-b']) })
  .filter((d) => d.users.length + d.groups.length > 0);

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
                  deployers: options.deployers ? fc.option(deployersArb, { nil: undefined }) : fc.constant(undefined),
                  environment: options.withVault ? fc.constantFrom('prod', 'lab') : fc.constant('prod'),
                  canary: fc.option(
                    fc.record({ enabled: fc.boolean(), namespace: fc.constantFrom('central-secret-store-canary', 'canary-probe') }),
                    { nil: undefined },
                  ),
                })
                .map((c) => ({ name, ...c })),
            ),
          ),
          credentials: fc.tuple(
            ...Array.from({ length: credentialCount }, (_, i) => credentialArb(`cred-${i}`, tenantNames, options.withVault === true)),
          ),
        })
        .chain(({ clusters, credentials }) =>
          fc
            .tuple(
              ...tenantNames.map((tenant) =>
                fc
                  .tuple(
                    ...clusters.map(({ name: cluster, environment }) => {
                      const requests = subset(credentials.filter((c) => c.allowedTenants.includes(tenant)).map((c) => c.name));
                      const namespace = (i: number) =>
                        fc
                          .record({
                            name: fc.constant(`${tenant}-${cluster}-${i}`),
                            requests,
                            secrets: options.ownSecrets
                              ? namespaceSecretsArb(tenant, cluster, environment, `${tenant}-${cluster}-${i}`)
                              : fc.constant([]),
                          })
                          .map((ns) => ({ ...ns, ...pullSecretsFor(ns.requests, credentials, i) }));
                      const globalSecrets = options.ownSecrets
                        ? fc.subarray([
                            {
                              name: 'global-0',
                              type: 'kubernetes',
                              ...ownSecretSource(environment, tenant, `${cluster}-global`, ['value']),
                            },
                          ])
                        : fc.constant([]);
                      return fc
                        .record({ count: fc.integer({ min: 0, max: 3 }), globalSecrets })
                        .chain(({ count, globalSecrets }) =>
                          fc
                            .tuple(...Array.from({ length: count }, (_, i) => namespace(i)))
                            .map((namespaces) => ({ cluster, namespaces, globalSecrets })),
                        );
                    }),
                  )
                  .map((placements): Tenant => {
                    const entries = placements
                      .filter((p) => p.namespaces.length > 0)
                      .map(
                        (p) =>
                          [
                            p.cluster,
                            { namespaces: p.namespaces, ...(p.globalSecrets.length > 0 ? { globalSecrets: p.globalSecrets } : {}) },
                          ] as const,
                      );
                    return tenantSchema.parse({
                      name: tenant,
                      owners: [{ kind: 'Group', name: `${tenant}-owners` }],
                      clusters: Object.fromEntries(entries),
                    });
                  }),
              ),
            )
            .map((tenants): Catalogue => {
              const lab = environmentSchema.parse({
                name: 'lab',
                vault: {
                  address: 'https://vault.lab.example:8200',
                  tenantSpaces,
                  ...(tenantSpaces === 'namespaces' ? { namespace: 'admin' } : {}),
                },
              });
              const catalogue: Catalogue = {
                environments: [
                  ...(options.withVault ? [lab] : []),
                  { name: 'prod', keyVault: { name: 'kv-prop', tenantId: '6f1c2a4e-8b3d-4c5e-9f70-1a2b3c4d5e6f' } },
                ],
                clusters: clusters.map((c) =>
                  clusterSchema.parse({
                    name: c.name,
                    environment: c.environment,
                    kind: c.kind,
                    region: 'r',
                    refreshInterval: c.interval,
                    deployers: c.deployers,
                    canary: c.canary,
                  }),
                ),
                credentials,
                tenants,
                sources: {
                  clusters: 'clusters.yaml',
                  credentials: 'credentials.yaml',
                  tenants: Object.fromEntries(tenants.map((t) => [t.name, `teams/${t.name}.yaml`])),
                },
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
    tenant: fc.option(fc.constantFrom(...TENANTS, 'intruder', CANARY_TENANT), { nil: undefined }),
    requests: subset([...credentials, 'not-a-credential']),
    values: fc.constantFrom('true', 'false', 'TRUE'),
  });
  return fc
    .uniqueArray(fc.tuple(fc.stringMatching(/^[a-z][a-z0-9-]{0,10}[a-z0-9]$/), label), { selector: ([n]) => n, maxLength: 8 })
    .map((list) =>
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

/** The catalogue as plain mutable data, for edits. */
type Draft = {
  environments: Catalogue['environments'][number][];
  clusters: (Catalogue['clusters'][number] & { deployers?: { users: string[]; groups: string[] } })[];
  credentials: (Credential & { allowedTenants: string[] })[];
  tenants: { name: string; owners: unknown[]; clusters: Record<string, { namespaces: DraftNamespace[]; globalSecrets?: unknown[] }> }[];
  sources: Catalogue['sources'];
};

type DraftNamespace = {
  name: string;
  requests?: string[];
  imagePullSecrets?: { credential: string; serviceAccounts: string[] }[];
  secrets?: unknown[];
};

/** Stops requesting a credential, and with it its pull secrets, which only a requested credential may be. */
function dropRequest(namespace: DraftNamespace, credential: string): void {
  namespace.requests = (namespace.requests ?? []).filter((r) => r !== credential);
  namespace.imagePullSecrets = (namespace.imagePullSecrets ?? []).filter((p) => p.credential !== credential);
}

/** One edit a pull request might make; `pick` chooses among the places it applies to. Returns false if none. */
type Edit = (draft: Draft, pick: number) => boolean;

/** Every (tenant, cluster, namespace) of a draft. */
const placedNamespaces = (d: Draft) =>
  d.tenants.flatMap((tenant) =>
    Object.entries(tenant.clusters).flatMap(([cluster, placement]) =>
      placement.namespaces.map((namespace) => ({ tenant, cluster, placement, namespace })),
    ),
  );

const pickFrom = <T>(items: readonly T[], pick: number): T | undefined => (items.length === 0 ? undefined : items[pick % items.length]);

/** Edits that only take access away. */
export const NARROWING_EDITS: Readonly<Record<string, Edit>> = {
  'remove a request': (d, pick) => {
    const found = pickFrom(
      placedNamespaces(d).flatMap((p) => (p.namespace.requests ?? []).map((request) => ({ ...p, request }))),
      pick,
    );
    if (!found) return false;
    dropRequest(found.namespace, found.request);
    return true;
  },
  'remove a namespace': (d, pick) => {
    const found = pickFrom(placedNamespaces(d), pick);
    if (!found) return false;
    found.placement.namespaces = found.placement.namespaces.filter((n) => n !== found.namespace);
    if (found.placement.namespaces.length === 0) delete found.tenant.clusters[found.cluster];
    return true;
  },
  'disallow a tenant': (d, pick) => {
    const found = pickFrom(
      d.credentials.flatMap((credential) =>
        credential.allowedTenants.length > 1 ? credential.allowedTenants.map((tenant) => ({ credential, tenant })) : [],
      ),
      pick,
    );
    if (!found) return false;
    found.credential.allowedTenants = found.credential.allowedTenants.filter((t) => t !== found.tenant);
    for (const p of placedNamespaces(d).filter((p) => p.tenant.name === found.tenant)) dropRequest(p.namespace, found.credential.name);
    return true;
  },
  'remove a pull secret': (d, pick) => {
    const found = pickFrom(
      placedNamespaces(d).flatMap((p) => (p.namespace.imagePullSecrets ?? []).map((entry) => ({ ...p, entry }))),
      pick,
    );
    if (!found) return false;
    found.namespace.imagePullSecrets = found.namespace.imagePullSecrets!.filter((e) => e !== found.entry);
    return true;
  },
  'remove an own secret': (d, pick) => {
    const found = pickFrom(
      placedNamespaces(d).flatMap((p) => (p.namespace.secrets ?? []).map((secret) => ({ ...p, secret }))),
      pick,
    );
    if (!found) return false;
    found.namespace.secrets = found.namespace.secrets!.filter((s) => s !== found.secret);
    return true;
  },
};

/** Edits that grant something (or, where they repeat what is there, nothing). */
export const WIDENING_EDITS: Readonly<Record<string, Edit>> = {
  'add a request': (d, pick) => {
    const found = pickFrom(
      placedNamespaces(d).flatMap((p) =>
        d.credentials
          .filter((c) => c.allowedTenants.includes(p.tenant.name) && !(p.namespace.requests ?? []).includes(c.name))
          .map((credential) => ({ ...p, credential })),
      ),
      pick,
    );
    if (!found) return false;
    found.namespace.requests = [...(found.namespace.requests ?? []), found.credential.name];
    return true;
  },
  'allow a tenant': (d, pick) => {
    const found = pickFrom(
      d.credentials.flatMap((credential) =>
        d.tenants.filter((t) => !credential.allowedTenants.includes(t.name)).map((tenant) => ({ credential, tenant })),
      ),
      pick,
    );
    if (!found) return false;
    found.credential.allowedTenants = [...found.credential.allowedTenants, found.tenant.name];
    return true;
  },
  'add a namespace': (d, pick) => {
    const found = pickFrom(
      d.tenants.flatMap((tenant) => d.clusters.map((cluster) => ({ tenant, cluster: cluster.name }))),
      pick,
    );
    if (!found) return false;
    const placement = (found.tenant.clusters[found.cluster] ??= { namespaces: [] });
    const name = `${found.tenant.name}-${found.cluster}-new${placement.namespaces.length}`;
    if (placement.namespaces.some((n) => n.name === name)) return false;
    const requests = d.credentials
      .filter((c, i) => c.allowedTenants.includes(found.tenant.name) && ((pick >> i) & 1) === 1)
      .map((c) => c.name);
    placement.namespaces.push({ name, requests });
    return true;
  },
  'add an own secret': (d, pick) => {
    const found = pickFrom(
      placedNamespaces(d).filter((p) => !(p.namespace.secrets ?? []).some((s: any) => s.name === 'own-new')),
      pick,
    );
    if (!found) return false;
    const environment = d.clusters.find((c) => c.name === found.cluster)!.environment;
    const source = ownSecretSource(environment, found.tenant.name, `${found.namespace.name}-new`, ['token']);
    found.namespace.secrets = [
      ...(found.namespace.secrets ?? []),
      ownSecretSchema.parse({ name: 'own-new', type: 'kubernetes', ...source }),
    ];
    return true;
  },
  'pull with one more ServiceAccount': (d, pick) => {
    const found = pickFrom(
      placedNamespaces(d).flatMap((p) => (p.namespace.imagePullSecrets ?? []).filter((e) => !e.serviceAccounts.includes('new-sa'))),
      pick,
    );
    if (!found) return false;
    found.serviceAccounts = [...found.serviceAccounts, 'new-sa'];
    return true;
  },
  'add an owner': (d, pick) => {
    const tenant = pickFrom(d.tenants, pick) as { owners: { kind: string; name: string }[] } | undefined;
    if (!tenant || tenant.owners.some((o) => o.name === 'new-owners')) return false;
    tenant.owners = [...tenant.owners, { kind: 'Group', name: 'new-owners' }];
    return true;
  },
  'send a registry credential to one more registry': (d, pick) => {
    const credential = pickFrom(
      d.credentials.filter((c) => c.kind === 'docker-registry' && !c.registries.includes('new.registry.example')),
      pick,
    );
    if (!credential || credential.kind !== 'docker-registry') return false;
    (credential as { registries: string[] }).registries = [...credential.registries, 'new.registry.example'];
    return true;
  },
  'change deployers': (d, pick) => {
    const cluster = pickFrom(d.clusters, pick);
    if (!cluster) return false;
    cluster.deployers = pick % 2 === 0 ? { users: ['deployer-new'], groups: [] } : { users: [], groups: ['group-new', 'group-a'] };
    return true;
  },
};

/** A catalogue after a few random edits from `edits`, still valid. */
export function editedCatalogueArb(base: Catalogue, edits: Readonly<Record<string, Edit>>): fc.Arbitrary<Catalogue> {
  return fc.array(fc.tuple(fc.constantFrom(...Object.keys(edits)), fc.nat()), { minLength: 1, maxLength: 4 }).map((steps) => {
    const draft = structuredClone(base) as unknown as Draft;
    for (const [edit, pick] of steps) edits[edit](draft, pick);
    const head = draft as unknown as Catalogue;
    const issues = validateCatalogue(head);
    if (issues.length > 0) throw new Error(`edits ${JSON.stringify(steps)} made an invalid catalogue: ${JSON.stringify(issues)}`);
    return head;
  });
}
