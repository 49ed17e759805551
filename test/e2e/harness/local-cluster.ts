/**
 * The differences between a real cluster and the local control plane, applied to the synthesized objects
 * and nothing else:
 *  - ESO runs outside the cluster, so kubernetes-provider stores reach the API server at its loopback URL
 *    instead of https://kubernetes.default.svc (the CA still comes from the kube-root-ca.crt ConfigMap);
 *  - there is no Azure, so the Key Vault stand-in is the namespace `e2e-keyvault`, one Secret per Key Vault
 *    secret (its value under `value`), read by a kubernetes-provider store of the same name and conditions.
 *    (ESO's `fake` provider would do, but in v0.20.4 it races under concurrent reconciles and crashes the
 *    controller.) References to a Key Vault secret gain `property: value`;
 *  - masters re-read the vault every few seconds, so that rotation can be timed.
 */
import type { KubeObject } from '../../support/kube-client';

export const VAULT_NAMESPACE = 'e2e-keyvault';
const VAULT_READER = 'vault-reader';

export interface LocalClusterOptions {
  /** API server URL as ESO reaches it. */
  readonly server: string;
  /** Refresh interval of the master ExternalSecrets. */
  readonly masterRefreshInterval: string;
}

/** The Key Vault stand-in: one Secret per vault secret, in the vault namespace. */
export function vaultSecrets(vault: Readonly<Record<string, string>>): KubeObject[] {
  return Object.entries(vault).map(([name, value]) => ({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, namespace: VAULT_NAMESPACE },
    type: 'Opaque',
    data: { value: Buffer.from(value, 'utf8').toString('base64') },
  }));
}

/** The vault namespace and an identity that can read only it. */
function vaultScaffolding(): KubeObject[] {
  const meta = { name: VAULT_READER, namespace: VAULT_NAMESPACE };
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: VAULT_NAMESPACE } },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta },
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: meta, rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list', 'watch'] }] },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: meta,
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: VAULT_READER },
      subjects: [{ kind: 'ServiceAccount', name: VAULT_READER, namespace: VAULT_NAMESPACE }],
    },
  ];
}

function kubernetesProvider(server: string, remoteNamespace: string, auth: unknown) {
  return {
    kubernetes: {
      remoteNamespace,
      server: { url: server, caProvider: { type: 'ConfigMap', name: 'kube-root-ca.crt', key: 'ca.crt', namespace: remoteNamespace } },
      auth,
    },
  };
}

/** Returns the objects to apply, vault scaffolding first, in apply order. */
export function adaptForLocalCluster(objects: readonly KubeObject[], options: LocalClusterOptions): KubeObject[] {
  const vaultStores = new Set(objects.filter((o) => o.kind === 'ClusterSecretStore' && o.spec.provider.azurekv).map((o) => o.metadata.name));
  const readsVault = (spec: any) => vaultStores.has(spec.secretStoreRef?.name);
  const withProperty = (spec: any) => ({ ...spec, data: spec.data.map((d: any) => ({ ...d, remoteRef: { ...d.remoteRef, property: 'value' } })) });

  const adapted = objects.map((o): KubeObject => {
    if (o.kind === 'ClusterSecretStore' && o.spec.provider.kubernetes) {
      const k = o.spec.provider.kubernetes;
      return { ...o, spec: { ...o.spec, provider: kubernetesProvider(options.server, k.remoteNamespace, k.auth) } };
    }
    if (o.kind === 'ClusterSecretStore' && o.spec.provider.azurekv) {
      return { ...o, spec: { ...o.spec, provider: kubernetesProvider(options.server, VAULT_NAMESPACE, { serviceAccount: { name: VAULT_READER, namespace: VAULT_NAMESPACE } }) } };
    }
    if (o.kind === 'ExternalSecret' && readsVault(o.spec)) {
      const spec = withProperty(o.spec);
      return { ...o, spec: o.metadata.namespace === 'central-secret-store' ? { ...spec, refreshInterval: options.masterRefreshInterval } : spec };
    }
    if (o.kind === 'ClusterExternalSecret' && readsVault(o.spec.externalSecretSpec)) {
      return { ...o, spec: { ...o.spec, externalSecretSpec: withProperty(o.spec.externalSecretSpec) } };
    }
    return o;
  });
  return [...vaultScaffolding(), ...adapted];
}
