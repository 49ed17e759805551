import {
  CredentialDistribution,
  DockerRegistryCredential,
  GenericCredential,
  GitCredential,
  GitLogin,
  KeyVaultStore,
  MasterCredential,
  TENANT_LABEL,
  TlsCredential,
  TlsStorage,
} from '../../constructs/src';
import { findObject, synthConstructs } from '../support/synth';

const ghcr = new DockerRegistryCredential({ name: 'ghcr', registries: ['ghcr.io'] });
const allowedTenants = ['zeta', 'alpha'];

describe('CredentialDistribution', () => {
  const objects = synthConstructs((s) => {
    new CredentialDistribution(s, 'docker', { format: ghcr.dockerConfigJson(), allowedTenants });
    new CredentialDistribution(s, 'kargo', { format: ghcr.kargo(), allowedTenants, refreshInterval: '30s', creationPolicy: 'Orphan' });
  });

  test('one ClusterExternalSecret per credential and format, with stable explicit names', () => {
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'ClusterExternalSecret/ghcr-dockerconfigjson',
      'ClusterExternalSecret/ghcr-kargo',
    ]);
    const ces = findObject(objects, 'ClusterExternalSecret', 'ghcr-dockerconfigjson');
    expect(ces.spec.externalSecretName).toBe('ghcr-dockerconfigjson');
    expect(ces.spec.externalSecretSpec.target.name).toBe('ghcr-dockerconfigjson');
  });

  test('selects namespaces that request the credential AND belong to an allowed tenant, with namespaceSelectors only', () => {
    const ces = findObject(objects, 'ClusterExternalSecret', 'ghcr-dockerconfigjson');
    expect(ces.spec.namespaceSelectors).toEqual([
      { matchLabels: { 'secrets/ghcr': 'true' }, matchExpressions: [{ key: TENANT_LABEL, operator: 'In', values: ['alpha', 'zeta'] }] },
    ]);
    expect(ces.spec.namespaceSelector).toBeUndefined();
    expect(ces.spec.namespaces).toBeUndefined();
  });

  test('writes every defaulted field explicitly', () => {
    const spec = findObject(objects, 'ClusterExternalSecret', 'ghcr-dockerconfigjson').spec;
    // Go's canonical duration strings, as ESO writes them back, so a second apply finds nothing to change.
    expect(spec.refreshTime).toBe('5m0s');
    expect(spec.externalSecretSpec).toMatchObject({
      secretStoreRef: { kind: 'ClusterSecretStore', name: 'central-ghcr' },
      refreshPolicy: 'Periodic',
      refreshInterval: '1m0s',
      target: {
        creationPolicy: 'Owner',
        deletionPolicy: 'Retain',
        template: { engineVersion: 'v2', mergePolicy: 'Replace', type: 'kubernetes.io/dockerconfigjson' },
      },
    });
    expect(spec.externalSecretSpec.data).toEqual([
      { secretKey: 'password', remoteRef: { key: 'ghcr', property: 'password' } },
      { secretKey: 'username', remoteRef: { key: 'ghcr', property: 'username' } },
    ]);
  });

  test('props override interval and creation policy; consumer labels are added to the common ones', () => {
    const spec = findObject(objects, 'ClusterExternalSecret', 'ghcr-kargo').spec.externalSecretSpec;
    expect(spec.refreshInterval).toBe('30s');
    expect(spec.target.creationPolicy).toBe('Orphan');
    expect(spec.target.template.metadata.labels).toEqual({
      'managed-by': 'external-secrets',
      source: 'central-secret-store',
      'secret-type': 'docker-registry',
      'central-secret-store.io/credential': 'ghcr',
      'kargo.akuity.io/cred-type': 'image',
    });
  });

  test("every copy carries Reloader's match annotation, so a workload opts in with the search annotation alone", () => {
    for (const name of ['ghcr-dockerconfigjson', 'ghcr-kargo']) {
      const template = findObject(objects, 'ClusterExternalSecret', name).spec.externalSecretSpec.target.template;
      expect(template.metadata.annotations).toEqual({ 'reloader.stakater.com/match': 'true' });
    }
  });

  test('durations are written in the canonical form ESO stores, and a bad one names the prop', () => {
    const docker = ghcr.dockerConfigJson();
    const ces = findObject(
      synthConstructs(
        (s) => new CredentialDistribution(s, 'd', { format: docker, allowedTenants, refreshInterval: '90s', refreshTime: '1h' }),
      ),
      'ClusterExternalSecret',
      'ghcr-dockerconfigjson',
    );
    expect([ces.spec.externalSecretSpec.refreshInterval, ces.spec.refreshTime]).toEqual(['1m30s', '1h0m0s']);
    expect(() =>
      synthConstructs((s) => new CredentialDistribution(s, 'd', { format: docker, allowedTenants, refreshInterval: '1 minute' })),
    ).toThrow(/CredentialDistribution ghcr-dockerconfigjson: refreshInterval "1 minute" is not a Go duration/);
  });
});

describe('MasterCredential', () => {
  test('pulls each master key from its Key Vault secret through the Key Vault store', () => {
    const es = findObject(
      synthConstructs(
        (s) =>
          new MasterCredential(s, 'm', {
            credential: ghcr,
            vaultSecrets: { username: 'ghcr-user', password: 'ghcr-token' },
            store: KeyVaultStore.fromStoreName('keyvault'),
          }),
      ),
      'ExternalSecret',
      'ghcr',
    );
    expect(es.metadata.namespace).toBe('central-secret-store');
    expect(es.spec).toEqual({
      secretStoreRef: { kind: 'ClusterSecretStore', name: 'keyvault' },
      refreshPolicy: 'Periodic',
      refreshInterval: '5m0s',
      target: { name: 'ghcr', creationPolicy: 'Owner', deletionPolicy: 'Retain' },
      data: [
        { secretKey: 'password', remoteRef: { key: 'ghcr-token' } },
        { secretKey: 'username', remoteRef: { key: 'ghcr-user' } },
      ],
    });
  });
});

describe('typed credentials', () => {
  test('a master must name a vault secret for exactly the master keys of its kind', () => {
    const master = (vaultSecrets: Record<string, string>) => () =>
      synthConstructs(
        (s) => new MasterCredential(s, 'm', { credential: ghcr, vaultSecrets, store: KeyVaultStore.fromStoreName('keyvault') }),
      );
    expect(master({ username: 'u' })).toThrow(
      /MasterCredential ghcr: vaultSecrets must name a vault secret for exactly the master keys password, username; got username/,
    );
    expect(master({ username: 'u', password: 'p', token: 't' })).toThrow(/got password, token, username/);
  });

  test('each kind offers the formats that fit it, and refuses what would not work, saying what to use', () => {
    const ssh = new GitCredential({ name: 'deploy-key', url: 'ssh://git@git.example/x', login: GitLogin.SSH_KEY });
    expect(() => ssh.basicAuth()).toThrow(
      /GitCredential deploy-key: basicAuth needs a password login; this credential logs in with an SSH key, so use sshAuth/,
    );
    expect(ssh.sshAuth().secretType).toBe('kubernetes.io/ssh-auth');
    expect(ssh.masterKeys).toEqual(['sshPrivateKey']);
    const bundle = new TlsCredential({ name: 'edge', storage: TlsStorage.PEM_BUNDLE });
    expect(bundle.masterKeys).toEqual(['bundle']);
    expect(() => bundle.keyMapping({ keys: [{ from: 'tls.crt', to: 'cert' }] })).toThrow(
      /TlsCredential edge: keyMapping reads tls.crt, which the master does not have \(it has bundle\)/,
    );
    expect(() => new DockerRegistryCredential({ name: 'r', registries: [] })).toThrow(/registries must name at least one registry host/);
    expect(() => new GenericCredential({ name: 'Bad_Name', keys: ['k'] })).toThrow(
      /GenericCredential: name "Bad_Name" must be a DNS-1123 label/,
    );
    expect(() => new GenericCredential({ name: 'g', keys: ['a b'] })).toThrow(/keys "a b" must be a Secret data key/);
  });

  test('formats are named after their type unless named, and write <credential>-<name> unless told otherwise', () => {
    expect(ghcr.dockerConfigJson()).toMatchObject({ id: 'dockerconfigjson', secretName: 'ghcr-dockerconfigjson', credential: ghcr });
    expect(ghcr.kargo({ name: 'kargo-helm', credType: 'helm', secretName: 'charts' })).toMatchObject({
      id: 'kargo-helm',
      secretName: 'charts',
      labels: { 'kargo.akuity.io/cred-type': 'helm' },
    });
    expect(() => ghcr.opaque({ secretName: 'Not A Name' })).toThrow(/secretName "Not A Name" must be a DNS-1123 subdomain/);
  });

  test('a distribution for no tenant is refused', () => {
    expect(() => synthConstructs((s) => new CredentialDistribution(s, 'd', { format: ghcr.basicAuth(), allowedTenants: [] }))).toThrow(
      /allowedTenants is empty/,
    );
  });
});
