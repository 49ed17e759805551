/**
 * The ten correctness properties of the central store design and four of our own (docs/testing.md, "The
 * correctness properties"), as fast-check properties over random catalogues and random namespace label sets, at
 * least 100 runs each.
 *
 * Where a property needs a running controller (propagation within the refresh interval, a label change
 * adding or removing a Secret, the audit log), this suite checks what the generated resources guarantee, and
 * the end-to-end suite checks the runtime half against a real API server and ESO controller; each test says
 * which half it is.
 */
import fc from 'fast-check';
import { stringify } from 'yaml';
import { CANARY_TENANT, TENANT_LABEL, requestLabel } from '../../constructs/src';
import { type KubeObject, secretFormatsOf, synthesizeCluster } from '../../plane';
import {
  CANARY_CREDENTIAL,
  CANARY_KEY,
  type Catalogue,
  type Credential,
  canaryOf,
  credentialsOfferedOn,
  formatsOf,
  masterKeysOf,
  namespacesOn,
  refreshIntervalOf,
  tenantSchema,
  tenantStoreName,
  centralStoreName,
} from '../../tenants/lib';
import { catalogueArb, namespaceLabelsArb } from '../support/arbitraries';
import { cesSelects, storeAdmits } from '../support/selectors';
import { namespaceViews, ofKind, synthesizeAll } from '../support/synth';
import { TemplateEngine } from '../support/template-engine';

const RUNS = { numRuns: 100 };
const PROPERTY = (n: number | string, text: string) => `Feature: central-secret-store, Property ${n}: ${text}`;

const distributions = (objects: readonly KubeObject[]) =>
  ofKind(objects, 'ClusterExternalSecret').filter((c) => c.metadata.labels['app.kubernetes.io/component'] === 'credential-distribution');
/** A cluster's canary as the plane deploys it: a generic credential of the canary's tenant, which no tenant can be. */
const CANARY: Credential = {
  kind: 'generic',
  name: CANARY_CREDENTIAL,
  allowedTenants: [CANARY_TENANT],
  keyVault: { [CANARY_KEY]: 'css-canary' },
};
/** The catalogue's credentials, and the canary. */
const credentialsOf = (catalogue: Catalogue): Credential[] => [...catalogue.credentials, CANARY];
const credentialOf = (catalogue: Catalogue, ces: any): Credential =>
  credentialsOf(catalogue).find((c) => c.name === ces.metadata.labels['central-secret-store.io/credential'])!;

/** Every cluster of a random catalogue, with its objects. */
function eachCluster(run: (catalogue: Catalogue, cluster: Catalogue['clusters'][number], objects: KubeObject[]) => void) {
  return fc.property(catalogueArb(), (catalogue) => {
    for (const cluster of catalogue.clusters) run(catalogue, cluster, synthesizeAll(catalogue).get(cluster.name)!);
  });
}

/** The Secret type and keys each format must produce. */
function expectedShape(credential: Credential, type: string, format: any): { type: string; keys: string[] } {
  const login = masterKeysOf(credential).includes('sshPrivateKey') ? ['sshPrivateKey'] : ['password', 'username'];
  switch (type) {
    case 'dockerconfigjson':
      return { type: 'kubernetes.io/dockerconfigjson', keys: ['.dockerconfigjson'] };
    case 'basic-auth':
      return { type: 'kubernetes.io/basic-auth', keys: ['password', 'username'] };
    case 'ssh-auth':
      return { type: 'kubernetes.io/ssh-auth', keys: ['ssh-privatekey'] };
    case 'tls':
      return {
        type: 'kubernetes.io/tls',
        keys: masterKeysOf(credential).includes('ca.crt') ? ['ca.crt', 'tls.crt', 'tls.key'] : ['tls.crt', 'tls.key'],
      };
    case 'oauth':
      return { type: 'Opaque', keys: ['client-id', 'client-secret', 'issuer-url'] };
    case 'argocd':
      return { type: 'Opaque', keys: [...(credential.kind === 'docker-registry' ? ['enableOCI'] : []), 'type', 'url', ...login].sort() };
    case 'kargo':
      return { type: 'Opaque', keys: ['repoURL', ...login].sort() };
    case 'mapping':
      return { type: format.secretType, keys: format.keys.map((k: any) => k.to).sort() };
    default:
      return { type: 'Opaque', keys: masterKeysOf(credential) };
  }
}

const PEM_BUNDLE = `-----BEGIN CERTIFICATE-----\nAAEC\n-----END CERTIFICATE-----\n-----BEGIN PRIVATE KEY-----\nAwQF\n-----END PRIVATE KEY-----\n`;

let engine: TemplateEngine;
beforeAll(
  () => {
    engine = new TemplateEngine();
  },
  20 * 60 * 1000,
);
afterAll(() => engine?.close());

describe('correctness properties', () => {
  test(PROPERTY(1, 'A master update reaches every dependent Secret within the refresh interval'), () => {
    // Static half: every copy re-reads the master Secret that the Key Vault ExternalSecret keeps current, on a
    // periodic interval equal to the cluster's bound. Runtime half (e2e): rotation timing for 10/100/500 namespaces.
    fc.assert(
      eachCluster((catalogue, cluster, objects) => {
        const masters = new Map(
          ofKind(objects, 'ExternalSecret')
            .filter((e) => e.metadata.namespace === 'central-secret-store')
            .map((e) => [e.spec.target.name, e]),
        );
        for (const ces of distributions(objects)) {
          const spec = ces.spec.externalSecretSpec;
          expect(spec.refreshPolicy).toBe('Periodic');
          expect(spec.refreshInterval).toBe(refreshIntervalOf(cluster));
          const master = masters.get(spec.data[0].remoteRef.key);
          expect(master?.spec.refreshPolicy).toBe('Periodic');
          expect(spec.data.map((d: any) => d.secretKey)).toEqual(master.spec.data.map((d: any) => d.secretKey));
          expect(new Set(spec.data.map((d: any) => d.remoteRef.key))).toEqual(new Set([credentialOf(catalogue, ces).name]));
        }
      }),
      RUNS,
    );
  });

  test(PROPERTY(2, 'A namespace with the labels gets every secret it asks for'), () => {
    fc.assert(
      eachCluster((catalogue, cluster, objects) => {
        const views = new Map(namespaceViews(objects).map((v) => [v.name, v]));
        const stores = new Map(ofKind(objects, 'ClusterSecretStore').map((s) => [s.metadata.name, s]));
        for (const { namespace } of namespacesOn(catalogue, cluster)) {
          const view = views.get(namespace.name)!;
          for (const request of namespace.requests ?? []) {
            const credential = catalogue.credentials.find((c) => c.name === request)!;
            for (const format of formatsOf(credential)) {
              const ces = distributions(objects).find((c) => c.metadata.name === `${request}-${format.id}`);
              expect(ces && cesSelects(ces, view)).toBe(true);
              // ...and the store the distribution reads through admits the namespace.
              expect(storeAdmits(stores.get(ces.spec.externalSecretSpec.secretStoreRef.name), view)).toBe(true);
            }
          }
        }
      }),
      RUNS,
    );
  });

  test(PROPERTY(3, 'A label change adds or removes the secrets to match (orphans cleaned up)'), () => {
    // Static half: the selected set follows the labels exactly, and copies are Owner-managed so that ESO deletes
    // them with their ExternalSecret. Runtime half (e2e): add and remove the label on a live namespace.
    fc.assert(
      fc.property(
        catalogueArb().chain((c) => fc.tuple(fc.constant(c), namespaceLabelsArb(c.credentials.map((x) => x.name)))),
        ([catalogue, namespaces]) => {
          for (const objects of synthesizeAll(catalogue).values()) {
            for (const ces of distributions(objects)) {
              const credential = credentialOf(catalogue, ces);
              expect(ces.spec.externalSecretSpec.target.creationPolicy).toBe('Owner');
              for (const ns of namespaces) {
                const wants =
                  ns.labels[requestLabel(credential.name)] === 'true' && credential.allowedTenants.includes(ns.labels[TENANT_LABEL]);
                expect(cesSelects(ces, ns)).toBe(wants);
                const withoutLabel = {
                  ...ns,
                  labels: Object.fromEntries(Object.entries(ns.labels).filter(([k]) => k !== requestLabel(credential.name))),
                };
                expect(cesSelects(ces, withoutLabel)).toBe(false);
              }
            }
          }
        },
      ),
      RUNS,
    );
  });

  test(PROPERTY(4, 'Label, name and expression selectors all target the right namespaces'), () => {
    // Names (tenant stores), labels with expressions (distributions) and expressions alone (central store).
    fc.assert(
      fc.property(
        catalogueArb().chain((c) => fc.tuple(fc.constant(c), namespaceLabelsArb(c.credentials.map((x) => x.name)))),
        ([catalogue, random]) => {
          for (const cluster of catalogue.clusters) {
            const objects = synthesizeAll(catalogue).get(cluster.name)!;
            const placed = namespacesOn(catalogue, cluster);
            const all = [...namespaceViews(objects), ...random];
            for (const store of ofKind(objects, 'ClusterSecretStore')) {
              for (const ns of all) {
                let expected: boolean;
                const credential = credentialsOf(catalogue).find((c) => centralStoreName(c.name) === store.metadata.name);
                if (store.metadata.name === 'keyvault') expected = ns.name === 'central-secret-store';
                else if (credential) expected = credential.allowedTenants.includes(ns.labels[TENANT_LABEL]);
                else expected = placed.some((p) => tenantStoreName(p.tenant.name) === store.metadata.name && p.namespace.name === ns.name);
                expect(storeAdmits(store, ns)).toBe(expected);
              }
            }
          }
        },
      ),
      RUNS,
    );
  });

  test(PROPERTY(5, "Each generated Secret has the consumer's type and every required field, correctly formatted"), () => {
    // The rendered values themselves are checked with ESO's engine in test/formats/engine.test.ts.
    fc.assert(
      eachCluster((catalogue, _cluster, objects) => {
        for (const ces of distributions(objects)) {
          const credential = credentialOf(catalogue, ces);
          const format = formatsOf(credential).find((f) => `${credential.name}-${f.id}` === ces.metadata.name)!;
          const template = ces.spec.externalSecretSpec.target.template;
          const shape = expectedShape(credential, format.format.type, format.format);
          expect(template.type).toBe(shape.type);
          expect(Object.keys(template.data).sort()).toEqual([...shape.keys].sort());
          expect(template.engineVersion).toBe('v2');
        }
      }),
      RUNS,
    );
  });

  test(PROPERTY(6, 'One master feeds several formats at once without corruption'), async () => {
    await fc.assert(
      fc.asyncProperty(catalogueArb(), fc.string({ minLength: 1 }), fc.string({ minLength: 1 }), async (catalogue, a, b) => {
        for (const objects of synthesizeAll(catalogue).values()) {
          const byCredential = new Map<string, any[]>();
          for (const ces of distributions(objects))
            byCredential.set(credentialOf(catalogue, ces).name, [...(byCredential.get(credentialOf(catalogue, ces).name) ?? []), ces]);
          for (const [name, list] of byCredential) {
            const targets = list.map((c) => c.spec.externalSecretSpec.target.name);
            expect(new Set(targets).size).toBe(list.length);
            // Render every format of the credential from one master, concurrently, and check each output.
            const credential = credentialsOf(catalogue).find((c) => c.name === name)!;
            // A PEM bundle must be PEM for filterPEM to split it; every other key takes the random values.
            const master = Object.fromEntries(
              masterKeysOf(credential).map((k, i) => [k, k === 'bundle' ? PEM_BUNDLE : i % 2 === 0 ? a : b]),
            );
            const results = await Promise.all(list.map((ces) => engine.render(ces.spec.externalSecretSpec.target.template.data, master)));
            results.forEach((r) => expect(r.error).toBeUndefined());
            results.forEach((r, i) => {
              const template = list[i].spec.externalSecretSpec.target.template.data;
              for (const [key, tpl] of Object.entries<string>(template)) {
                const copied = /^\{\{ \(index \. ("[^"]+")\) \}\}$/.exec(tpl);
                if (copied) expect(r.data![key]).toBe(master[JSON.parse(copied[1])]);
              }
            });
          }
        }
      }),
      { numRuns: 100 },
    );
  });

  test(PROPERTY(7, 'Docker registry, Git, OAuth and TLS credentials are usable by their consumers'), async () => {
    const kinds: Credential[] = [
      { name: 'r', kind: 'docker-registry', registries: ['ghcr.io'], keyVault: { username: 'a', password: 'b' }, allowedTenants: ['t'] },
      { name: 'g', kind: 'git', url: 'https://git.example/r', keyVault: { username: 'a', password: 'b' }, allowedTenants: ['t'] },
      {
        name: 'o',
        kind: 'oauth',
        tokenUrl: 'https://login.example/token',
        keyVault: { clientId: 'a', clientSecret: 'b' },
        allowedTenants: ['t'],
      },
      { name: 's', kind: 'tls', keyVault: { 'tls.crt': 'a', 'tls.key': 'b' }, allowedTenants: ['t'] },
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...kinds),
        fc.string({ unit: 'grapheme', minLength: 1 }),
        fc.string({ unit: 'grapheme', minLength: 1 }),
        async (credential, a, b) => {
          const [rendered] = secretFormatsOf(credential);
          const [k1, k2] = masterKeysOf(credential);
          const { data, error } = await engine.render(rendered.data as Record<string, string>, { [k1]: a, [k2]: b });
          expect(error).toBeUndefined();
          const master: Record<string, string> = { [k1]: a, [k2]: b };
          switch (credential.kind) {
            case 'docker-registry': {
              const auth = JSON.parse(data!['.dockerconfigjson']).auths['ghcr.io'];
              expect(Buffer.from(auth.auth, 'base64').toString()).toBe(`${master.username}:${master.password}`);
              break;
            }
            case 'git':
              expect(data).toEqual({ username: master.username, password: master.password });
              break;
            case 'oauth':
              expect(data).toEqual({
                'client-id': master.clientId,
                'client-secret': master.clientSecret,
                'token-url': 'https://login.example/token',
              });
              break;
            default:
              expect(data).toEqual({ 'tls.crt': master['tls.crt'], 'tls.key': master['tls.key'] });
          }
        },
      ),
      RUNS,
    );
  });

  test(PROPERTY(8, 'Only authorised namespaces receive a secret'), () => {
    fc.assert(
      fc.property(
        catalogueArb().chain((c) => fc.tuple(fc.constant(c), namespaceLabelsArb(c.credentials.map((x) => x.name)))),
        ([catalogue, namespaces]) => {
          for (const objects of synthesizeAll(catalogue).values()) {
            for (const ces of distributions(objects)) {
              const credential = credentialOf(catalogue, ces);
              for (const ns of [...namespaces, ...namespaceViews(objects)]) {
                if (cesSelects(ces, ns)) {
                  expect(credential.allowedTenants).toContain(ns.labels[TENANT_LABEL]);
                  expect(ns.labels[requestLabel(credential.name)]).toBe('true');
                }
              }
            }
          }
        },
      ),
      RUNS,
    );
  });

  test(PROPERTY(9, 'Every operation leaves an audit trail'), () => {
    // Static half: every object and every distributed Secret says what wrote it and for which credential or
    // tenant, so API server audit events can be traced. Runtime half (e2e): the audit log of a real API server.
    fc.assert(
      eachCluster((_catalogue, _cluster, objects) => {
        for (const o of objects) {
          // Objects the product shares (ServiceAccounts given pull secrets) say which of their fields it writes;
          // labelling them too would contend with their owner's labels (Helm sets managed-by).
          const shared = (o.metadata.annotations as Record<string, string> | undefined)?.['central-secret-store.io/owns-fields'];
          if (shared !== undefined) {
            expect([o.kind, shared, o.metadata.labels]).toEqual(['ServiceAccount', 'imagePullSecrets', undefined]);
          } else {
            expect(o.metadata.labels).toMatchObject({
              'app.kubernetes.io/managed-by': 'central-secret-store',
              'app.kubernetes.io/part-of': 'central-secret-store',
            });
          }
        }
        for (const ces of distributions(objects)) {
          const credential = ces.metadata.labels['central-secret-store.io/credential'];
          expect(ces.spec.externalSecretMetadata.labels['central-secret-store.io/credential']).toBe(credential);
          expect(ces.spec.externalSecretSpec.target.template.metadata.labels).toMatchObject({
            'managed-by': 'external-secrets',
            source: 'central-secret-store',
            'central-secret-store.io/credential': credential,
          });
        }
      }),
      RUNS,
    );
  });

  test(PROPERTY(10, 'A policy change takes effect within the refresh interval without manual steps'), () => {
    // Changing who may have a credential changes only that credential's selectors, under the same names, so
    // the change is a patch ESO applies on its next reconcile (at once through its namespace watch, at the
    // latest after refreshTime) and never a delete + recreate (ESO #6884).
    fc.assert(
      fc.property(catalogueArb(), fc.nat(), (catalogue, pick) => {
        const credential = catalogue.credentials[pick % catalogue.credentials.length];
        const tenants = catalogue.tenants.map((t) => t.name);
        const changed: Catalogue = {
          ...catalogue,
          credentials: catalogue.credentials.map((c) => (c === credential ? { ...c, allowedTenants: tenants } : c)),
          tenants: catalogue.tenants,
        };
        for (const cluster of catalogue.clusters) {
          const before = synthesizeAll(catalogue).get(cluster.name)!;
          const after = synthesizeAll(changed).get(cluster.name)!;
          const key = (o: KubeObject) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
          const afterByKey = new Map(after.map((o) => [key(o), o]));
          for (const o of before) {
            const next = afterByKey.get(key(o));
            expect(next).toBeDefined();
            const labels = o.metadata.labels as Record<string, string> | undefined;
            // Only the credential's distributions and its central store may change.
            const isTarget =
              ['ClusterExternalSecret', 'ClusterSecretStore'].includes(o.kind) &&
              labels?.['central-secret-store.io/credential'] === credential.name;
            if (!isTarget) expect(next).toEqual(o);
          }
          for (const ces of distributions(after)) expect(ces.spec.refreshTime).toBe('5m0s');
        }
      }),
      RUNS,
    );
  });

  test(PROPERTY('isolation', 'a namespace never receives a secret its tenant did not request or own'), () => {
    fc.assert(
      eachCluster((catalogue, cluster, objects) => {
        const placed = namespacesOn(catalogue, cluster);
        for (const view of namespaceViews(objects)) {
          const owner = placed.find((p) => p.namespace.name === view.name);
          if (view.name === canaryOf(cluster)?.namespace) {
            // The canary's namespace: only the canary's distribution selects it, and nothing else is in it.
            expect(
              distributions(objects)
                .filter((ces) => cesSelects(ces, view))
                .map((ces) => ces.metadata.name),
            ).toEqual(['canary-opaque']);
            expect(ofKind(objects, 'ExternalSecret').filter((e) => e.metadata.namespace === view.name)).toEqual([]);
            continue;
          }
          if (!owner) {
            // The central namespace: fed from Key Vault only, and no distribution selects it.
            expect(view.name).toBe('central-secret-store');
            expect(distributions(objects).filter((ces) => cesSelects(ces, view))).toEqual([]);
            for (const es of ofKind(objects, 'ExternalSecret').filter((e) => e.metadata.namespace === view.name))
              expect(es.spec.secretStoreRef.name).toBe('keyvault');
            continue;
          }
          for (const ces of distributions(objects)) {
            if (!cesSelects(ces, view)) continue;
            const credential = credentialOf(catalogue, ces);
            expect(owner.namespace.requests ?? []).toContain(credential.name);
            expect(credential.allowedTenants).toContain(owner.tenant.name);
          }
          for (const es of ofKind(objects, 'ExternalSecret').filter((e) => e.metadata.namespace === view.name)) {
            expect(es.spec.secretStoreRef.name).toBe(tenantStoreName(owner.tenant.name));
          }
        }
        for (const store of ofKind(objects, 'ClusterSecretStore').filter((s) => s.metadata.name.startsWith('tenant-'))) {
          const tenant = store.metadata.name.slice('tenant-'.length);
          for (const name of store.spec.conditions.flatMap((c: any) => c.namespaces)) {
            expect(placed.find((p) => p.namespace.name === name)?.tenant.name).toBe(tenant);
          }
        }
      }),
      RUNS,
    );
  });

  test(PROPERTY('determinism', 'the same catalogue gives the same bytes, whatever the order it was written in'), () => {
    fc.assert(
      fc.property(catalogueArb(), fc.nat(), (catalogue, seed) => {
        const rotate = <T>(items: readonly T[]) => [
          ...items.slice(seed % Math.max(items.length, 1)),
          ...items.slice(0, seed % Math.max(items.length, 1)),
        ];
        const shuffled: Catalogue = {
          ...catalogue,
          credentials: rotate(catalogue.credentials).reverse(),
          tenants: rotate(catalogue.tenants).reverse(),
        };
        for (const cluster of catalogue.clusters) {
          const a = synthesizeCluster(catalogue, cluster.name);
          const b = synthesizeCluster(shuffled, cluster.name);
          expect(stringify(b)).toBe(stringify(a));
        }
      }),
      RUNS,
    );
  });

  test(PROPERTY('no secret values', 'no secret value ever appears in the synth output'), () => {
    // Values cannot enter: the schema has no field for one and rejects unknown fields. And the output holds
    // no Secret objects and no literal data, only templates and references.
    fc.assert(
      fc.property(
        catalogueArb(),
        fc.string({ minLength: 1 }),
        fc.constantFrom('value', 'data', 'stringData', 'secretValue'),
        (catalogue, value, field) => {
          const tenant = catalogue.tenants[0];
          const [cluster] = Object.keys(tenant.clusters);
          const injected = structuredClone(tenant) as any;
          if (cluster) injected.clusters[cluster].namespaces[0][field] = value;
          else injected[field] = value;
          expect(tenantSchema.safeParse(injected).success).toBe(false);
          for (const objects of synthesizeAll(catalogue).values()) {
            for (const o of objects) {
              expect(o.kind).not.toBe('Secret');
              expect(o).not.toHaveProperty('data');
              expect(o).not.toHaveProperty('stringData');
            }
            for (const ces of ofKind(objects, 'ClusterExternalSecret')) {
              for (const tpl of Object.values<string>(ces.spec.externalSecretSpec.target.template.data))
                expect(tpl).toMatch(/^\{\{[\s\S]*\}\}$/);
            }
          }
        },
      ),
      RUNS,
    );
  });

  test(
    PROPERTY(
      'pull secrets',
      "a ServiceAccount's pull secrets are dockerconfigjson Secrets ESO delivers to its namespace, for every ServiceAccount the catalogue names",
    ),
    () => {
      let checked = 0;
      fc.assert(
        eachCluster((catalogue, cluster, objects) => {
          const views = namespaceViews(objects);
          const delivered = (namespace: string) =>
            distributions(objects)
              .filter((ces) =>
                cesSelects(
                  ces,
                  views.find((v) => v.name === namespace)!,
                ),
              )
              .filter((ces) => ces.spec.externalSecretSpec.target.template.type === 'kubernetes.io/dockerconfigjson')
              .map((ces) => ces.spec.externalSecretSpec.target.name);
          const serviceAccounts = ofKind(objects, 'ServiceAccount').filter((o) => o.metadata.namespace !== 'central-secret-store');
          for (const sa of serviceAccounts) {
            expect(sa.imagePullSecrets.length).toBeGreaterThan(0);
            for (const { name } of sa.imagePullSecrets) expect(delivered(sa.metadata.namespace)).toContain(name);
            checked++;
          }
          // Exactly the ServiceAccounts the catalogue names, each once.
          const named = namespacesOn(catalogue, cluster).flatMap(({ namespace }) =>
            [...new Set((namespace.imagePullSecrets ?? []).flatMap((e) => e.serviceAccounts))].map((sa) => `${namespace.name}/${sa}`),
          );
          expect(serviceAccounts.map((o) => `${o.metadata.namespace}/${o.metadata.name}`).sort()).toEqual(named.sort());
        }),
        RUNS,
      );
      expect(checked).toBeGreaterThan(0);
    },
  );
});

// Sanity: the generators produce what the properties need, or the properties would pass vacuously.
test('random catalogues offer credentials with several formats and namespaces with requests', () => {
  const samples = fc.sample(catalogueArb(), 100);
  expect(samples.some((c) => c.credentials.some((x) => formatsOf(x).length > 1))).toBe(true);
  expect(samples.filter((c) => c.clusters.some((cl) => credentialsOfferedOn(c, cl).length > 0)).length).toBeGreaterThan(50);
  expect(samples.filter((c) => c.clusters.some((cl) => namespacesOn(c, cl).length > 0)).length).toBeGreaterThan(50);
});
