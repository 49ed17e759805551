/**
 * A server of Vault's API (OpenBao by default, vault-flavour.ts) as a backend of the shared cases, in either of
 * the catalogue's tenant layouts: `mounts` (a KV v2 mount per tenant) or `namespaces` (a namespace per tenant
 * holding the mount `secret`, with the tenant's login inside it; docs/catalogue.md, "Choosing a backend: Azure
 * Key Vault or HashiCorp Vault"). It is set up exactly as
 * VaultAccess configures it (the same layout functions of tenants/lib, the stack's token reviewer applied as
 * Pulumi applies it), serves https with dev mode's CA, and writes a file audit log: the independent witness of
 * who read what, and of what the server refused.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ESO_NAMESPACE } from '../../../constructs/src';
import { vaultScopeOf } from '../../../stacks/vault-access';
import { tokenReviewerObjects } from '../../../stacks/vault-token-reviewer';
import {
  type Catalogue,
  type Cluster,
  type VaultEnvironment,
  type VaultPolicy,
  type VaultSpace,
  canaryVaultPath,
  clusterNamed,
  environmentOf,
  kubernetesAuthMountOf,
  kvDataPath,
  mastersLoginOf,
  mastersPolicyOf,
  sharedSpaceOf,
  tenantLoginOf,
  tenantPolicyOf,
  tenantSpaceOf,
} from '../../../tenants/lib';
import { type KubeObject, secretText } from '../../support/kube-client';
import { BACKEND_CLUSTER, writeBackendCatalogue } from './backend-catalogue';
import type { BackendUnderTest, ForeignReadRefusal, OwnValues, SharedValues } from './backend-under-test';
import { adaptForNode } from './node-adaptations';
import type { NodeSuite } from './node-suite';
import { applyAsPulumi } from './pulumi-apply';
import { buildSeconds, buildTargets, builtVersion } from './toolchain';
import type { VaultClient } from './vault-client';
import { vaultFlavour } from './vault-flavour';
import { VaultServer } from './vault-server';
import { waitUntil } from './wait';

export type TenantLayout = 'mounts' | 'namespaces';

/** One response of the audit log: the full path (namespace included), the policies that asked, the error. */
export interface AuditResponse {
  readonly time: string;
  readonly path: string;
  readonly operation: string;
  readonly policies: readonly string[];
  readonly error?: string;
}

/** A KV path of a space as the audit log names it: the namespace's path, then the mount's data path. */
export const auditPathOf = (space: VaultSpace, path: string) => `${space.namespace ? `${space.namespace}/` : ''}${kvDataPath(space, path)}`;

export class OpenBaoBackend implements BackendUnderTest {
  readonly name: string;
  readonly flavour = vaultFlavour();
  /** Install or build time and version of the server, for the figures. */
  readonly figures: string[] = [];
  private server?: VaultServer;
  private auditLog = '';
  /** The catalogue, its cluster and its Vault environment, once started. */
  private written?: { readonly catalogue: Catalogue; readonly cluster: Cluster; readonly environment: VaultEnvironment };
  private rotatedAt = '';

  constructor(readonly layout: TenantLayout) {
    this.name = `${this.flavour.product} with a ${layout === 'mounts' ? 'KV mount' : 'namespace'} per tenant`;
  }

  private get root(): VaultClient {
    return this.vault.root;
  }

  private get vault(): VaultServer {
    if (!this.server) throw new Error(`${this.name}: not started`);
    return this.server;
  }

  private get settings(): VaultEnvironment['vault'] {
    if (!this.written) throw new Error(`${this.name}: not started`);
    return this.written.environment.vault;
  }

  async start(dir: string): Promise<Catalogue> {
    if (this.layout === 'namespaces' && !this.flavour.namespaces)
      throw new Error(`${this.flavour.product} has no namespaces: run the namespaces layout against OpenBao`);
    const tools = buildTargets(this.flavour.target)[this.flavour.target];
    this.figures.push(
      `${this.flavour.product} ${builtVersion(tools)}: ${buildSeconds(tools)} s to install or build, as the cache's build took it`,
    );
    this.auditLog = join(dir, 'audit.log');
    this.server = new VaultServer(join(dir, 'server'), tools, { tls: true, auditLog: this.auditLog, flavour: this.flavour });
    const t = Date.now();
    await this.server.start();
    this.figures.push(`dev server (https) ready in ${((Date.now() - t) / 1000).toFixed(1)} s`);
    const catalogue = writeBackendCatalogue(join(dir, 'catalogue'), {
      environment: { vault: { address: this.server.url, caBundle: this.server.caPem, tenantSpaces: this.layout } },
      field: 'vault',
      shared: (credential) => credential,
      own: (_tenant, secret) => secret,
    });
    const cluster = clusterNamed(catalogue, BACKEND_CLUSTER)!;
    this.written = { catalogue, cluster, environment: environmentOf(catalogue, cluster) as VaultEnvironment };
    return catalogue;
  }

  get addresses(): readonly string[] {
    return [this.vault.url.replace('https://', '')];
  }

  adapt(objects: readonly KubeObject[], suite: NodeSuite, masterRefreshInterval: string): KubeObject[] {
    return adaptForNode(objects, { server: suite.cp.server, masterRefreshInterval });
  }

  /** Every response of the audit log so far. */
  auditResponses(): AuditResponse[] {
    return readFileSync(this.auditLog, 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line))
      .filter((entry) => entry.type === 'response')
      .map((entry) => ({
        time: entry.time,
        path: `${entry.request.namespace?.path ?? ''}${entry.request.path}`,
        operation: entry.request.operation,
        // The `default` policy (a token may look itself up) is on every token the stack's roles issue.
        policies: (entry.auth?.token_policies ?? entry.auth?.policies ?? []).filter((p: string) => p !== 'default'),
        error: entry.error,
      }));
  }

  private writePolicy(policy: VaultPolicy): Promise<void> {
    return this.root.in(policy.namespace).writePolicy(policy.name, JSON.stringify(policy.document, null, 2));
  }

  /**
   * As VaultAccess configures the cluster: the shared mount, each tenant's space (its namespace first, with
   * that layout) and policy, the masters' policy, a Kubernetes auth mount reviewing with the token reviewer's
   * token in each namespace that holds logins, and a role per store bound to ESO's ServiceAccount and the
   * store's audience. Then the values.
   */
  async configure(suite: NodeSuite, shared: SharedValues, own: OwnValues): Promise<void> {
    const reviewer = tokenReviewerObjects();
    await applyAsPulumi(suite.deployer, [reviewer.serviceAccount, reviewer.tokenSecret, reviewer.binding] as KubeObject[]);
    const reviewerJwt = await waitUntil('the token controller to fill the reviewer token', async () =>
      secretText(await suite.admin.get('v1', 'Secret', reviewer.tokenSecret.metadata.name, ESO_NAMESPACE), 'token'),
    );
    const t = Date.now();
    const settings = this.settings;
    const { catalogue, cluster, environment } = this.written!;
    const scope = vaultScopeOf(catalogue, cluster, environment);
    const sharedSpace = sharedSpaceOf(settings);
    await this.root.in(sharedSpace.namespace).enableKv2(sharedSpace.mount);
    for (const tenant of scope.spaceTenants) {
      const space = tenantSpaceOf(settings, tenant);
      if (this.layout === 'namespaces') await this.root.in(settings.namespace).createNamespace(`${settings.tenantPrefix}${tenant}`);
      await this.root.in(space.namespace).enableKv2(space.mount);
      await this.writePolicy(tenantPolicyOf(settings, tenant));
    }
    const masters = mastersPolicyOf(settings, BACKEND_CLUSTER, scope.masterPaths);
    await this.writePolicy(masters);
    const mount = kubernetesAuthMountOf(BACKEND_CLUSTER);
    const authEnabled = new Set<string>();
    const role = async (login: { namespace?: string; role: string; audience: string }, policy: string) => {
      const client = this.root.in(login.namespace);
      if (!authEnabled.has(login.namespace ?? '')) {
        await client.enableKubernetesAuth(mount, {
          kubernetesHost: suite.cp.server,
          kubernetesCaCert: suite.cp.caPem,
          tokenReviewerJwt: reviewerJwt,
        });
        authEnabled.add(login.namespace ?? '');
      }
      await client.writeKubernetesRole(mount, login.role, {
        serviceAccountNames: ['external-secrets'],
        serviceAccountNamespaces: [ESO_NAMESPACE],
        audience: login.audience,
        policies: [policy],
        noDefaultPolicy: false,
      });
    };
    await role(mastersLoginOf(settings, BACKEND_CLUSTER), masters.name);
    for (const tenant of scope.clusterTenants)
      await role(tenantLoginOf(settings, BACKEND_CLUSTER, tenant), tenantPolicyOf(settings, tenant).name);

    const sharedClient = this.root.in(sharedSpace.namespace);
    for (const [credential, values] of Object.entries(shared)) await sharedClient.writeKv(sharedSpace.mount, credential, values);
    // What the stack writes with each deployment (stacks/canary.ts): a marker, not a secret.
    await sharedClient.writeKv(sharedSpace.mount, canaryVaultPath(BACKEND_CLUSTER), { value: 'deployment-0123abcd' });
    for (const [tenant, secrets] of Object.entries(own)) {
      const space = tenantSpaceOf(settings, tenant);
      for (const [secret, values] of Object.entries(secrets)) await this.root.in(space.namespace).writeKv(space.mount, secret, values);
    }
    this.figures.push(`configured as the stack would and filled in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  }

  async rotate(credential: string, values: Readonly<Record<string, string>>): Promise<void> {
    const space = sharedSpaceOf(this.settings);
    this.rotatedAt = new Date().toISOString();
    await this.root.in(space.namespace).writeKv(space.mount, credential, values);
  }

  /** Reads of the master in the audit log since the rotation, each checked to be the masters' own. */
  masterReadsSinceRotation(credential: string): number {
    const path = auditPathOf(sharedSpaceOf(this.settings), credential);
    const reads = this.auditResponses().filter((r) => r.time >= this.rotatedAt && r.path === path && r.operation === 'read');
    const foreign = reads.filter((r) => r.error || !r.policies.includes(mastersPolicyOf(this.settings, BACKEND_CLUSTER, []).name));
    if (foreign.length > 0) throw new Error(`reads of ${path} not by the masters' policy: ${JSON.stringify(foreign)}`);
    return reads.length;
  }

  /**
   * A store that logs in with `reader`'s role (in `reader`'s namespace, with that layout) and reads from
   * `owner`'s space: the admission policies keep tenants from naming such a store, so the platform makes one
   * on purpose, and only the server stands in the way. Returns its refusal from the audit log.
   */
  readonly foreignRead = async (suite: NodeSuite, reader: string, owner: string, secret: string): Promise<ForeignReadRefusal> => {
    const settings = this.settings;
    const readerStore = await suite.admin.get('external-secrets.io/v1', 'ClusterSecretStore', `tenant-${reader}`);
    const ownerSpace = tenantSpaceOf(settings, owner);
    const readerLogin = tenantLoginOf(settings, BACKEND_CLUSTER, reader);
    const provider = readerStore!.spec.provider.vault;
    const probe = {
      ...provider,
      path: ownerSpace.mount,
      ...(ownerSpace.namespace ? { namespace: ownerSpace.namespace } : {}),
      auth: { ...provider.auth, ...(readerLogin.namespace ? { namespace: readerLogin.namespace } : {}) },
    };
    const namespace = readerStore!.spec.conditions[0].namespaces[0];
    await suite.admin.apply({
      apiVersion: 'external-secrets.io/v1',
      kind: 'ClusterSecretStore',
      metadata: { name: 'isolation-probe' },
      spec: { conditions: [{ namespaces: [namespace] }], provider: { vault: probe } },
    });
    await suite.admin.apply({
      apiVersion: 'external-secrets.io/v1',
      kind: 'ExternalSecret',
      metadata: { name: 'isolation-probe', namespace },
      spec: {
        refreshInterval: '1h0m0s',
        secretStoreRef: { kind: 'ClusterSecretStore', name: 'isolation-probe' },
        target: { name: 'isolation-probe' },
        data: [{ secretKey: 'value', remoteRef: { key: secret, property: 'token' } }],
      },
    });
    const path = auditPathOf(ownerSpace, secret);
    try {
      const refused = await waitUntil(
        `the server to refuse ${reader}'s read of ${path}`,
        async () => this.auditResponses().find((r) => r.path === path && r.error !== undefined),
        120,
      );
      expect(await suite.admin.get('v1', 'Secret', 'isolation-probe', namespace)).toBeUndefined();
      return { policies: refused.policies, error: refused.error! };
    } finally {
      await suite.admin.delete('external-secrets.io/v1', 'ExternalSecret', 'isolation-probe', namespace);
      await suite.admin.delete('external-secrets.io/v1', 'ClusterSecretStore', 'isolation-probe');
    }
  };

  stop(): Promise<void> {
    return this.server?.stop() ?? Promise.resolve();
  }
}
