/**
 * The resolved plan of one cluster: every Kubernetes object the catalogue gives rise to there — what synth
 * writes, and what ESO then writes into namespaces from the ClusterExternalSecrets — each with its kind,
 * namespace and name, the catalogue file and field that produce it, the grants it enforces and the vault reads
 * it makes; and the same objects grouped as the cluster plane renders them (credentials with their formats,
 * tenants with their namespaces and own secrets), with every default applied and every name given.
 *
 * Everything else is a projection of the plan: the plane renders it one to one into constructs, validation
 * checks its objects for collisions, the access model collects its grants (access.ts), the vault read model
 * its reads (vault-reads.ts), `copiesOn` counts what ESO keeps in sync. Names, defaults and which format fits
 * which kind come from the constructs' vocabulary, the same the constructs apply.
 *
 * Validation builds plans of catalogues that are not valid yet, so that collisions are reported with every
 * other problem: a plan of an invalid catalogue leaves out what cannot be resolved (an unknown environment's
 * grants and reads, a refused request's copies) instead of failing.
 */
import {
  CANARY_CREDENTIAL,
  CANARY_KEY,
  CANARY_TENANT,
  CENTRAL_NAMESPACE,
  CENTRAL_READER,
  KEY_VAULT_STORE,
  MASTER_REFRESH_INTERVAL,
  NAMESPACE_LABEL_POLICY,
  OWN_SECRET_REFRESH_INTERVAL,
  STORE_REFERENCE_POLICY,
  TENANT_OWNER_BINDING,
  TENANT_OWNER_ROLE,
  VAULT_STORE,
  centralStoreName,
  distributionName,
  globalSecretDistributionName,
  tenantStoreName,
  workloadReaderName,
} from '@central-secret-store/constructs/vocabulary';
import { type Catalogue, tenantFileAt, writtenIndex } from './catalogue';
import { certificateAuthoritiesOf, certificateBundleProblem } from './certificates';
import type { Grant } from './grants';
import {
  type ResolvedCanary,
  type ResolvedFormat,
  canaryOf,
  credentialsOfferedOn,
  deployersOf,
  destinationsOf,
  formatsOf,
  pullSecretsOf,
  refreshIntervalOf,
} from './resolve';
import type { Cluster, Credential, Environment, OwnSecret, Tenant, TenantNamespace } from './schema';
import { type VaultOfEnvironment, canaryLocation, masterLocations, ownSecretLocations, vaultOfEnvironment } from './vault-locations';

/** The vault GETs an ExternalSecret makes each time it refreshes. */
export interface VaultReadsOfObject {
  /** One per vault value it names (a Key Vault secret, a field of a Vault path). */
  readonly gets: number;
  /** Its refresh interval, a Go duration. */
  readonly every: string;
}

export interface PlannedObject {
  readonly cluster: string;
  readonly kind: string;
  /** Absent for cluster-scoped objects. */
  readonly namespace?: string;
  readonly name: string;
  /** What produces the object, in words, for error messages. */
  readonly producer: string;
  /** Where the catalogue declares the producer. */
  readonly file: string;
  readonly path: readonly PropertyKey[];
  /**
   * Objects of one owner are checked by that owner's own rules (duplicate credentials, formats and tenants),
   * so two of them are not reported again as a collision.
   */
  readonly owner?: string;
  /** Written by ESO from a ClusterExternalSecret rather than by synth. */
  readonly writtenByEso: boolean;
  /** The grants of the access model this object enforces. */
  readonly grants: readonly Grant[];
  /** The vault reads it makes: ExternalSecrets that read the environment's vault. */
  readonly reads?: VaultReadsOfObject;
}

/** A format of an offered credential, with the ClusterExternalSecret that distributes it. */
export interface PlannedFormat extends ResolvedFormat {
  readonly distribution: string;
}

/** A credential some tenant on the cluster may request: its master, its store and its distributions. */
export interface PlannedCredential {
  readonly credential: Credential;
  /** The ClusterSecretStore that serves the master from the central namespace. */
  readonly store: string;
  readonly formats: readonly PlannedFormat[];
}

/** An own secret of one namespace. */
export interface PlannedOwnSecret {
  readonly secret: OwnSecret;
  /** The Role and RoleBinding that let a workload secret's ServiceAccount read it. */
  readonly reader?: string;
}

export interface PlannedNamespace {
  readonly namespace: TenantNamespace;
  /** ServiceAccount -> the Secrets its pods pull images with, in catalogue order. */
  readonly pullSecrets: ReadonlyMap<string, readonly string[]>;
  readonly ownSecrets: readonly PlannedOwnSecret[];
}

/** A tenant's global secret: one ClusterExternalSecret writes it into each of the tenant's namespaces. */
export interface PlannedGlobalSecret {
  readonly secret: OwnSecret;
  readonly distribution: string;
}

export interface PlannedTenant {
  readonly tenant: Tenant;
  /** The tenant's own ClusterSecretStore, reading its space of the vault. */
  readonly store: string;
  /** Its namespaces on the cluster, by name. */
  readonly namespaces: readonly PlannedNamespace[];
  readonly globalSecrets: readonly PlannedGlobalSecret[];
}

export interface ClusterPlan {
  readonly cluster: Cluster;
  /** Undefined only in a catalogue that names an unknown environment (which validation reports). */
  readonly environment?: Environment;
  /** How often every copy re-reads its master. */
  readonly refreshInterval: string;
  readonly deployers: { readonly users: readonly string[]; readonly groups: readonly string[] };
  /** The ClusterSecretStore that reads the environment's vault for the central namespace. */
  readonly masterStore: string;
  readonly canary?: ResolvedCanary;
  /** Credentials some tenant on the cluster may request, in catalogue order. */
  readonly credentials: readonly PlannedCredential[];
  /** Tenants with a namespace on the cluster, in catalogue order. */
  readonly tenants: readonly PlannedTenant[];
  /** Every object, in the order the catalogue declares their producers. */
  readonly objects: readonly PlannedObject[];
}

/** The plan of every cluster of the catalogue; a cluster defined twice is planned once (and reported as such). */
export function clusterPlans(catalogue: Catalogue): ClusterPlan[] {
  return catalogue.clusters
    .filter((cluster, c) => catalogue.clusters.findIndex((other) => other.name === cluster.name) === c)
    .map((cluster) => clusterPlan(catalogue, cluster));
}

/** Every object of every cluster. */
export function plannedObjects(catalogue: Catalogue): PlannedObject[] {
  return clusterPlans(catalogue).flatMap((plan) => plan.objects);
}

/** How many ExternalSecrets ESO writes on the cluster from its distributions: the copies ESO keeps in sync. */
export function copiesOn(catalogue: Catalogue, cluster: string): number {
  const plan = clusterPlans(catalogue).find((p) => p.cluster.name === cluster);
  return plan?.objects.filter((o) => o.writtenByEso && o.kind === 'ExternalSecret').length ?? 0;
}

type NewObject = Omit<PlannedObject, 'cluster' | 'writtenByEso' | 'grants'> & {
  readonly writtenByEso?: boolean;
  readonly grants?: readonly Grant[];
};

/** The plan of one cluster of the catalogue. */
export function clusterPlan(catalogue: Catalogue, cluster: Cluster): ClusterPlan {
  const c = catalogue.clusters.indexOf(cluster);
  const environment = catalogue.environments.find((e) => e.name === cluster.environment);
  const vault: VaultOfEnvironment | undefined =
    environment && (environment.keyVault || environment.vault) ? vaultOfEnvironment(environment) : undefined;
  const objects: PlannedObject[] = [];
  const add = (o: NewObject) =>
    objects.push({ ...o, cluster: cluster.name, writtenByEso: o.writtenByEso ?? false, grants: o.grants ?? [] });
  const on = { cluster: cluster.name };
  const deployers = deployersOf(cluster);
  const masterStore = environment?.vault ? VAULT_STORE : KEY_VAULT_STORE;

  const platform = {
    producer: 'the platform',
    file: catalogue.sources.clusters,
    path: ['clusters', writtenIndex(catalogue, 'clusters', c), 'name'],
    owner: 'platform',
  };
  add({ ...platform, kind: 'Namespace', name: CENTRAL_NAMESPACE });
  for (const kind of ['ServiceAccount', 'Role', 'RoleBinding'])
    add({ ...platform, kind, namespace: CENTRAL_NAMESPACE, name: CENTRAL_READER });
  add({ ...platform, kind: 'ClusterSecretStore', name: masterStore, grants: vaultTrustGrants(cluster, environment) });
  add({ ...platform, kind: 'ClusterRole', name: TENANT_OWNER_ROLE });
  // Only the deployers may set tenant and request labels: the namespace label policy's binding enforces it.
  const deployerGrants: Grant[] = [
    ...deployers.users.map((name): Grant => ({ kind: 'deployer', ...on, identity: 'User', name })),
    ...deployers.groups.map((name): Grant => ({ kind: 'deployer', ...on, identity: 'Group', name })),
  ];
  for (const policy of [NAMESPACE_LABEL_POLICY, STORE_REFERENCE_POLICY]) {
    add({ ...platform, kind: 'ValidatingAdmissionPolicy', name: policy });
    add({
      ...platform,
      kind: 'ValidatingAdmissionPolicyBinding',
      name: policy,
      grants: policy === NAMESPACE_LABEL_POLICY ? deployerGrants : [],
    });
  }

  // The canary's objects come before the credentials' and tenants', so that a collision is reported at theirs.
  // It reaches its own namespace only, whose tenant no tenant of the catalogue can be.
  const canary = canaryOf(cluster);
  if (canary) {
    const at = ['clusters', writtenIndex(catalogue, 'clusters', c)];
    const own = {
      producer: `the canary of cluster ${cluster.name}`,
      file: catalogue.sources.clusters,
      path: cluster.canary?.namespace ? [...at, 'canary', 'namespace'] : [...at, 'name'],
      owner: 'canary',
    };
    const credential = CANARY_CREDENTIAL;
    const store = centralStoreName(credential);
    const copy = distributionName(credential, 'opaque');
    const master: Grant[] =
      environment && vault
        ? [{ kind: 'master', ...on, ...vault, credential, key: CANARY_KEY, vaultSecret: canaryLocation(environment, cluster.name) }]
        : [];
    add({ ...own, kind: 'Namespace', name: canary.namespace });
    add({
      ...own,
      kind: 'ClusterSecretStore',
      name: store,
      grants: [{ kind: 'credential-store', ...on, store, credential, tenant: CANARY_TENANT }],
    });
    add({
      ...own,
      kind: 'ExternalSecret',
      namespace: CENTRAL_NAMESPACE,
      name: credential,
      grants: master,
      reads: { gets: 1, every: MASTER_REFRESH_INTERVAL },
    });
    add({ ...own, kind: 'Secret', namespace: CENTRAL_NAMESPACE, name: credential, writtenByEso: true });
    add({ ...own, kind: 'ClusterExternalSecret', name: copy });
    add({
      ...own,
      kind: 'ExternalSecret',
      namespace: canary.namespace,
      name: copy,
      writtenByEso: true,
      grants: [{ kind: 'delivery', ...on, tenant: CANARY_TENANT, namespace: canary.namespace, credential, format: 'opaque' }],
    });
    add({ ...own, kind: 'Secret', namespace: canary.namespace, name: copy, writtenByEso: true });
  }

  const offered = new Set(credentialsOfferedOn(catalogue, cluster).map((credential) => credential.name));
  const credentials: PlannedCredential[] = [];
  catalogue.credentials.forEach((credential, i) => {
    if (!offered.has(credential.name)) return;
    const at = ['credentials', writtenIndex(catalogue, 'credentials', i)];
    const master = {
      producer: `credential ${credential.name}`,
      file: catalogue.sources.credentials,
      path: [...at, 'name'],
      owner: `credential:${credential.name}`,
    };
    const store = centralStoreName(credential.name);
    const locations = environment && vault ? Object.entries(masterLocations(environment, credential)) : [];
    add({
      ...master,
      kind: 'ClusterSecretStore',
      name: store,
      grants: credential.allowedTenants.map((tenant): Grant => ({
        kind: 'credential-store',
        ...on,
        store,
        credential: credential.name,
        tenant,
      })),
    });
    add({
      ...master,
      kind: 'ExternalSecret',
      namespace: CENTRAL_NAMESPACE,
      name: credential.name,
      grants: locations.map(([key, vaultSecret]): Grant => ({
        kind: 'master',
        ...on,
        ...vault!,
        credential: credential.name,
        key,
        vaultSecret,
      })),
      ...(vault ? { reads: { gets: locations.length, every: MASTER_REFRESH_INTERVAL } } : {}),
    });
    add({ ...master, kind: 'Secret', namespace: CENTRAL_NAMESPACE, name: credential.name, writtenByEso: true });
    const formats = formatsOf(credential).map((format, f): PlannedFormat => {
      const distribution = distributionName(credential.name, format.id);
      const path = credential.formats ? [...at, 'formats', f, 'name'] : [...at, 'name'];
      const grants = destinationsOf(credential, format).map((destination): Grant => ({
        kind: 'destination',
        ...on,
        credential: credential.name,
        format: format.id,
        ...destination,
      }));
      add({
        ...master,
        producer: `credential ${credential.name}, format ${format.id}`,
        path,
        kind: 'ClusterExternalSecret',
        name: distribution,
        grants,
      });
      return { ...format, distribution };
    });
    credentials.push({ credential, store, formats });
  });

  const byName = new Map(catalogue.credentials.map((credential) => [credential.name, credential]));
  const tenants: PlannedTenant[] = [];
  catalogue.tenants.forEach((tenant, t) => {
    const placement = tenant.clusters[cluster.name];
    if (!placement) return;
    const file = tenantFileAt(catalogue, t);
    const at = ['clusters', cluster.name];
    const store = tenantStoreName(tenant.name);
    const storeGrants = placement.namespaces.map((namespace): Grant => ({
      kind: 'tenant-store',
      ...on,
      store,
      tenant: tenant.name,
      namespace: namespace.name,
    }));
    add({
      kind: 'ClusterSecretStore',
      name: store,
      producer: `tenant ${tenant.name}`,
      file,
      path: ['name'],
      owner: `tenant:${tenant.name}`,
      grants: storeGrants,
    });
    const ownReads = (secret: OwnSecret) => ownSecretReads(environment, tenant.name, secret);
    const globals = (placement.globalSecrets ?? []).map((secret, g) => ({
      secret,
      distribution: globalSecretDistributionName(tenant.name, secret.name),
      path: [...at, 'globalSecrets', g, 'name'],
    }));
    for (const { secret, distribution, path } of globals) {
      add({
        kind: 'ClusterExternalSecret',
        name: distribution,
        producer: `global secret ${secret.name} of tenant ${tenant.name}`,
        file,
        path,
      });
    }

    const namespaces: PlannedNamespace[] = placement.namespaces.map((namespace, n) => {
      const ns = namespace.name;
      const nsPath = [...at, 'namespaces', n];
      const inNamespace = { ...on, tenant: tenant.name, namespace: ns };
      const vaultSecretsOf = (secret: OwnSecret) =>
        environment && vault ? Object.values(ownSecretLocations(environment, tenant.name, secret)).sort() : [];
      const ownSecretGrant = (secret: OwnSecret, global: boolean): Grant[] =>
        vault
          ? [
              {
                kind: 'own-secret',
                ...inNamespace,
                secret: secret.name,
                global,
                ...vault,
                vaultSecrets: vaultSecretsOf(secret),
                serviceAccount: secret.type === 'workload' ? secret.serviceAccount : null,
              },
            ]
          : [];
      add({ kind: 'Namespace', name: ns, producer: `namespace ${ns} of tenant ${tenant.name}`, file, path: [...nsPath, 'name'] });
      const ownerGrants = tenant.owners.map((owner): Grant => ({ kind: 'owner', ...inNamespace, identity: owner.kind, name: owner.name }));
      add({
        kind: 'RoleBinding',
        namespace: ns,
        name: TENANT_OWNER_BINDING,
        producer: `the owners of namespace ${ns}`,
        file,
        path: [...nsPath, 'name'],
        grants: ownerGrants,
      });

      const delivered = new Map<string, { credential: string; format: string }>(); // Secret name -> what it holds
      (namespace.requests ?? []).forEach((request, r) => {
        const credential = byName.get(request);
        // Requests that are refused get nothing from ESO; they are reported by their own rule.
        if (!credential || !credential.allowedTenants.includes(tenant.name)) return;
        for (const format of formatsOf(credential)) {
          const copy = {
            producer: `credential ${credential.name} (format ${format.id})`,
            file,
            path: [...nsPath, 'requests', r],
            owner: `credential:${credential.name}`,
            namespace: ns,
            writtenByEso: true,
          };
          const grants: Grant[] = [{ kind: 'delivery', ...inNamespace, credential: credential.name, format: format.id }];
          add({ ...copy, kind: 'ExternalSecret', name: distributionName(credential.name, format.id), grants });
          add({ ...copy, kind: 'Secret', name: format.secretName });
          delivered.set(format.secretName, { credential: credential.name, format: format.id });
        }
      });

      // One ServiceAccount per name, however many entries name it: they share one imagePullSecrets list.
      const pullSecrets = pullSecretsOf(namespace, catalogue.credentials);
      for (const [serviceAccount, secretNames] of pullSecrets) {
        const p = (namespace.imagePullSecrets ?? []).findIndex((entry) => entry.serviceAccounts.includes(serviceAccount));
        const grants = secretNames.flatMap((secretName): Grant[] => {
          const holds = delivered.get(secretName);
          return holds ? [{ kind: 'pull-secret', ...inNamespace, serviceAccount, ...holds }] : [];
        });
        add({
          kind: 'ServiceAccount',
          namespace: ns,
          name: serviceAccount,
          producer: `the pull secrets of ServiceAccount ${serviceAccount}`,
          file,
          path: [...nsPath, 'imagePullSecrets', p, 'serviceAccounts'],
          grants,
        });
      }

      const ownSecrets = (namespace.secrets ?? []).map((secret, s): PlannedOwnSecret => {
        const own = { producer: `own secret ${secret.name}`, file, path: [...nsPath, 'secrets', s, 'name'], namespace: ns };
        add({ ...own, kind: 'ExternalSecret', name: secret.name, grants: ownSecretGrant(secret, false), ...ownReads(secret) });
        add({ ...own, kind: 'Secret', name: secret.name, writtenByEso: true });
        if (secret.type !== 'workload') return { secret };
        const reader = workloadReaderName(secret.name);
        add({ ...own, kind: 'Role', name: reader });
        add({ ...own, kind: 'RoleBinding', name: reader });
        return { secret, reader };
      });

      for (const { secret, path } of globals) {
        const global = { producer: `global secret ${secret.name}`, file, path, namespace: ns, writtenByEso: true };
        add({ ...global, kind: 'ExternalSecret', name: secret.name, grants: ownSecretGrant(secret, true), ...ownReads(secret) });
        add({ ...global, kind: 'Secret', name: secret.name });
      }
      return { namespace, pullSecrets, ownSecrets };
    });
    const byNamespaceName = (a: PlannedNamespace, b: PlannedNamespace) => a.namespace.name.localeCompare(b.namespace.name);
    tenants.push({
      tenant,
      store,
      namespaces: namespaces.sort(byNamespaceName),
      globalSecrets: globals.map(({ secret, distribution }) => ({ secret, distribution })),
    });
  });

  return {
    cluster,
    environment,
    refreshInterval: refreshIntervalOf(cluster),
    deployers,
    masterStore,
    canary,
    credentials,
    tenants,
    objects,
  };
}

/**
 * ESO on the cluster takes a server for its environment's HashiCorp Vault when the server's certificate chains
 * to one of these authorities (the system roots without a CA bundle). Nothing when the bundle is invalid,
 * which validation reports.
 */
function vaultTrustGrants(cluster: Cluster, environment: Environment | undefined): Grant[] {
  const settings = environment?.vault;
  if (!settings) return [];
  const { caBundle } = settings;
  if (caBundle !== undefined && certificateBundleProblem(caBundle) !== undefined) return [];
  const authorities = caBundle === undefined ? [null] : certificateAuthoritiesOf(caBundle);
  return authorities.map((authority): Grant => ({ kind: 'vault-trust', cluster: cluster.name, vault: settings.address, authority }));
}

/** The vault reads of an own secret's ExternalSecret: one GET per key, unless its environment is unknown. */
function ownSecretReads(environment: Environment | undefined, tenant: string, secret: OwnSecret): { reads?: VaultReadsOfObject } {
  if (!environment || !(environment.keyVault || environment.vault)) return {};
  return { reads: { gets: Object.keys(ownSecretLocations(environment, tenant, secret)).length, every: OWN_SECRET_REFRESH_INTERVAL } };
}
