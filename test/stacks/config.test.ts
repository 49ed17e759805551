/**
 * The stack config parsed into one of four shapes, by the backend of the cluster's environment and the kind of
 * the cluster: what each shape needs, every problem at once by key, settings that do not apply refused, chart
 * sources exclusive.
 */
import * as pulumi from '@pulumi/pulumi';
import { type StackConfig, readStackConfig } from '../../stacks/config';
import { type Catalogue, loadCatalogue } from '../../tenants/lib';
import { FIXTURE_CATALOGUE_DIR, vaultFixture, writeFixture } from '../support/fixture-catalogue';
import { runWithMocks, stackFileConfig } from '../support/pulumi-mocks';

const catalogue = loadCatalogue(FIXTURE_CATALOGUE_DIR);
const vaultCatalogue = loadCatalogue(writeFixture(vaultFixture()));
const KUBECONFIG = { 'central-secret-store:kubeconfig': 'apiVersion: v1\nkind: Config\n' };
const SECRET_KEYS = ['kubeconfig', 'vaultSecretValues', 'vaultToken'].map((key) => `central-secret-store:${key}`);

/** The stack's config as readStackConfig returns it, or the error it throws. */
async function read(stack: string, config: Record<string, string>, from: Catalogue = catalogue): Promise<StackConfig | Error> {
  const { result } = await runWithMocks(
    stack,
    config,
    Object.keys(config).filter((key) => SECRET_KEYS.includes(key)),
    () => {
      try {
        return readStackConfig(() => from);
      } catch (error) {
        return error as Error;
      }
    },
  );
  return result;
}

async function parsed(stack: string, config: Record<string, string>, from: Catalogue = catalogue): Promise<StackConfig> {
  const result = await read(stack, config, from);
  if (result instanceof Error) throw result;
  return result;
}

/** The problems of a refused config, one per line, without the heading. */
async function problems(stack: string, config: Record<string, string>, from: Catalogue = catalogue): Promise<string[]> {
  const result = await read(stack, config, from);
  if (!(result instanceof Error)) throw new Error(`${stack}: the config was accepted`);
  const [heading, ...lines] = result.message.split('\n');
  expect(heading).toBe(`Stack ${stack} cannot be deployed:`);
  return lines.map((line) => line.replace(/^ {2}- /, ''));
}

const keysOf = (lines: readonly string[]) => lines.map((line) => line.slice(0, line.indexOf(': ')));
const valueOf = <T>(output: pulumi.Output<T>) => new Promise<T>((resolve) => output.apply(resolve));

describe('each stack is one of four shapes, with what its shape needs', () => {
  test('an aks cluster of a Key Vault environment: region, vault settings and the AKS cluster', async () => {
    const config = await parsed('aks-weu-prod', { ...stackFileConfig('aks-weu-prod'), 'central-secret-store:vaultSecretValues': '{}' });
    if (config.backend !== 'keyVault' || config.kind !== 'aks') throw new Error(`got ${config.backend} ${config.kind}`);
    expect(config.cluster.name).toBe('aks-weu-prod');
    expect(config.environment.keyVault.name).toBe('contoso-css-prod');
    expect(config.ownsVault).toBe(true);
    expect(config.location).toBe('westeurope');
    expect(config.aksResourceGroup).toBe('rg-aks-weu-prod');
    expect(config.aksName).toBeUndefined();
    expect(config.keyVaultSku).toBe('premium');
    expect(config.esoReplicas).toBe(2);
    // Windows from the stack file, as written.
    expect(config.vaultSecrets).toEqual([
      { name: 'datadog-api-key', expires: '2027-06-30T00:00:00Z', notBefore: undefined },
      { name: 'datadog-app-key', expires: '2027-06-30T00:00:00Z', notBefore: undefined },
    ]);
    // Defaults stay with the components that apply them.
    expect(config.serviceMonitor).toBeUndefined();
    expect(config.reloader).toBeUndefined();
  });

  test("a generic cluster of a Key Vault environment: its kubeconfig as a secret and its service principal's end date", async () => {
    const config = await parsed('edge-k3s-ams-01', { ...stackFileConfig('edge-k3s-ams-01'), ...KUBECONFIG });
    if (config.backend !== 'keyVault' || config.kind !== 'generic') throw new Error(`got ${config.backend} ${config.kind}`);
    expect(config.ownsVault).toBe(false);
    expect(config.servicePrincipalPasswordEndDate).toBe('2027-05-31T00:00:00Z');
    expect(await pulumi.isSecret(config.kubeconfig)).toBe(true);
    expect(await valueOf(config.kubeconfig)).toBe(KUBECONFIG['central-secret-store:kubeconfig']);
    expect(config.vaultSecrets).toEqual([]);
  });

  test('a generic cluster of a HashiCorp Vault environment: no Azure setting at all', async () => {
    const config = await parsed('k3s-onprem-01', {
      ...stackFileConfig('k3s-onprem-01'),
      ...KUBECONFIG,
      'azure-native:location': 'westeurope',
    });
    if (config.backend !== 'vault' || config.kind !== 'generic') throw new Error(`got ${config.backend} ${config.kind}`);
    expect(config.environment.vault.address).toBe('https://vault.dc1.contoso.example:8200');
    expect(config.ownsSpaces).toBe(true);
    expect(config.vaultKubernetesHost).toBe('https://k3s-onprem-01.dc1.contoso.example:6443');
    expect(config.vaultToken).toBeUndefined();
    // azure-native's own setting is left to azure-native there.
    expect('location' in config).toBe(false);
    expect(config.settings).not.toHaveProperty('location');
  });

  test('an aks cluster of a HashiCorp Vault environment: the AKS cluster, no region', async () => {
    const config = await parsed(
      'v2',
      { 'central-secret-store:aksResourceGroup': 'rg-v2', 'central-secret-store:aksName': 'aks-v2' },
      vaultCatalogue,
    );
    if (config.backend !== 'vault' || config.kind !== 'aks') throw new Error(`got ${config.backend} ${config.kind}`);
    expect([config.aksResourceGroup, config.aksName, config.ownsSpaces]).toEqual(['rg-v2', 'aks-v2', false]);
  });

  test("the catalogue is loaded from the stack's catalogue setting, and the cluster setting overrides the stack name", async () => {
    let folder: string | undefined;
    const { result } = await runWithMocks(
      'any-stack-name',
      { 'central-secret-store:catalogue': 'catalogues/contoso', 'central-secret-store:cluster': 'k3s-onprem-01', ...KUBECONFIG },
      SECRET_KEYS,
      () =>
        readStackConfig((given) => {
          folder = given;
          return catalogue;
        }),
    );
    expect(folder).toBe('catalogues/contoso');
    expect(result.cluster.name).toBe('k3s-onprem-01');
  });

  test('the digest settings hold every plain setting and no secret', async () => {
    const config = await parsed('edge-k3s-ams-01', {
      ...stackFileConfig('edge-k3s-ams-01'),
      ...KUBECONFIG,
      'central-secret-store:reloader': 'false',
    });
    expect(config.settings).toEqual({
      cluster: 'edge-k3s-ams-01',
      catalogue: undefined,
      location: 'westeurope',
      servicePrincipalPasswordEndDate: '2027-05-31T00:00:00Z',
      serviceMonitor: false,
      reloader: false,
      vaultSecrets: [],
    });
  });
});

describe('every missing setting is reported at once, by key', () => {
  test.each([
    ['aks-weu-staging', catalogue, ['azure-native:location', 'central-secret-store:aksResourceGroup']],
    [
      'edge-k3s-ams-01',
      catalogue,
      ['central-secret-store:kubeconfig', 'central-secret-store:servicePrincipalPasswordEndDate', 'azure-native:location'],
    ],
    ['k3s-onprem-01', catalogue, ['central-secret-store:kubeconfig']],
    ['v2', vaultCatalogue, ['central-secret-store:aksResourceGroup']],
  ])('%s with no settings', async (stack, from, keys) => {
    expect(keysOf(await problems(stack, {}, from)).sort()).toEqual([...keys].sort());
  });

  test('each says what needs it', async () => {
    expect(await problems('edge-k3s-ams-01', {})).toEqual([
      "azure-native:location: required in a Key Vault environment: the region of the Key Vault and of ESO's identity",
      'central-secret-store:kubeconfig: required for a generic cluster, as a secret: pulumi config set --secret kubeconfig < kubeconfig.yaml',
      'central-secret-store:servicePrincipalPasswordEndDate: required for a generic cluster of a Key Vault environment: ESO signs in with a service principal',
    ]);
  });

  test('missing, invalid and misplaced settings and the vault secrets, together', async () => {
    const lines = await problems('edge-k3s-ams-01', {
      'azure-native:location': 'westeurope',
      'central-secret-store:servicePrincipalPasswordEndDate': 'next year',
      'central-secret-store:keyVaultSku': 'gold',
      'central-secret-store:esoReplicas': '9',
      'central-secret-store:vaultKubernetesHost': 'https://10.0.0.1:6443',
      'central-secret-store:aksResourceGroup': 'rg',
      'central-secret-store:vaultSecrets': JSON.stringify([{ name: 'random-thing' }]),
      'central-secret-store:esoVaultTokenCache': 'true',
    });
    expect(lines).toEqual(
      expect.arrayContaining([
        'central-secret-store:kubeconfig: required for a generic cluster, as a secret: pulumi config set --secret kubeconfig < kubeconfig.yaml',
        'central-secret-store:servicePrincipalPasswordEndDate: must be an RFC 3339 timestamp such as 2027-05-31T00:00:00Z',
        expect.stringMatching(/^central-secret-store:keyVaultSku: Invalid option/),
        expect.stringMatching(/^central-secret-store:esoReplicas: Too big/),
        'central-secret-store:vaultKubernetesHost: not for this stack (edge-k3s-ams-01 is a generic cluster of environment prod, which uses Azure Key Vault): only for HashiCorp Vault environments',
        'central-secret-store:aksResourceGroup: not for this stack (edge-k3s-ams-01 is a generic cluster of environment prod, which uses Azure Key Vault): only for aks clusters',
        'central-secret-store:esoVaultTokenCache: not for this stack (edge-k3s-ams-01 is a generic cluster of environment prod, which uses Azure Key Vault): only for HashiCorp Vault environments: Key Vault stores have no token to keep',
        "central-secret-store:vaultSecrets: can only be set on the stack that owns the environment's Key Vault",
        'central-secret-store:vaultSecrets: "random-thing" is not a Key Vault secret the catalogue references',
        'central-secret-store:vaultSecrets: "random-thing" needs expires (the catalogue gives it no validity window)',
      ]),
    );
    expect(lines).toHaveLength(10);
  });

  test('listed vault secrets need their values, and take their window from the catalogue', async () => {
    const secret = { 'central-secret-store:vaultSecrets': JSON.stringify([{ name: 'payments--settlement-signing-key' }]) };
    expect(await problems('aks-weu-prod', { ...stackFileConfig('aks-weu-prod'), ...secret })).toEqual([
      "central-secret-store:vaultSecretValues: required while vaultSecrets lists secrets, as a secret: pulumi config set --secret --path 'vaultSecretValues.<name>' <value>",
    ]);
    const config = await parsed('aks-weu-prod', {
      ...stackFileConfig('aks-weu-prod'),
      ...secret,
      'central-secret-store:vaultSecretValues': '{}',
    });
    if (config.backend !== 'keyVault') throw new Error('a Key Vault stack');
    expect(config.vaultSecrets).toEqual([
      { name: 'payments--settlement-signing-key', expires: '2028-06-30T00:00:00Z', notBefore: '2026-01-01T00:00:00Z' },
    ]);
  });

  test('an unknown cluster is named with the ones the catalogue has', async () => {
    expect(await problems('nowhere', {})).toEqual([
      'central-secret-store:cluster: the catalogue has no cluster "nowhere" (the stack name, unless set); it has aks-weu-prod, aks-weu-staging, edge-k3s-ams-01, k3s-onprem-01',
    ]);
  });
});

describe('chart sources and Reloader', () => {
  const onprem = { ...stackFileConfig('k3s-onprem-01'), ...KUBECONFIG };

  test('a local folder or an OCI mirror, each for either chart', async () => {
    const config = await parsed('k3s-onprem-01', {
      ...onprem,
      'central-secret-store:esoChart': JSON.stringify({ path: 'charts/external-secrets' }),
      'central-secret-store:reloaderChart': JSON.stringify({ repo: 'oci://mirror.example/charts' }),
      'central-secret-store:esoValues': JSON.stringify({ image: { repository: 'mirror.example/external-secrets', pullPolicy: 'Never' } }),
    });
    expect([config.esoChart, config.reloaderChart]).toEqual([{ path: 'charts/external-secrets' }, { repo: 'oci://mirror.example/charts' }]);
    expect(config.esoValues).toEqual({ image: { repository: 'mirror.example/external-secrets', pullPolicy: 'Never' } });
  });

  test('path and repo exclude each other; one is needed; a repo is an OCI registry; reloaderChart needs Reloader', async () => {
    expect(
      await problems('k3s-onprem-01', {
        ...onprem,
        'central-secret-store:esoChart': JSON.stringify({ path: 'charts/external-secrets', repo: 'oci://mirror.example/charts' }),
        'central-secret-store:reloaderChart': JSON.stringify({}),
      }),
    ).toEqual([
      'central-secret-store:esoChart: give either path (a local chart folder) or repo (an OCI mirror, oci://...), not both',
      'central-secret-store:reloaderChart: give either path (a local chart folder) or repo (an OCI mirror, oci://...), got neither',
    ]);
    expect(
      await problems('k3s-onprem-01', {
        ...onprem,
        'central-secret-store:esoChart': JSON.stringify({ repo: 'https://charts.external-secrets.io' }),
      }),
    ).toEqual(['central-secret-store:esoChart.repo: must be an OCI registry address such as oci://registry.example/charts']);
    expect(
      await problems('k3s-onprem-01', {
        ...onprem,
        'central-secret-store:reloader': 'false',
        'central-secret-store:reloaderChart': JSON.stringify({ path: 'charts/reloader' }),
      }),
    ).toEqual(['central-secret-store:reloaderChart: given while reloader is false: remove it, or turn reloader on']);
  });
});

describe('the in-cluster canary check', () => {
  const onprem = { ...stackFileConfig('k3s-onprem-01'), ...KUBECONFIG };
  const image = `registry.example/kubectl@sha256:${'e'.repeat(64)}`;

  test('its image and Pushgateway, and a schedule', async () => {
    const config = await parsed('k3s-onprem-01', {
      ...onprem,
      'central-secret-store:canaryCheckImage': image,
      'central-secret-store:canaryPushgateway': 'http://gw:9091',
      'central-secret-store:canaryCheckSchedule': '*/2 * * * *',
    });
    expect([config.canaryCheckImage, config.canaryPushgateway, config.canaryCheckSchedule]).toEqual([
      image,
      'http://gw:9091',
      '*/2 * * * *',
    ]);
  });

  test('needs both, schedules nothing alone, and only where the cluster has a canary', async () => {
    expect(await problems('k3s-onprem-01', { ...onprem, 'central-secret-store:canaryCheckImage': image })).toEqual([
      'central-secret-store:canaryPushgateway: required with canaryCheckImage: the in-cluster canary check needs both',
    ]);
    expect(await problems('k3s-onprem-01', { ...onprem, 'central-secret-store:canaryCheckSchedule': '* * * * *' })).toEqual([
      'central-secret-store:canaryCheckSchedule: given without canaryCheckImage and canaryPushgateway: there is no in-cluster canary check to schedule',
    ]);
    const noCanary = {
      ...catalogue,
      clusters: catalogue.clusters.map((c) => (c.name === 'k3s-onprem-01' ? { ...c, canary: { enabled: false } } : c)),
    } as Catalogue;
    expect(
      await problems(
        'k3s-onprem-01',
        { ...onprem, 'central-secret-store:canaryCheckImage': image, 'central-secret-store:canaryPushgateway': 'http://gw:9091' },
        noCanary,
      ),
    ).toEqual([
      "central-secret-store:canaryCheckImage: the catalogue gives this cluster no canary (its canary is disabled): remove it, or enable the cluster's canary",
      "central-secret-store:canaryPushgateway: the catalogue gives this cluster no canary (its canary is disabled): remove it, or enable the cluster's canary",
    ]);
  });
});
