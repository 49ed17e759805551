/**
 * Defaults of the catalogue, resolved in one place so that the constructs, the stacks and the validation
 * all agree on them.
 */
import type { Catalogue } from './catalogue';
import { COPY_REFRESH_INTERVAL, canaryVaultPath, defaultSecretName } from '@central-secret-store/constructs/vocabulary';
import { quoted } from './secret-like';
import { parseVaultReference } from './vault-layout';
import {
  type Cluster,
  type Credential,
  type Environment,
  type Format,
  type ImagePullSecret,
  type OwnSecret,
  type Tenant,
  type TenantNamespace,
  type VaultSettings,
  canarySchema,
} from './schema';

/** A credential's output format with its defaults applied. */
export interface ResolvedFormat {
  /** Unique within the credential; part of the ClusterExternalSecret name. */
  readonly id: string;
  /** Name of the Secret written to tenant namespaces. */
  readonly secretName: string;
  readonly format: Format;
}

/** The natural format of each kind, used when a credential lists none. */
function defaultFormat(credential: Credential): Format {
  switch (credential.kind) {
    case 'docker-registry':
      return { type: 'dockerconfigjson' };
    case 'git':
      return masterKeysOf(credential).includes('sshPrivateKey') ? { type: 'ssh-auth' } : { type: 'basic-auth' };
    case 'oauth':
      return { type: 'oauth' };
    case 'tls':
      return { type: 'tls' };
    case 'generic':
      return { type: 'opaque' };
  }
}

export function formatsOf(credential: Credential): ResolvedFormat[] {
  const formats = credential.formats ?? [defaultFormat(credential)];
  return formats.map((format) => {
    const id = format.name ?? format.type;
    return { id, secretName: format.secretName ?? defaultSecretName(credential.name, id), format };
  });
}

/**
 * Keys of the master Secret in the central namespace, in a stable order. Validation makes both backends name
 * the same keys when a credential names both.
 */
export function masterKeysOf(credential: Credential): string[] {
  return Object.keys(credential.keyVault ?? credential.vault ?? {}).sort();
}

/** The URL a credential is used against, when it has one (git URL, first registry, OAuth issuer). */
export function credentialUrlOf(credential: Credential): string | undefined {
  switch (credential.kind) {
    case 'git':
      return credential.url;
    case 'docker-registry':
      return credential.registries[0];
    case 'oauth':
      return credential.issuerUrl ?? credential.tokenUrl;
    default:
      return undefined;
  }
}

/**
 * Who a format's consumer sends the credential to, as the Secret tells it: the kubelet (and any registry
 * client) to each registry of a dockerconfigjson, Argo CD to a repository or every repository under a URL
 * prefix, Kargo to a repository, an OAuth client to the issuer and the token endpoint. Formats that name no
 * destination (basic-auth, ssh-auth, tls, opaque, mapping) leave it to the workload that reads them.
 */
export type DestinationKind =
  'registry' | 'argocd-repository' | 'argocd-repo-creds' | 'kargo-image' | 'kargo-git' | 'kargo-helm' | 'oauth-issuer' | 'oauth-token';

export interface Destination {
  readonly via: DestinationKind;
  readonly url: string;
}

/** The destinations of one format of a credential, with the defaults the constructs apply (the credential URL, the first registry). */
export function destinationsOf(credential: Credential, { format }: ResolvedFormat): Destination[] {
  switch (format.type) {
    case 'dockerconfigjson':
      return credential.kind === 'docker-registry' ? credential.registries.map((url) => ({ via: 'registry' as const, url })) : [];
    case 'argocd': {
      const url = format.url ?? credentialUrlOf(credential);
      return url === undefined ? [] : [{ via: format.secretType === 'repo-creds' ? 'argocd-repo-creds' : 'argocd-repository', url }];
    }
    case 'kargo': {
      const url = format.repoURL ?? credentialUrlOf(credential);
      const credType = format.credType ?? (credential.kind === 'git' ? 'git' : 'image');
      return url === undefined ? [] : [{ via: `kargo-${credType}`, url }];
    }
    case 'oauth':
      if (credential.kind !== 'oauth') return [];
      return [
        ...(credential.issuerUrl === undefined ? [] : [{ via: 'oauth-issuer' as const, url: credential.issuerUrl }]),
        ...(credential.tokenUrl === undefined ? [] : [{ via: 'oauth-token' as const, url: credential.tokenUrl }]),
      ];
    default:
      return [];
  }
}

export function environmentOf(catalogue: Catalogue, cluster: Cluster): Environment {
  const environment = catalogue.environments.find((e) => e.name === cluster.environment);
  if (!environment) throw new Error(`cluster ${cluster.name}: unknown environment ${cluster.environment}`);
  return environment;
}

/** An environment whose backend is Azure Key Vault. */
export type KeyVaultEnvironment = Environment & { readonly keyVault: NonNullable<Environment['keyVault']> };

/** An environment whose backend is HashiCorp Vault. */
export type VaultEnvironment = Environment & { readonly vault: VaultSettings };

export function isVaultEnvironment(environment: Environment): environment is VaultEnvironment {
  return environment.vault !== undefined;
}

/** Which backend an environment uses, in words, for messages. */
export function backendNameOf(environment: Environment): string {
  return isVaultEnvironment(environment) ? 'HashiCorp Vault' : 'Azure Key Vault';
}

/** Resource group of an environment's Key Vault. */
export function keyVaultResourceGroupOf(environment: KeyVaultEnvironment): string {
  return environment.keyVault.resourceGroup ?? `css-${environment.name}`;
}

/**
 * The cluster whose stack creates the environment's vault: the Key Vault, or the mounts, namespaces and
 * tenant policies in HashiCorp Vault (one per environment, one owner).
 */
export function vaultOwnerOf(catalogue: Catalogue, environment: Environment): string | undefined {
  return (environment.keyVault ?? environment.vault)?.managedBy ?? catalogue.clusters.find((c) => c.environment === environment.name)?.name;
}

export function clusterNamed(catalogue: Catalogue, name: string): Cluster {
  const cluster = catalogue.clusters.find((c) => c.name === name);
  if (!cluster) {
    throw new Error(`unknown cluster ${quoted(name)}; the catalogue has: ${catalogue.clusters.map((c) => c.name).join(', ')}`);
  }
  return cluster;
}

export function trustDomainOf(cluster: Cluster): string {
  return cluster.trustDomain ?? `${cluster.name}.${cluster.environment}.local`;
}

/** The identity the platform deploys with when a cluster names none. */
export const DEFAULT_DEPLOYER = 'central-secret-store-deployer';

/** Users and groups the platform deploys with on a cluster; the admission policies exempt only them (and ESO). */
export function deployersOf(cluster: Cluster): { readonly users: readonly string[]; readonly groups: readonly string[] } {
  return cluster.deployers ?? { users: [DEFAULT_DEPLOYER], groups: [] };
}

export function refreshIntervalOf(cluster: Cluster): string {
  return cluster.refreshInterval ?? COPY_REFRESH_INTERVAL;
}

/** A cluster's canary, with its defaults applied. */
export interface ResolvedCanary {
  /** The namespace it is distributed to. */
  readonly namespace: string;
  /** Go duration within which a new value must reach the namespace. */
  readonly bound: string;
}

/** The cluster's canary, or undefined when it has none (`canary: { enabled: false }`). */
export function canaryOf(cluster: Cluster): ResolvedCanary | undefined {
  const { enabled, namespace, bound } = cluster.canary ?? canarySchema.parse({});
  return enabled ? { namespace, bound } : undefined;
}

/** A tenant's namespaces on one cluster, with the tenant they belong to. */
export interface PlacedNamespace {
  readonly tenant: Tenant;
  readonly namespace: TenantNamespace;
}

export function namespacesOn(catalogue: Catalogue, cluster: Cluster): PlacedNamespace[] {
  return catalogue.tenants
    .flatMap((tenant) => (tenant.clusters[cluster.name]?.namespaces ?? []).map((namespace) => ({ tenant, namespace })))
    .sort((a, b) => a.namespace.name.localeCompare(b.namespace.name));
}

/**
 * Credentials that some tenant on the cluster may request. Only these are pulled from Key Vault and offered
 * there, so a cluster never holds a master that none of its tenants is allowed to have.
 */
export function credentialsOfferedOn(catalogue: Catalogue, cluster: Cluster): Credential[] {
  const present = new Set(namespacesOn(catalogue, cluster).map((p) => p.tenant.name));
  return catalogue.credentials.filter((c) => c.allowedTenants.some((t) => present.has(t)));
}

/**
 * The KV paths, relative to the shared mount, that a cluster of a HashiCorp Vault environment reads its masters
 * from: every offered credential's, and its canary's. The masters' policy names exactly these.
 */
export function vaultMasterPathsOn(catalogue: Catalogue, cluster: Cluster): string[] {
  return [
    ...credentialsOfferedOn(catalogue, cluster).flatMap((credential) =>
      Object.entries(credential.vault ?? {}).map(([key, reference]) => parseVaultReference(reference, key).path),
    ),
    ...(canaryOf(cluster) ? [canaryVaultPath(cluster.name)] : []),
  ];
}

/** A tenant's own secret with where it is delivered and the file and field path where the catalogue declares it. */
export interface DeclaredOwnSecret {
  readonly tenant: string;
  readonly cluster: string;
  /** The namespace it is declared in; absent for a global secret, which goes to every namespace of the tenant. */
  readonly namespace?: string;
  readonly file: string;
  readonly path: readonly PropertyKey[];
  readonly secret: OwnSecret;
}

/** Every own secret of every tenant, in namespaces and global, on every cluster. */
export function ownSecretsOf(catalogue: Catalogue): DeclaredOwnSecret[] {
  return catalogue.tenants.flatMap((tenant) => {
    const file = catalogue.sources.tenants[tenant.name];
    const at = { tenant: tenant.name, file };
    return Object.entries(tenant.clusters).flatMap(([cluster, placement]) => [
      ...placement.namespaces.flatMap((ns, n) =>
        (ns.secrets ?? []).map((secret, s) => ({
          ...at,
          cluster,
          namespace: ns.name,
          path: ['clusters', cluster, 'namespaces', n, 'secrets', s],
          secret,
        })),
      ),
      ...(placement.globalSecrets ?? []).map((secret, g) => ({ ...at, cluster, path: ['clusters', cluster, 'globalSecrets', g], secret })),
    ]);
  });
}

/** Tenants with a namespace on some cluster of an environment: those that get a space in its vault. */
export function tenantsIn(catalogue: Catalogue, environment: Environment): Tenant[] {
  const clusters = new Set(catalogue.clusters.filter((c) => c.environment === environment.name).map((c) => c.name));
  return catalogue.tenants.filter((tenant) => Object.keys(tenant.clusters).some((cluster) => clusters.has(cluster)));
}

/**
 * The ServiceAccounts of a namespace that get pull secrets, each with the Secrets they name, in catalogue
 * order. Entries that validation refuses (credential not requested, not a registry, no dockerconfigjson
 * format) are left out.
 */
export function pullSecretsOf(namespace: TenantNamespace, credentials: readonly Credential[]): Map<string, string[]> {
  const byServiceAccount = new Map<string, string[]>();
  for (const entry of namespace.imagePullSecrets ?? []) {
    const secretName = pullSecretNameOf(entry, namespace, credentials);
    if (secretName === undefined) continue;
    for (const serviceAccount of entry.serviceAccounts) {
      const names = byServiceAccount.get(serviceAccount) ?? [];
      if (!names.includes(secretName)) names.push(secretName);
      byServiceAccount.set(serviceAccount, names);
    }
  }
  return byServiceAccount;
}

/** The dockerconfigjson Secret an imagePullSecrets entry names, when the entry is valid. */
export function pullSecretNameOf(
  entry: ImagePullSecret,
  namespace: TenantNamespace,
  credentials: readonly Credential[],
): string | undefined {
  const credential = credentials.find((c) => c.name === entry.credential);
  if (!credential || credential.kind !== 'docker-registry' || !(namespace.requests ?? []).includes(entry.credential)) return undefined;
  const docker = formatsOf(credential).filter((f) => f.format.type === 'dockerconfigjson');
  const chosen = entry.format === undefined ? (docker.length === 1 ? docker[0] : undefined) : docker.find((f) => f.id === entry.format);
  return chosen?.secretName;
}
