/**
 * The access model against what enforces it: every grant `accessGrants` derives from a catalogue must be
 * exactly what the synthesized objects give, read the way ESO and the API server read them (selectors, store
 * conditions, Roles, the admission policy's exemptions), on the example and on random catalogues.
 */
import { X509Certificate } from 'node:crypto';
import fc from 'fast-check';
import { CANARY_TENANT, TENANT_LABEL } from '../../constructs/src';
import type { KubeObject } from '../../plane';
import {
  type Catalogue,
  CENTRAL_NAMESPACE,
  type Grant,
  NAMESPACE_LABEL_POLICY,
  TENANT_OWNER_BINDING,
  TENANT_OWNER_ROLE,
  accessGrants,
  grantKey,
  loadCatalogue,
} from '../../tenants/lib';
import { catalogueArb } from '../support/arbitraries';
import { type NamespaceView, cesSelects, storeAdmits } from '../support/selectors';
import { namespaceViews, ofKind, synthesizeAll } from '../support/synth';
import { FIXTURE_CATALOGUE_DIR } from '../support/fixture-catalogue';

/** The values of a CEL list literal of strings, `['a', 'b\\'c']`. */
function celStrings(list: string): string[] {
  return [...list.matchAll(/'((?:[^'\\]|\\.)*)'/g)].map((m) => m[1].replace(/\\(.)/g, '$1'));
}

/** A literal of a Secret template, `{{ "text" }}`, as its text. */
function templateLiteral(template: string | undefined): string | undefined {
  const match = template === undefined ? null : /^\{\{ ("(?:[^"\\]|\\.)*") \}\}$/.exec(template);
  return match ? JSON.parse(match[1]) : undefined;
}

/**
 * Where a distributed Secret sends its credential, read from the template the way its consumer reads the
 * Secret: the registries of a dockerconfigjson, Argo CD's and Kargo's repository URL and type labels, the
 * OAuth URLs.
 */
function destinationsOfTemplate(template: any): { via: string; url: string }[] {
  const data = template.data ?? {};
  const labels = template.metadata?.labels ?? {};
  if (template.type === 'kubernetes.io/dockerconfigjson') {
    return [...String(data['.dockerconfigjson']).matchAll(/("(?:[^"\\]|\\.)*") \$auth/g)].map((m) => ({
      via: 'registry',
      url: JSON.parse(m[1]),
    }));
  }
  if (labels['argocd.argoproj.io/secret-type'])
    return [{ via: `argocd-${labels['argocd.argoproj.io/secret-type']}`, url: templateLiteral(data.url)! }];
  if (labels['kargo.akuity.io/cred-type'])
    return [{ via: `kargo-${labels['kargo.akuity.io/cred-type']}`, url: templateLiteral(data.repoURL)! }];
  return [
    ...(data['issuer-url'] ? [{ via: 'oauth-issuer', url: templateLiteral(data['issuer-url'])! }] : []),
    ...(data['token-url'] ? [{ via: 'oauth-token', url: templateLiteral(data['token-url'])! }] : []),
  ];
}

/** The authorities of a store's base64 CA bundle, as the model names them. */
function authoritiesOf(caBundle: string | undefined): (string | null)[] {
  if (caBundle === undefined) return [null];
  const pem = Buffer.from(caBundle, 'base64').toString('utf8');
  return [...pem.matchAll(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g)].map(([block]) => {
    const certificate = new X509Certificate(block);
    return `${certificate.subject.split('\n').reverse().join(', ')} (SHA-256 ${certificate.fingerprint256})`;
  });
}

/** The grants one cluster's objects make, read from the objects alone. */
function grantsOfObjects(cluster: string, objects: readonly KubeObject[], tenantNames: readonly string[]): Grant[] {
  const grants: Grant[] = [];
  const namespaces = namespaceViews(objects).filter((n) => TENANT_LABEL in n.labels);
  const stores = new Map(ofKind(objects, 'ClusterSecretStore').map((s) => [s.metadata.name, s]));
  const tenantOf = (ns: NamespaceView) => ns.labels[TENANT_LABEL];
  /** The vault a store reads, as grants name it: a Key Vault by its name, a HashiCorp Vault by its address. */
  const vaultOf = (storeName: string) => {
    const { azurekv, vault } = stores.get(storeName).spec.provider;
    return azurekv
      ? { backend: 'keyVault' as const, vault: /^https:\/\/([^.]+)\.vault\.azure\.net\/$/.exec(azurekv.vaultUrl)![1] }
      : { backend: 'vault' as const, vault: vault.server };
  };
  /** Where the values an ExternalSecret spec reads live: Key Vault names, or `<namespace>/<mount>/<path>#<field>`. */
  const vaultSecretsOf = (spec: any) => {
    const vault = stores.get(spec.secretStoreRef.name).spec.provider.vault;
    const prefix = vault && [vault.namespace, vault.path].filter(Boolean).join('/');
    return spec.data.map((d: any) => (vault ? `${prefix}/${d.remoteRef.key}#${d.remoteRef.property}` : d.remoteRef.key)).sort();
  };

  // ESO trusts a Vault server by its address and CA bundle, the same for every store of the cluster.
  for (const store of stores.values()) {
    const vault = store.spec.provider.vault;
    if (vault)
      for (const authority of authoritiesOf(vault.caBundle)) grants.push({ kind: 'vault-trust', cluster, vault: vault.server, authority });
  }

  for (const store of stores.values()) {
    if (store.metadata.name.startsWith('central-')) {
      const credential = store.metadata.labels['central-secret-store.io/credential'];
      // Ask the store about a namespace of every tenant there is, the canary's, and one of a tenant nobody allowed.
      for (const tenant of [...tenantNames, CANARY_TENANT, 'intruder']) {
        if (storeAdmits(store, { name: 'any', labels: { [TENANT_LABEL]: tenant } }))
          grants.push({ kind: 'credential-store', cluster, store: store.metadata.name, credential, tenant });
      }
    } else if (store.metadata.name.startsWith('tenant-')) {
      for (const ns of namespaces.filter((n) => storeAdmits(store, n))) {
        grants.push({
          kind: 'tenant-store',
          cluster,
          store: store.metadata.name,
          tenant: store.metadata.name.slice('tenant-'.length),
          namespace: ns.name,
        });
      }
    }
  }

  /** namespace\0Secret name -> the credential and format ESO delivers there under that name. */
  const delivered = new Map<string, { credential: string; format: string }>();
  for (const ces of ofKind(objects, 'ClusterExternalSecret')) {
    const spec = ces.spec.externalSecretSpec;
    const store = stores.get(spec.secretStoreRef.name);
    const distributed = ces.metadata.labels['central-secret-store.io/credential'];
    // A credential's destinations, wherever it is offered (the canary has none).
    if (store.metadata.name.startsWith('central-') && distributed !== undefined) {
      for (const destination of destinationsOfTemplate(spec.target.template)) {
        grants.push({
          kind: 'destination',
          cluster,
          credential: distributed,
          format: ces.metadata.name.slice(distributed.length + 1),
          ...destination,
        } as Grant);
      }
    }
    for (const ns of namespaces.filter((n) => cesSelects(ces, n) && storeAdmits(store, n))) {
      if (store.metadata.name.startsWith('central-')) {
        const credential = ces.metadata.labels['central-secret-store.io/credential'];
        const format = ces.metadata.name.slice(credential.length + 1);
        grants.push({ kind: 'delivery', cluster, tenant: tenantOf(ns), namespace: ns.name, credential, format });
        delivered.set(`${ns.name}\0${spec.target.name}`, { credential, format });
      } else {
        grants.push({
          kind: 'own-secret',
          cluster,
          tenant: tenantOf(ns),
          namespace: ns.name,
          secret: ces.spec.externalSecretName,
          global: true,
          ...vaultOf(store.metadata.name),
          vaultSecrets: vaultSecretsOf(spec),
          serviceAccount: null,
        });
      }
    }
  }

  for (const es of ofKind(objects, 'ExternalSecret')) {
    if (es.metadata.namespace === CENTRAL_NAMESPACE) {
      for (const d of es.spec.data) {
        const [vaultSecret] = vaultSecretsOf({ ...es.spec, data: [d] });
        grants.push({
          kind: 'master',
          cluster,
          ...vaultOf(es.spec.secretStoreRef.name),
          credential: es.metadata.name,
          key: d.secretKey,
          vaultSecret,
        });
      }
      continue;
    }
    const ns = namespaces.find((n) => n.name === es.metadata.namespace)!;
    if (!storeAdmits(stores.get(es.spec.secretStoreRef.name), ns)) continue;
    const secret = es.spec.target.name;
    // Who may read the Secret by name: the ServiceAccounts bound to a Role in its namespace that names it.
    const readers = ofKind(objects, 'Role')
      .filter(
        (r) =>
          r.metadata.namespace === ns.name &&
          r.rules.some((rule: any) => rule.resources.includes('secrets') && (rule.resourceNames ?? []).includes(secret)),
      )
      .flatMap((role) =>
        ofKind(objects, 'RoleBinding').filter((b) => b.metadata.namespace === ns.name && b.roleRef.name === role.metadata.name),
      )
      .flatMap((binding) => binding.subjects.filter((s: any) => s.kind === 'ServiceAccount').map((s: any) => s.name));
    grants.push({
      kind: 'own-secret',
      cluster,
      tenant: tenantOf(ns),
      namespace: ns.name,
      secret,
      global: false,
      ...vaultOf(es.spec.secretStoreRef.name),
      vaultSecrets: vaultSecretsOf(es.spec),
      serviceAccount: readers[0] ?? null,
    });
  }

  // A ServiceAccount's pull secrets: only those naming a Secret ESO delivers in its namespace pull anything.
  for (const account of ofKind(objects, 'ServiceAccount')) {
    const ns = namespaces.find((n) => n.name === account.metadata.namespace);
    if (!ns) continue; // the reader of the central namespace
    for (const { name } of account.imagePullSecrets ?? []) {
      const what = delivered.get(`${ns.name}\0${name}`);
      if (what)
        grants.push({
          kind: 'pull-secret',
          cluster,
          tenant: tenantOf(ns),
          namespace: ns.name,
          serviceAccount: account.metadata.name,
          ...what,
        });
    }
  }

  // Owners: the subjects of the owner role's binding in each tenant namespace.
  for (const binding of ofKind(objects, 'RoleBinding').filter(
    (b) => b.metadata.name === TENANT_OWNER_BINDING && b.roleRef.name === TENANT_OWNER_ROLE,
  )) {
    const ns = namespaces.find((n) => n.name === binding.metadata.namespace)!;
    for (const subject of binding.subjects)
      grants.push({ kind: 'owner', cluster, tenant: tenantOf(ns), namespace: ns.name, identity: subject.kind, name: subject.name });
  }

  const policy = ofKind(objects, 'ValidatingAdmissionPolicy').find((p) => p.metadata.name === NAMESPACE_LABEL_POLICY);
  const exemption: string = policy.spec.matchConditions.find((c: any) => c.name === 'not-a-platform-identity').expression;
  for (const name of celStrings(/username in \[([^\]]*)\]/.exec(exemption)?.[1] ?? ''))
    grants.push({ kind: 'deployer', cluster, identity: 'User', name });
  for (const name of celStrings(/g in \[([^\]]*)\]/.exec(exemption)?.[1] ?? ''))
    grants.push({ kind: 'deployer', cluster, identity: 'Group', name });
  return grants;
}

/** What the objects of every cluster grant, plus allowedTenants, which no single cluster holds in full. */
function grantsOfSynth(catalogue: Catalogue): string[] {
  const tenants = catalogue.tenants.map((t) => t.name);
  const allowed: Grant[] = catalogue.credentials.flatMap((c) =>
    c.allowedTenants.map((tenant): Grant => ({ kind: 'allowed-tenant', credential: c.name, tenant })),
  );
  const clusters = [...synthesizeAll(catalogue)].flatMap(([cluster, objects]) => grantsOfObjects(cluster, objects, tenants));
  return [...new Set([...allowed, ...clusters].map(grantKey))].sort();
}

const keysOf = (grants: readonly Grant[]) => grants.map(grantKey).sort();

describe('access model', () => {
  test('the example catalogue: every grant is what the synthesized objects give, and nothing else', () => {
    const catalogue = loadCatalogue(FIXTURE_CATALOGUE_DIR);
    expect(keysOf(accessGrants(catalogue))).toEqual(grantsOfSynth(catalogue));
  });

  test('random catalogues with own and global secrets, deployers and both backends: the grants are what synth gives (100 runs)', () => {
    fc.assert(
      fc.property(catalogueArb({ ownSecrets: true, deployers: true, withVault: true }), (catalogue) => {
        expect(keysOf(accessGrants(catalogue))).toEqual(grantsOfSynth(catalogue));
      }),
      { numRuns: 100 },
    );
  });

  test('a workload secret is readable by its ServiceAccount only; a kubernetes secret by whoever reads Secrets in its namespace', () => {
    const own = accessGrants(loadCatalogue(FIXTURE_CATALOGUE_DIR)).filter((g) => g.kind === 'own-secret' && g.namespace === 'payments-api');
    expect(own).toEqual([
      {
        kind: 'own-secret',
        cluster: 'aks-weu-prod',
        tenant: 'payments',
        namespace: 'payments-api',
        secret: 'payments-feature-flags',
        global: true,
        backend: 'keyVault',
        vault: 'contoso-css-prod',
        vaultSecrets: ['payments--feature-flags'],
        serviceAccount: null,
      },
      {
        kind: 'own-secret',
        cluster: 'aks-weu-prod',
        tenant: 'payments',
        namespace: 'payments-api',
        secret: 'postgres',
        global: false,
        backend: 'keyVault',
        vault: 'contoso-css-prod',
        vaultSecrets: ['payments--postgres-password', 'payments--postgres-username'],
        serviceAccount: null,
      },
      {
        kind: 'own-secret',
        cluster: 'aks-weu-prod',
        tenant: 'payments',
        namespace: 'payments-api',
        secret: 'settlement-signing-key',
        global: false,
        backend: 'keyVault',
        vault: 'contoso-css-prod',
        vaultSecrets: ['payments--settlement-signing-key'],
        serviceAccount: 'settlement-worker',
      },
    ]);
  });

  test("on a HashiCorp Vault cluster, values are paths in the space the store reads: the shared mount, or the tenant's own", () => {
    const onprem = accessGrants(loadCatalogue(FIXTURE_CATALOGUE_DIR)).filter(
      (g) => (g.kind === 'own-secret' || (g.kind === 'master' && g.credential === 'acr-pull')) && g.cluster === 'k3s-onprem-01',
    );
    const vault = { backend: 'vault', vault: 'https://vault.dc1.contoso.example:8200' };
    expect(onprem).toEqual([
      {
        kind: 'own-secret',
        cluster: 'k3s-onprem-01',
        tenant: 'data-science',
        namespace: 'ds-training',
        secret: 'feature-store',
        global: false,
        ...vault,
        vaultSecrets: ['css-tenant-data-science/feature-store#password', 'css-tenant-data-science/feature-store#username'],
        serviceAccount: null,
      },
      {
        kind: 'own-secret',
        cluster: 'k3s-onprem-01',
        tenant: 'platform-tools',
        namespace: 'gateway-onprem',
        secret: 'gateway-signing-key',
        global: false,
        ...vault,
        vaultSecrets: ['css-tenant-platform-tools/gateway/signing#key'],
        serviceAccount: 'gateway',
      },
      {
        kind: 'master',
        cluster: 'k3s-onprem-01',
        ...vault,
        credential: 'acr-pull',
        key: 'password',
        vaultSecret: 'css-shared/registries/acr-pull#password',
      },
      {
        kind: 'master',
        cluster: 'k3s-onprem-01',
        ...vault,
        credential: 'acr-pull',
        key: 'username',
        vaultSecret: 'css-shared/registries/acr-pull#username',
      },
    ]);
  });

  test('pull secrets: each ServiceAccount the catalogue names pulls with the dockerconfigjson of its credential', () => {
    const pulls = accessGrants(loadCatalogue(FIXTURE_CATALOGUE_DIR)).filter((g) => g.kind === 'pull-secret');
    const at = { kind: 'pull-secret', cluster: 'aks-weu-prod', tenant: 'payments', namespace: 'payments-api' };
    expect(pulls).toEqual([
      { ...at, serviceAccount: 'default', credential: 'acr-pull', format: 'dockerconfigjson' },
      { ...at, serviceAccount: 'default', credential: 'ghcr-pull', format: 'dockerconfigjson' },
      { ...at, serviceAccount: 'settlement-worker', credential: 'ghcr-pull', format: 'dockerconfigjson' },
    ]);
  });

  test('grants are sorted, unique, and their identity ignores field order', () => {
    const grants = accessGrants(loadCatalogue(FIXTURE_CATALOGUE_DIR));
    expect(new Set(grants.map(grantKey)).size).toBe(grants.length);
    expect(grantKey({ kind: 'allowed-tenant', credential: 'a', tenant: 'b' })).toBe(
      grantKey({ tenant: 'b', credential: 'a', kind: 'allowed-tenant' }),
    );
  });
});
