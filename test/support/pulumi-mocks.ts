/**
 * Runs Pulumi code under `pulumi.runtime.setMocks`, with no CLI and no cloud, and records every resource
 * registration: its type, name, exact inputs, parent and the URNs it depends on.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as pulumi from '@pulumi/pulumi';
import { parse } from 'yaml';
import { MANIFEST_SET_TYPE } from '../../stacks/policy/policies';

export interface RecordedResource {
  readonly type: string;
  readonly name: string;
  readonly urn: string;
  readonly inputs: any;
  /** Inputs as sent to the engine, secrets still wrapped: what would reach the state file. */
  readonly wireInputs: unknown;
  readonly parent: string;
  readonly dependencies: readonly string[];
  readonly custom: boolean;
  /** Whether `protect` is set: Pulumi refuses to delete the resource. */
  readonly protect: boolean;
}

export const SUBSCRIPTION_ID = '9b2f7c1e-3d4a-4e5f-8a6b-7c8d9e0f1a2b';
export const MOCK_KUBECONFIG = 'apiVersion: v1\nkind: Config\nclusters: []\n';
export const issuerOf = (aksName: string) => `https://westeurope.oic.prod-aks.azure.com/tenant/${aksName}/`;
/** What the token controller writes into a ServiceAccount token Secret, here. */
export const MOCK_SERVICE_ACCOUNT_TOKEN = 'MOCK-REVIEWER-JWT-VALUE';
export const vaultIdOf = (group: string, name: string) =>
  `/subscriptions/${SUBSCRIPTION_ID}/resourceGroups/${group}/providers/Microsoft.KeyVault/vaults/${name}`;

/** Outputs the cloud would compute, for the resource types whose outputs the program reads. */
function outputsOf(type: string, name: string, inputs: any): Record<string, unknown> {
  switch (type) {
    case 'azure-native:keyvault:Vault':
      return { name: inputs.vaultName, properties: { ...inputs.properties, vaultUri: `https://${inputs.vaultName}.vault.azure.net/` } };
    case 'azure-native:managedidentity:UserAssignedIdentity':
      return {
        clientId: `client-id-of-${inputs.resourceName}`,
        principalId: `principal-id-of-${inputs.resourceName}`,
        name: inputs.resourceName,
      };
    case 'azuread:index/application:Application':
      return { clientId: `client-id-of-${inputs.displayName}`, objectId: `object-id-of-${inputs.displayName}` };
    case 'azuread:index/servicePrincipal:ServicePrincipal':
      return { objectId: `sp-object-id-of-${name}` };
    case 'azuread:index/applicationPassword:ApplicationPassword':
      return { value: 'mock-password-value-never-in-plaintext', keyId: 'k' };
    case 'azure-native:keyvault:Key':
      return { keyUri: `https://${inputs.vaultName}.vault.azure.net/keys/${inputs.keyName}` };
    case 'kubernetes:core/v1:Secret':
      return inputs.type === 'kubernetes.io/service-account-token'
        ? { data: { token: Buffer.from(MOCK_SERVICE_ACCOUNT_TOKEN).toString('base64') } }
        : {};
    case 'azure-native:resources:ResourceGroup':
      return { name: inputs.resourceGroupName };
    default:
      return {};
  }
}

function mocks(): pulumi.runtime.Mocks {
  return {
    newResource(args) {
      const id =
        args.type === 'azure-native:keyvault:Vault'
          ? vaultIdOf(args.inputs.resourceGroupName, args.inputs.vaultName)
          : args.type === 'azure-native:keyvault:Key'
            ? `${vaultIdOf(args.inputs.resourceGroupName, args.inputs.vaultName)}/keys/${args.inputs.keyName}`
            : `${args.name}-id`;
      return { id, state: { ...args.inputs, ...outputsOf(args.type, args.name, args.inputs) } };
    },
    call(args) {
      switch (args.token) {
        case 'azure-native:authorization:getClientConfig':
          return {
            subscriptionId: SUBSCRIPTION_ID,
            tenantId: '6f1c2a4e-8b3d-4c5e-9f70-1a2b3c4d5e6f',
            clientId: 'deployer',
            objectId: 'deployer-object',
          };
        case 'azure-native:containerservice:getManagedCluster':
          return {
            oidcIssuerProfile: { enabled: true, issuerURL: issuerOf(args.inputs.resourceName) },
            identity: { type: 'SystemAssigned', principalId: `aks-principal-of-${args.inputs.resourceName}` },
          };
        case 'azure-native:containerservice:listManagedClusterUserCredentials':
          return { kubeconfigs: [{ name: 'clusterUser', value: Buffer.from(MOCK_KUBECONFIG).toString('base64') }] };
        case 'azure-native:keyvault:getVault':
          return {
            id: vaultIdOf(args.inputs.resourceGroupName, args.inputs.vaultName),
            name: args.inputs.vaultName,
            properties: { vaultUri: `https://${args.inputs.vaultName}.vault.azure.net/` },
          };
        default:
          throw new Error(`unexpected invoke ${args.token}`);
      }
    },
  };
}

/** The config of a committed stack file, as Pulumi hands it to the program (objects as JSON text). */
export function stackFileConfig(stack: string): Record<string, string> {
  const file = parse(readFileSync(join(__dirname, '..', '..', `Pulumi.${stack}.yaml`), 'utf8'));
  return Object.fromEntries(Object.entries<unknown>(file.config ?? {}).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
}

/**
 * Runs `program` as stack `stack` with the given config, waits until no more resources register, and
 * returns what was registered.
 */
export async function runWithMocks<T>(
  stack: string,
  config: Record<string, string>,
  secretKeys: string[],
  program: () => T,
): Promise<{ result: T; resources: RecordedResource[] }> {
  const resources: RecordedResource[] = [];
  await pulumi.runtime.setMocks(mocks(), 'central-secret-store', stack, false);
  const monitor = pulumi.runtime.getMonitor() as any;
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req: any, callback: any) => {
    resources.push({
      type: req.getType(),
      name: req.getName(),
      urn: monitor.newUrn(req.getParent(), req.getType(), req.getName()),
      inputs: pulumi.runtime.deserializeProperties(req.getObject()),
      wireInputs: req.getObject().toJavaScript(),
      parent: req.getParent(),
      dependencies: req.getDependenciesList(),
      custom: req.getCustom(),
      protect: req.getProtect() === true,
    });
    return register(req, callback);
  };
  pulumi.runtime.setAllConfig(config, secretKeys);
  const result = program();
  // Registrations happen asynchronously; wait until the count has been stable for a while (bounded).
  let last = -1;
  for (let stable = 0, i = 0; stable < 5 && i < 400; i++) {
    await new Promise((r) => setTimeout(r, 10));
    stable = resources.length === last ? stable + 1 : 0;
    last = resources.length;
  }
  return { result, resources };
}

const SECRET_SIG = '4dabf18193072939515e22adb298388d';
const SECRET_VALUE = '1b47061264138c4ac30d75fd1eb44270';

/** Paths at which `needle` appears in `wire` outside a secret envelope, i.e. would be stored in plaintext. */
export function plaintextPaths(wire: unknown, needle: string, path = ''): string[] {
  if (typeof wire === 'string') return wire.includes(needle) ? [path] : [];
  if (Array.isArray(wire)) return wire.flatMap((v, i) => plaintextPaths(v, needle, `${path}[${i}]`));
  if (wire && typeof wire === 'object') {
    if ((wire as Record<string, unknown>)[SECRET_SIG] === SECRET_VALUE) return [];
    return Object.entries(wire).flatMap(([k, v]) => plaintextPaths(v, needle, `${path}.${k}`));
  }
  return [];
}

/** The inputs with secret envelopes removed: what a policy validator sees. */
export function unwrapSecrets(value: unknown): any {
  if (Array.isArray(value)) return value.map(unwrapSecrets);
  if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if (record[SECRET_SIG] === SECRET_VALUE) return unwrapSecrets(record.value);
    return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, unwrapSecrets(v)]));
  }
  return value;
}

export function only(resources: readonly RecordedResource[], type: string): RecordedResource {
  const found = resources.filter((r) => r.type === type);
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}: ${found.map((r) => r.name).join(', ')}`);
  return found[0];
}

/** The ManifestSets a program declared (stacks/manifest-set.ts), by set name. */
export function manifestSetsOf(resources: readonly RecordedResource[]): Map<string, RecordedResource> {
  return new Map(resources.filter((r) => r.type === MANIFEST_SET_TYPE).map((r) => [r.inputs.set as string, r]));
}
