import * as pulumi from '@pulumi/pulumi';
import * as vault from '@pulumi/vault';
import { ESO_NAMESPACE, ESO_SERVICE_ACCOUNT } from '../constructs/src';
import {
  type Catalogue,
  type Cluster,
  type VaultEnvironment,
  type VaultLogin,
  type VaultSettings,
  kubernetesAuthMountOf,
  mastersLoginOf,
  mastersPolicyOf,
  tenantLoginOf,
  tenantPolicyOf,
  namespacesOn,
  tenantsIn,
  vaultMasterPathsOn,
} from '../tenants/lib';
import { vaultPolicyArgs } from './vault-policy';
import type { VaultTokenReviewer } from './vault-token-reviewer';

export interface VaultAccessArgs {
  /** The environment's Vault, from the catalogue. */
  readonly vault: VaultSettings;
  /** The catalogue cluster; names its auth mounts and masters' policy. */
  readonly cluster: string;
  /** Tenants with namespaces on this cluster: each gets a role on this cluster's auth mount. */
  readonly clusterTenants: readonly string[];
  /** KV paths, relative to the shared mount, of the masters offered on this cluster. */
  readonly masterPaths: readonly string[];
  /**
   * Each tenant's policy, by tenant, when this stack writes it (VaultSpaces): the tenant's role waits for it.
   * @default - none: the environment's owning stack writes them
   */
  readonly tenantPolicies?: ReadonlyMap<string, pulumi.Resource>;
  /** The cluster's API server as Vault reaches it, to review the tokens ESO presents. */
  readonly kubernetesHost: pulumi.Input<string>;
  /** PEM of the API server's CA. */
  readonly kubernetesCaCert: pulumi.Input<string>;
  /** The cluster's token reviewer: Vault reviews ESO's login tokens with its token. */
  readonly tokenReviewer: Pick<VaultTokenReviewer, 'token' | 'ready'>;
  /** Provider of the environment's Vault. */
  readonly vaultProvider: vault.Provider;
  /**
   * Lifetime of the Vault tokens ESO logs in for, in seconds. ESO logs in for each sync.
   * @default 600
   */
  readonly tokenTtlSeconds?: number;
}

/** Whose spaces, roles and master paths a cluster's Vault side holds, from the catalogue. */
export interface VaultScope {
  /** Tenants with a space in the environment (VaultSpaces). */
  readonly spaceTenants: readonly string[];
  /** Tenants with namespaces on the cluster (VaultAccess). */
  readonly clusterTenants: readonly string[];
  /** KV paths, relative to the shared mount, of the masters offered on the cluster. */
  readonly masterPaths: readonly string[];
}

export function vaultScopeOf(catalogue: Catalogue, cluster: Cluster, environment: VaultEnvironment): VaultScope {
  return {
    spaceTenants: tenantsIn(catalogue, environment).map((t) => t.name),
    clusterTenants: [...new Set(namespacesOn(catalogue, cluster).map((p) => p.tenant.name))].sort(),
    masterPaths: vaultMasterPathsOn(catalogue, cluster),
  };
}

/**
 * How ESO on one cluster logs in to its environment's HashiCorp Vault (see tenants/lib/vault-layout.ts): the
 * cluster's Kubernetes auth mount (in each tenant namespace, with namespaces) and a role per store, each bound
 * to ESO's ServiceAccount and an audience of its own: the masters' role with a policy naming exactly the
 * masters offered on the cluster, each tenant's role with its tenant's policy (VaultSpaces). Vault reviews
 * ESO's login tokens with the token of the cluster's reviewer (VaultTokenReviewer).
 */
export class VaultAccess extends pulumi.ComponentResource {
  /** Everything the stores need before ESO can validate them. */
  readonly ready: pulumi.Resource[] = [];

  constructor(name: string, args: VaultAccessArgs, opts?: pulumi.ComponentResourceOptions) {
    super('central-secret-store:vault:VaultAccess', name, {}, opts);
    const { vault: settings } = args;
    const vaultOpts = { parent: this, provider: args.vaultProvider };
    const reviewer = args.tokenReviewer;

    const authMounts = new Map<string, vault.AuthBackend>();
    // One Kubernetes auth mount of this cluster per namespace that holds logins.
    const authMountIn = (namespace: string | undefined, suffix: string, dependsOn: pulumi.Resource[]) => {
      const key = namespace ?? '';
      const existing = authMounts.get(key);
      if (existing) return existing;
      const ns = namespace ? { namespace } : {};
      const mount = new vault.AuthBackend(
        `${name}-auth${suffix}`,
        {
          type: 'kubernetes',
          path: kubernetesAuthMountOf(args.cluster),
          description: `Central Secret Store: ESO on cluster ${args.cluster}`,
          ...ns,
        },
        { ...vaultOpts, dependsOn },
      );
      this.ready.push(
        new vault.kubernetes.AuthBackendConfig(
          `${name}-auth${suffix}-config`,
          // Vault runs outside the cluster: no local ServiceAccount token to fall back on.
          {
            backend: mount.path,
            kubernetesHost: args.kubernetesHost,
            kubernetesCaCert: args.kubernetesCaCert,
            tokenReviewerJwt: reviewer.token,
            disableLocalCaJwt: true,
            ...ns,
          },
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
    const mastersPolicy =
      Object.keys(masters.document.path).length > 0
        ? [new vault.Policy(`${name}-masters-policy`, vaultPolicyArgs(masters), vaultOpts)]
        : [];
    role(`${name}-masters`, mastersLoginOf(settings, args.cluster), mastersPolicy.length > 0 ? [masters.name] : [], mastersPolicy, '');
    for (const tenant of args.clusterTenants) {
      const login = tenantLoginOf(settings, args.cluster, tenant);
      const policy = args.tenantPolicies?.get(tenant);
      role(
        `${name}-role-${tenant}`,
        login,
        [tenantPolicyOf(settings, tenant).name],
        policy ? [policy] : [],
        settings.tenantSpaces === 'namespaces' ? `-${tenant}` : '',
      );
    }

    this.registerOutputs({});
  }
}
