import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import * as vault from '@pulumi/vault';
import { ESO_NAMESPACE, ESO_SERVICE_ACCOUNT } from '../constructs/src';
import {
  type Catalogue,
  type Cluster,
  type VaultEnvironment,
  type VaultLogin,
  type VaultPolicy,
  type VaultSettings,
  kubernetesAuthMountOf,
  mastersLoginOf,
  mastersPolicyOf,
  sharedSpaceOf,
  tenantLoginOf,
  tenantPolicyOf,
  tenantSpaceOf,
  namespacesOn,
  tenantsIn,
  vaultMasterPathsOn,
} from '../tenants/lib';
import { VaultTokenReviewer } from './vault-token-reviewer';

export interface VaultAccessArgs {
  /** The environment's Vault, from the catalogue. */
  readonly vault: VaultSettings;
  /** The catalogue cluster; names its auth mounts and masters' policy. */
  readonly cluster: string;
  /**
   * Whether this stack creates the environment's spaces (shared mount, one mount or namespace per tenant) and
   * the tenant policies; the other stacks of the environment only add their cluster's logins.
   */
  readonly ownsSpaces: boolean;
  /** Tenants with a space in the environment, when this stack owns the spaces. */
  readonly spaceTenants: readonly string[];
  /** Tenants with namespaces on this cluster: each gets a role on this cluster's auth mount. */
  readonly clusterTenants: readonly string[];
  /** KV paths, relative to the shared mount, of the masters offered on this cluster. */
  readonly masterPaths: readonly string[];
  /** The cluster's API server as Vault reaches it, to review the tokens ESO presents. */
  readonly kubernetesHost: pulumi.Input<string>;
  /** PEM of the API server's CA. */
  readonly kubernetesCaCert: pulumi.Input<string>;
  /** Provider of the environment's Vault. */
  readonly vaultProvider: vault.Provider;
  /** Provider of the cluster. */
  readonly kubernetesProvider: k8s.Provider;
  /** The ESO release: it creates ESO's namespace, where Vault's token reviewer lives. */
  readonly esoRelease: pulumi.Resource;
  /**
   * Lifetime of the Vault tokens ESO logs in for, in seconds. ESO logs in for each sync.
   * @default 600
   */
  readonly tokenTtlSeconds?: number;
}

/** Whose spaces, roles and master paths a cluster's VaultAccess configures, from the catalogue. */
export function vaultScopeOf(catalogue: Catalogue, cluster: Cluster, environment: VaultEnvironment): Pick<VaultAccessArgs, 'spaceTenants' | 'clusterTenants' | 'masterPaths'> {
  return {
    spaceTenants: tenantsIn(catalogue, environment).map((t) => t.name),
    clusterTenants: [...new Set(namespacesOn(catalogue, cluster).map((p) => p.tenant.name))].sort(),
    masterPaths: vaultMasterPathsOn(catalogue, cluster),
  };
}

/**
 * What a cluster needs in its environment's HashiCorp Vault (see tenants/lib/vault-layout.ts): the owning
 * stack creates the shared KV v2 mount and each tenant's space (a KV v2 mount, or a Vault Enterprise namespace
 * holding one) with a policy that reads that space only. Every stack adds its cluster's Kubernetes auth mount
 * (in each tenant namespace, with namespaces) and a role per store, each bound to ESO's ServiceAccount and an
 * audience of its own: the masters' role with a policy naming exactly the masters offered on the cluster, each
 * tenant's role with its tenant's policy. Vault reviews ESO's login tokens with a reviewer token of the
 * cluster's (VaultTokenReviewer).
 */
export class VaultAccess extends pulumi.ComponentResource {
  /** Everything the stores need before ESO can validate them. */
  readonly ready: pulumi.Resource[] = [];
  /** The shared mount, when this stack owns the spaces: what writes into it waits for it. */
  readonly sharedMount?: vault.Mount;

  constructor(name: string, args: VaultAccessArgs, opts?: pulumi.ComponentResourceOptions) {
    super('central-secret-store:vault:VaultAccess', name, {}, opts);
    const { vault: settings } = args;
    const vaultOpts = { parent: this, provider: args.vaultProvider };
    // Deleting a mount or namespace deletes every secret in it: never by accident.
    const keep = { ...vaultOpts, protect: true };
    const kvMount = (id: string, path: string, namespace: string | undefined, description: string, dependsOn: pulumi.Resource[] = []) =>
      new vault.Mount(id, { path, type: 'kv', options: { version: '2' }, description, ...(namespace ? { namespace } : {}) }, { ...keep, dependsOn });
    const policy = (id: string, p: VaultPolicy, dependsOn: pulumi.Resource[] = []) =>
      new vault.Policy(id, { name: p.name, policy: JSON.stringify(p.document, null, 2), ...(p.namespace ? { namespace: p.namespace } : {}) }, { ...vaultOpts, dependsOn });

    const spaces = new Map<string, pulumi.Resource>();
    if (args.ownsSpaces) {
      const shared = sharedSpaceOf(settings);
      this.sharedMount = kvMount(`${name}-shared`, shared.mount, shared.namespace, 'Central Secret Store: masters of the shared credentials');
      for (const tenant of args.spaceTenants) {
        const space = tenantSpaceOf(settings, tenant);
        const owned: pulumi.Resource[] = [];
        if (settings.tenantSpaces === 'namespaces') {
          owned.push(new vault.Namespace(`${name}-namespace-${tenant}`, { path: `${settings.tenantPrefix}${tenant}`, ...(settings.namespace ? { namespace: settings.namespace } : {}) }, keep));
        }
        owned.push(kvMount(`${name}-space-${tenant}`, space.mount, space.namespace, `Central Secret Store: own secrets of tenant ${tenant}`, owned));
        owned.push(policy(`${name}-policy-${tenant}`, tenantPolicyOf(settings, tenant), owned));
        spaces.set(tenant, owned[owned.length - 1]);
      }
    }

    const reviewer = new VaultTokenReviewer(`${name}-token-reviewer`, { provider: args.kubernetesProvider, namespaceReady: args.esoRelease }, { parent: this });
    this.ready.push(...reviewer.ready);
    const authMounts = new Map<string, vault.AuthBackend>();
    // One Kubernetes auth mount of this cluster per namespace that holds logins.
    const authMountIn = (namespace: string | undefined, suffix: string, dependsOn: pulumi.Resource[]) => {
      const key = namespace ?? '';
      const existing = authMounts.get(key);
      if (existing) return existing;
      const ns = namespace ? { namespace } : {};
      const mount = new vault.AuthBackend(
        `${name}-auth${suffix}`,
        { type: 'kubernetes', path: kubernetesAuthMountOf(args.cluster), description: `Central Secret Store: ESO on cluster ${args.cluster}`, ...ns },
        { ...vaultOpts, dependsOn },
      );
      this.ready.push(
        new vault.kubernetes.AuthBackendConfig(
          `${name}-auth${suffix}-config`,
          // Vault runs outside the cluster: no local ServiceAccount token to fall back on.
          { backend: mount.path, kubernetesHost: args.kubernetesHost, kubernetesCaCert: args.kubernetesCaCert, tokenReviewerJwt: reviewer.token, disableLocalCaJwt: true, ...ns },
          { ...vaultOpts, dependsOn: reviewer.ready },
        ),
      );
      authMounts.set(key, mount);
      return mount;
    };
    const role = (id: string, login: VaultLogin, policies: string[], dependsOn: pulumi.Resource[], suffix: string) => {
      const mount = authMountIn(login.namespace, suffix, dependsOn);
      this.ready.push(
        new vault.kubernetes.AuthBackendRole(
          id,
          {
            backend: mount.path,
            roleName: login.role,
            boundServiceAccountNames: [ESO_SERVICE_ACCOUNT],
            boundServiceAccountNamespaces: [ESO_NAMESPACE],
            audience: login.audience,
            tokenPolicies: policies,
            // Vault's own default, written out because ESO depends on it: its store check looks the token up
            // (auth/token/lookup-self), which the `default` policy allows and nothing else here does.
            tokenNoDefaultPolicy: false,
            tokenTtl: args.tokenTtlSeconds ?? 600,
            tokenMaxTtl: args.tokenTtlSeconds ?? 600,
            ...(login.namespace ? { namespace: login.namespace } : {}),
          },
          { ...vaultOpts, dependsOn },
        ),
      );
    };

    const masters = mastersPolicyOf(settings, args.cluster, args.masterPaths);
    const mastersPolicy = Object.keys(masters.document.path).length > 0 ? [policy(`${name}-masters-policy`, masters)] : [];
    role(`${name}-masters`, mastersLoginOf(settings, args.cluster), mastersPolicy.length > 0 ? [masters.name] : [], mastersPolicy, '');
    for (const tenant of args.clusterTenants) {
      const login = tenantLoginOf(settings, args.cluster, tenant);
      const dependsOn = spaces.has(tenant) ? [spaces.get(tenant)!] : [];
      role(`${name}-role-${tenant}`, login, [tenantPolicyOf(settings, tenant).name], dependsOn, settings.tenantSpaces === 'namespaces' ? `-${tenant}` : '');
    }

    this.registerOutputs({});
  }
}
