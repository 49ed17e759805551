import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { MasterCredential, DockerRegistryCredential, TenantSecret, VaultStore, type VaultStoreProps } from '../../constructs/src';
import { schemaErrors } from '../support/schemas';
import { findObject, synthConstructs } from '../support/synth';
import { FIXTURE_CATALOGUE_DIR } from '../support/fixture-catalogue';

// The example catalogue's Vault CA: a public certificate.
const CA = /caBundle: \|\n((?: {8}.*\n)+)/
  .exec(readFileSync(join(FIXTURE_CATALOGUE_DIR, 'clusters.yaml'), 'utf8'))![1]
  .replace(/^ {8}/gm, '');
const base: VaultStoreProps = {
  name: 'vault',
  server: 'https://vault.example.com:8200',
  mountPath: 'css-shared',
  conditions: [{ namespaces: ['central-secret-store'] }],
  auth: { mountPath: 'css-kubernetes-c1', role: 'css-masters', audiences: ['vault:css-masters'] },
};
const storeOf = (props: VaultStoreProps) =>
  findObject(
    synthConstructs((s) => new VaultStore(s, 'store', props)),
    'ClusterSecretStore',
    props.name,
  );

describe('VaultStore', () => {
  test("KV v2 through Kubernetes auth with ESO's own ServiceAccount and the role's audience, usable only from the listed namespaces", () => {
    const store = storeOf(base);
    expect(store.metadata.labels['app.kubernetes.io/component']).toBe('vault-store');
    expect(store.spec).toEqual({
      refreshInterval: 300,
      conditions: [{ namespaces: ['central-secret-store'] }],
      provider: {
        vault: {
          server: 'https://vault.example.com:8200',
          path: 'css-shared',
          version: 'v2',
          auth: {
            kubernetes: {
              mountPath: 'css-kubernetes-c1',
              role: 'css-masters',
              serviceAccountRef: { name: 'external-secrets', namespace: 'external-secrets', audiences: ['vault:css-masters'] },
            },
          },
        },
      },
    });
  });

  test('Enterprise namespaces, a CA bundle (base64, as ESO takes it) and another ServiceAccount', () => {
    const store = storeOf({
      ...base,
      namespace: 'admin/css-tenant-a',
      caBundle: CA,
      auth: { ...base.auth, namespace: 'admin', serviceAccount: { name: 'reader', namespace: 'eso' } },
    });
    expect(store.spec.provider.vault.namespace).toBe('admin/css-tenant-a');
    expect(Buffer.from(store.spec.provider.vault.caBundle, 'base64').toString('utf8')).toBe(CA);
    expect(store.spec.provider.vault.auth.namespace).toBe('admin');
    expect(store.spec.provider.vault.auth.kubernetes.serviceAccountRef).toEqual({
      name: 'reader',
      namespace: 'eso',
      audiences: ['vault:css-masters'],
    });
  });

  test('ExternalSecrets read a path and a field through it', () => {
    const objects = synthConstructs((s) => {
      const store = new VaultStore(s, 'store', base);
      new MasterCredential(s, 'master', {
        credential: new DockerRegistryCredential({ name: 'ghcr', registries: ['ghcr.io'] }),
        vaultSecrets: {
          username: { key: 'registries/ghcr', property: 'username' },
          password: { key: 'registries/ghcr', property: 'token' },
        },
        store,
      });
      new TenantSecret(s, 'own', {
        tenant: 'a',
        namespace: 'a-app',
        name: 'db',
        vaultSecrets: { password: { key: 'db' } },
        store: VaultStore.fromStoreName('tenant-a'),
      });
    });
    expect(findObject(objects, 'ExternalSecret', 'ghcr').spec.data).toEqual([
      { secretKey: 'password', remoteRef: { key: 'registries/ghcr', property: 'token' } },
      { secretKey: 'username', remoteRef: { key: 'registries/ghcr', property: 'username' } },
    ]);
    const own = findObject(objects, 'ExternalSecret', 'db');
    expect(own.spec.data).toEqual([{ secretKey: 'password', remoteRef: { key: 'db' } }]);
    expect(own.spec.secretStoreRef).toEqual({ kind: 'ClusterSecretStore', name: 'tenant-a' });
    expect(objects.flatMap(schemaErrors)).toEqual([]);
  });

  test('bad props are refused, all at once, with what to do', () => {
    const refusal = (props: Partial<VaultStoreProps>) => () => synthConstructs((s) => new VaultStore(s, 'store', { ...base, ...props }));
    expect(refusal({ conditions: [] })).toThrow(/conditions must name the namespaces/);
    expect(refusal({ server: 'http://vault:8200' })).toThrow(
      /server must look like https:\/\/vault\.example\.com:8200 \(https: ESO sends a ServiceAccount token/,
    );
    expect(refusal({ server: 'https://vault:8200/v1' })).toThrow(/server must look like/);
    expect(refusal({ mountPath: '/secret/' })).toThrow(/mountPath must be a mount path/);
    expect(refusal({ namespace: 'a//b' })).toThrow(/namespace must be a Vault namespace path/);
    expect(
      refusal({
        caBundle: '-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----\n-----BEGIN PRIVATE KEY-----\ny\n-----END PRIVATE KEY-----',
      }),
    ).toThrow(/caBundle holds a private key/);
    expect(refusal({ caBundle: '-----BEGIN CERTIFICATE-----\nZé\n-----END CERTIFICATE-----' })).toThrow(
      /caBundle must be PEM text, which is ASCII/,
    );
    expect(refusal({ auth: { mountPath: 'auth/kubernetes/', role: 'r w', audiences: [] } })).toThrow(
      /auth\.mountPath must be the path of a Kubernetes auth mount.*; auth\.role must be a Vault role name.*; auth\.audiences must name at least one audience/,
    );
  });

  test("every store it writes is valid against ESO 2.9.0's ClusterSecretStore schema (property)", () => {
    const segment = fc.stringMatching(/^[a-z0-9][a-z0-9_-]{0,10}$/);
    const path = fc.array(segment, { minLength: 1, maxLength: 3 }).map((s) => s.join('/'));
    const props = fc.record({
      name: fc.stringMatching(/^[a-z]([-a-z0-9]{0,20}[a-z0-9])?$/),
      server: fc
        .tuple(fc.domain(), fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }))
        .map(([host, port]) => `https://${host}${port ? `:${port}` : ''}`),
      mountPath: path,
      namespace: fc.option(path, { nil: undefined }),
      caBundle: fc.option(fc.constant(CA), { nil: undefined }),
      namespaces: fc.uniqueArray(fc.stringMatching(/^[a-z]([-a-z0-9]{0,20}[a-z0-9])?$/), { minLength: 1, maxLength: 4 }),
      authMount: path,
      authNamespace: fc.option(path, { nil: undefined }),
      role: fc.stringMatching(/^[A-Za-z0-9_.-]{1,30}$/),
      audiences: fc.array(
        fc.string({ minLength: 1, maxLength: 20 }).filter((a) => a.trim() !== ''),
        { minLength: 1, maxLength: 3 },
      ),
      refresh: fc.option(fc.integer({ min: 1, max: 86400 }), { nil: undefined }),
    });
    fc.assert(
      fc.property(props, (p) => {
        const objects = synthConstructs(
          (s) =>
            new VaultStore(s, 'store', {
              name: p.name,
              server: p.server,
              mountPath: p.mountPath,
              namespace: p.namespace,
              caBundle: p.caBundle,
              conditions: [{ namespaces: p.namespaces }],
              auth: { mountPath: p.authMount, role: p.role, audiences: p.audiences, namespace: p.authNamespace },
              storeRefreshInterval: p.refresh === undefined ? undefined : `${p.refresh}s`,
            }),
        );
        expect(objects).toHaveLength(1);
        expect(schemaErrors(objects[0])).toEqual([]);
      }),
      { numRuns: 100 },
    );
  });

  test('the schema check catches a broken Vault store', () => {
    const store = storeOf(base);
    const broken = {
      ...store,
      spec: { ...store.spec, provider: { vault: { ...store.spec.provider.vault, version: 'v3', auth: { kubernetes: { role: 'r' } } } } },
    };
    const errors = schemaErrors(broken).join('\n');
    expect(errors).toMatch(/provider\/vault\/version: must be equal to one of the allowed values/);
    expect(errors).toMatch(/provider\/vault\/auth\/kubernetes: must have required property 'mountPath'/);
  });
});
