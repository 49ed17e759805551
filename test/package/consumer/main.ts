// An app team's cdk8s app that installed only @central-secret-store/constructs, cdk8s and constructs: its own
// registry credential, pulled from the platform's Key Vault into the central namespace and handed to the
// team's namespaces as an imagePullSecret and a Kargo credential.
import { App, Chart } from 'cdk8s';
import {
  CentralCredentialStore,
  CentralSecretStore,
  CredentialDistribution,
  DockerRegistryCredential,
  KeyVaultStore,
  MasterCredential,
  TenantNamespace,
} from '@central-secret-store/constructs';

const app = new App();
const chart = new Chart(app, 'registry-access', { disableResourceNameHashes: true });

const central = new CentralSecretStore(chart, 'central');
const ghcr = new DockerRegistryCredential({ name: 'ghcr-pull', registries: ['ghcr.io'] });
new MasterCredential(chart, 'master', {
  credential: ghcr,
  vaultSecrets: { username: 'ghcr-pull-username', password: 'ghcr-pull-token' },
  store: KeyVaultStore.fromStoreName('keyvault'),
});
const store = new CentralCredentialStore(chart, 'store', { central, credential: ghcr.name, allowedTenants: ['checkout'] });
for (const format of [ghcr.dockerConfigJson(), ghcr.kargo({ repoURL: 'ghcr.io/contoso' })]) {
  new CredentialDistribution(chart, format.id, { format, store, allowedTenants: ['checkout'] });
}
new TenantNamespace(chart, 'checkout-web', {
  name: 'checkout-web',
  tenant: 'checkout',
  requests: [ghcr.name],
  owners: [{ kind: 'Group', name: 'checkout-admins' }],
});

app.synth();
