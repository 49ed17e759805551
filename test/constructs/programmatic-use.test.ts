/**
 * The constructs used directly, without the catalogue that checks names first: every Kubernetes name a
 * construct takes is refused where it is given, with what to change, and two constructs that would write the
 * same object are refused at synth, naming both.
 */
import { App, Chart, Testing } from 'cdk8s';
import type { Construct } from 'constructs';
import {
  Canary,
  CentralCredentialStore,
  CentralSecretStore,
  CredentialDistribution,
  GenericCredential,
  KeyVaultStore,
  MasterCredential,
  NamespaceLabelGuard,
  OperatorSecret,
  SecretPlaneAlerts,
  ServiceAccountPullSecrets,
  StoreReferenceGuard,
  TenantGlobalSecret,
  TenantNamespace,
  TenantOwnerRole,
  TenantSecret,
  VaultStore,
  WorkloadSecret,
} from '../../constructs/src';
import { synthConstructs } from '../support/synth';

const owners = [{ kind: 'Group' as const, name: 'checkout-admins' }];
const store = KeyVaultStore.fromStoreName('tenant-checkout');
const own = { tenant: 'checkout', name: 'db', vaultSecrets: { password: 'checkout--db' }, store };
const conditions = [{ namespaces: ['central-secret-store'] }];
const vaultAuth = { mountPath: 'kubernetes', role: 'masters', audiences: ['vault'] };
const refused = (build: (scope: Construct) => void) => () => synthConstructs(build);

describe('Kubernetes names are checked where they are given', () => {
  test('a TenantNamespace named Checkout_Web is refused, saying what a namespace name must be and suggesting one', () => {
    expect(refused((s) => new TenantNamespace(s, 'ns', { name: 'Checkout_Web', tenant: 'checkout', owners }))).toThrow(
      'TenantNamespace Checkout_Web: name "Checkout_Web" must be a DNS-1123 label: at most 63 lowercase letters, digits and "-", starting and ending with a letter or digit (for example "checkout-web")',
    );
  });

  test.each<[string, (s: Construct) => void, RegExp]>([
    [
      'TenantNamespace tenant',
      (s) => new TenantNamespace(s, 'ns', { name: 'web', tenant: 'check out', owners }),
      /TenantNamespace web: tenant "check out" must be a Kubernetes label value/,
    ],
    [
      'TenantNamespace requests',
      (s) => new TenantNamespace(s, 'ns', { name: 'web', tenant: 'checkout', owners, requests: ['ghcr', 'GHCR_Pull'] }),
      /TenantNamespace web: requests\[1\] "GHCR_Pull" must be a DNS-1123 label/,
    ],
    [
      'TenantNamespace label key',
      (s) => new TenantNamespace(s, 'ns', { name: 'web', tenant: 'checkout', owners, labels: { 'team name': 'x' } }),
      /TenantNamespace web: label key "team name" must be a Kubernetes label key/,
    ],
    [
      'TenantNamespace label value',
      (s) => new TenantNamespace(s, 'ns', { name: 'web', tenant: 'checkout', owners, labels: { team: 'a/b' } }),
      /TenantNamespace web: label "team" value "a\/b" must be a Kubernetes label value/,
    ],
    [
      'TenantOwnerRole name',
      (s) => new TenantOwnerRole(s, 'role', { name: 'tenants/owner' }),
      /TenantOwnerRole tenants\/owner: name "tenants\/owner" must be an RBAC name/,
    ],
    [
      'CentralSecretStore namespaceName',
      (s) => new CentralSecretStore(s, 'c', { namespaceName: 'Central' }),
      /CentralSecretStore Central: namespaceName "Central" must be a DNS-1123 label.*\(for example "central"\)/,
    ],
    [
      'CentralSecretStore readerServiceAccountName',
      (s) => new CentralSecretStore(s, 'c', { readerServiceAccountName: 'reader_sa' }),
      /CentralSecretStore central-secret-store: readerServiceAccountName "reader_sa" must be a DNS-1123 subdomain/,
    ],
    [
      'CentralCredentialStore name',
      (s) =>
        new CentralCredentialStore(s, 'st', {
          central: new CentralSecretStore(s, 'c'),
          credential: 'ghcr',
          name: 'Central.GHCR',
          allowedTenants: ['checkout'],
        }),
      /CentralCredentialStore ghcr: name "Central.GHCR" must be a DNS-1123 subdomain/,
    ],
    [
      'CentralCredentialStore allowedTenants',
      (s) =>
        new CentralCredentialStore(s, 'st', { central: new CentralSecretStore(s, 'c'), credential: 'ghcr', allowedTenants: ['check out'] }),
      /CentralCredentialStore ghcr: allowedTenants\[0\] "check out" must be a Kubernetes label value/,
    ],
    [
      'CredentialDistribution name',
      (s) =>
        new CredentialDistribution(s, 'd', {
          format: new GenericCredential({ name: 'api', keys: ['token'] }).opaque(),
          allowedTenants: ['checkout'],
          name: 'API_opaque',
        }),
      /CredentialDistribution API_opaque: name "API_opaque" must be a DNS-1123 subdomain/,
    ],
    [
      'KeyVaultStore name',
      (s) => new KeyVaultStore(s, 'kv', { name: 'Key Vault', vaultUrl: 'https://kv.vault.azure.net/', tenantId: 't', conditions }),
      /KeyVaultStore Key Vault: name "Key Vault" must be a DNS-1123 subdomain/,
    ],
    [
      'KeyVaultStore identitySecret namespace',
      (s) =>
        new KeyVaultStore(s, 'kv', {
          name: 'keyvault',
          vaultUrl: 'https://kv.vault.azure.net/',
          tenantId: 't',
          conditions,
          identitySecret: { name: 'id', namespace: 'ESO' },
        }),
      /KeyVaultStore keyvault: identitySecret.namespace "ESO" must be a DNS-1123 label/,
    ],
    [
      'VaultStore name',
      (s) =>
        new VaultStore(s, 'v', {
          name: 'vault_masters',
          server: 'https://vault.example:8200',
          mountPath: 'secret',
          conditions,
          auth: vaultAuth,
        }),
      /VaultStore vault_masters: name "vault_masters" must be a DNS-1123 subdomain/,
    ],
    [
      'MasterCredential namespace',
      (s) =>
        new MasterCredential(s, 'm', {
          credential: new GenericCredential({ name: 'api', keys: ['token'] }),
          vaultSecrets: { token: 'api-token' },
          store,
          namespace: 'Central',
        }),
      /MasterCredential api: namespace "Central" must be a DNS-1123 label/,
    ],
    [
      'TenantSecret name',
      (s) => new TenantSecret(s, 't', { ...own, name: 'DB', namespace: 'web' }),
      /TenantSecret DB: name "DB" must be a DNS-1123 subdomain/,
    ],
    [
      'TenantSecret namespace',
      (s) => new TenantSecret(s, 't', { ...own, namespace: 'Web' }),
      /TenantSecret db: namespace "Web" must be a DNS-1123 label/,
    ],
    [
      'TenantSecret data key',
      (s) => new TenantSecret(s, 't', { ...own, namespace: 'web', vaultSecrets: { 'db password': 'checkout--db' } }),
      /TenantSecret db: key "db password" of vaultSecrets must be a Secret data key/,
    ],
    [
      'OperatorSecret jsonKey',
      (s) => new OperatorSecret(s, 'o', { ...own, namespace: 'web', operator: 'vsecm', jsonKey: 'VSECM SECRET' }),
      /OperatorSecret db: jsonKey "VSECM SECRET" must be a Secret data key/,
    ],
    [
      'TenantSecret label',
      (s) => new TenantSecret(s, 't', { ...own, namespace: 'web', labels: { 'a b': 'x' } }),
      /TenantSecret db: label key "a b" must be a Kubernetes label key/,
    ],
    [
      'WorkloadSecret serviceAccount',
      (s) => new WorkloadSecret(s, 'w', { ...own, namespace: 'web', serviceAccount: 'Signer', spiffeId: 'spiffe://td/ns/web/sa/Signer' }),
      /WorkloadSecret db: serviceAccount "Signer" must be a DNS-1123 subdomain/,
    ],
    [
      'OperatorSecret operator',
      (s) => new OperatorSecret(s, 'o', { ...own, namespace: 'web', operator: 'v secm' }),
      /OperatorSecret db: operator "v secm" must be a Kubernetes label value/,
    ],
    [
      'TenantGlobalSecret distributionName',
      (s) => new TenantGlobalSecret(s, 'g', { ...own, distributionName: 'Checkout DB' }),
      /TenantGlobalSecret db: distributionName "Checkout DB" must be a DNS-1123 subdomain/,
    ],
    [
      'ServiceAccountPullSecrets namespace',
      (s) => new ServiceAccountPullSecrets(s, 'p', { namespace: 'Web', secretNames: ['ghcr-pull'] }),
      /ServiceAccount Web\/default: namespace "Web" must be a DNS-1123 label/,
    ],
    [
      'Canary namespaceName',
      (s) => new Canary(s, 'canary', { central: new CentralSecretStore(s, 'c'), store, vaultSecret: 'canary', namespaceName: 'Canary' }),
      /Canary canary: namespaceName "Canary" must be a DNS-1123 label/,
    ],
    [
      'NamespaceLabelGuard name',
      (s) => new NamespaceLabelGuard(s, 'g', { deployers: { users: ['deployer'] }, name: 'Labels' }),
      /NamespaceLabelGuard: name "Labels" must be a DNS-1123 subdomain/,
    ],
    [
      'StoreReferenceGuard centralNamespace',
      (s) =>
        new StoreReferenceGuard(s, 'g', {
          platformIdentities: { users: ['deployer'] },
          sharedStores: ['keyvault'],
          centralStorePrefix: 'central-',
          tenantStorePrefix: 'tenant-',
          centralNamespace: 'Central',
        }),
      /StoreReferenceGuard: centralNamespace "Central" must be a DNS-1123 label/,
    ],
    [
      'SecretPlaneAlerts namespace',
      (s) => new SecretPlaneAlerts(s, 'alerts', { namespace: 'Monitoring' }),
      /SecretPlaneAlerts alerts: namespace "Monitoring" must be a DNS-1123 label/,
    ],
  ])('%s', (_, build, message) => {
    expect(refused(build)).toThrow(message);
  });
});

describe('two constructs that write the same object', () => {
  test('two TenantNamespaces named web are refused at synth, naming both construct paths', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'team', { disableResourceNameHashes: true });
    new TenantNamespace(chart, 'web', { name: 'web', tenant: 'checkout', owners });
    new TenantNamespace(chart, 'web-again', { name: 'web', tenant: 'checkout', owners });
    expect(() => app.synth()).toThrow(
      /Namespace web is written by team\/web\/Resource and team\/web-again\/Resource; give one of them another name/,
    );
    expect(() => app.synth()).toThrow(/RoleBinding web\/tenant-owners is written by team\/web\/Owners and team\/web-again\/Owners/);
    expect(() => Testing.synth(chart)).toThrow(/Namespace web is written by/);
  });

  test('the same name in two namespaces, or for two kinds, is no clash', () => {
    const app = new App({ outdir: Testing.app().outdir });
    const chart = new Chart(app, 'team', { disableResourceNameHashes: true });
    new TenantSecret(chart, 'a', { ...own, namespace: 'web' });
    new TenantSecret(chart, 'b', { ...own, namespace: 'api' });
    new ServiceAccountPullSecrets(chart, 'p', { namespace: 'web', serviceAccountName: 'db', secretNames: ['ghcr-pull'] });
    expect(() => app.synth()).not.toThrow();
  });
});
