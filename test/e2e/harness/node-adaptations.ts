/**
 * The differences between a real cluster and the suite's node, applied to the synthesized objects and nothing
 * else:
 *  - the node has no cluster DNS and no kube-proxy, so the kubernetes-provider stores reach the API server at
 *    its loopback address, which the pods' network namespace forwards (pod-network.ts), instead of
 *    https://kubernetes.default.svc; the CA still comes from the kube-root-ca.crt ConfigMap;
 *  - there is no Azure: each Key Vault store (provider `azurekv`) becomes a `webhook` store of the same name and
 *    conditions reading the Key Vault stand-in (key-vault-stand-in.ts), with the same remote keys;
 *  - masters re-read the vault (Key Vault or HashiCorp Vault) every few seconds, so that rotation can be timed.
 * HashiCorp Vault stores are left as they are: the suite runs a real Vault (vault-server.ts).
 */
import type { KubeObject } from '../../support/kube-client';

export interface NodeAdaptationOptions {
  /** The API server's URL on loopback. */
  readonly server: string;
  /** The Key Vault stand-in's webhook URL template (catalogues with a Key Vault environment). */
  readonly vaultUrl?: string;
  /** Refresh interval of the master ExternalSecrets. */
  readonly masterRefreshInterval: string;
}

/** A webhook provider that reads the stand-in as ESO's azurekv provider reads Key Vault: one value per name. */
export function keyVaultStandInProvider(vaultUrl: string) {
  return { webhook: { url: vaultUrl, method: 'GET', result: { jsonPath: '$.value' }, timeout: '5s' } };
}

export function adaptForNode(objects: readonly KubeObject[], options: NodeAdaptationOptions): KubeObject[] {
  const vaultStores = new Set(
    objects
      .filter((o) => o.kind === 'ClusterSecretStore' && (o.spec.provider.azurekv || o.spec.provider.vault))
      .map((o) => o.metadata.name),
  );
  return objects.map((o): KubeObject => {
    if (o.kind === 'ClusterSecretStore' && o.spec.provider.kubernetes) {
      const k = o.spec.provider.kubernetes;
      return { ...o, spec: { ...o.spec, provider: { kubernetes: { ...k, server: { ...k.server, url: options.server } } } } };
    }
    if (o.kind === 'ClusterSecretStore' && o.spec.provider.azurekv) {
      if (!options.vaultUrl) throw new Error(`adaptForNode: Key Vault store ${o.metadata.name} but no vaultUrl of a stand-in`);
      return { ...o, spec: { ...o.spec, provider: keyVaultStandInProvider(options.vaultUrl) } };
    }
    if (o.kind === 'ExternalSecret' && o.metadata.namespace === 'central-secret-store' && vaultStores.has(o.spec.secretStoreRef?.name)) {
      return { ...o, spec: { ...o.spec, refreshInterval: options.masterRefreshInterval } };
    }
    return o;
  });
}
