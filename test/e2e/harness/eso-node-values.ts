/**
 * The only Helm values the suite's node adds to the stack's own (`esoChartValues()` of stacks/eso-release.ts)
 * when it installs ESO's chart, each for a reason of the node, not of the product. Helm merges them over the
 * stack's values, so everything not named here is exactly what a real cluster gets, RBAC included.
 */
export interface LoopbackNodeFacts {
  /** The API server's port on 127.0.0.1, which the pods' network namespace forwards to the API server. */
  readonly apiPort: number;
  /** The tag of the locally imported controller image: the version of the binary it holds. */
  readonly imageTag: string;
  /** Whether the stack's values turn ESO's Vault token cache on. */
  readonly vaultTokenCache: boolean;
}

export function loopbackNodeEsoValues(node: LoopbackNodeFacts): Record<string, unknown> {
  return {
    // The CRD templates are generated when ESO packages the chart and are not in its module: the suite
    // applies the module's deploy/crds/bundle.yaml first instead.
    installCRDs: false,
    image: {
      // The image was imported into containerd, not pulled: never try the internet. Its repository is the
      // chart's own default; the tag is set because the module's Chart.yaml still says appVersion v0.20.3
      // (ESO bumps it after tagging v0.20.4), while the image holds the v0.20.4 binary.
      tag: node.imageTag,
      pullPolicy: 'Never',
    },
    // There is no pod network: pods share the node's network namespace, which holds only a loopback
    // interface (pod-network.ts), so the controller's listeners (metrics on :8080, health) stay inside it.
    hostNetwork: true,
    // With no kube-proxy, the kubernetes Service's ClusterIP that the kubelet injects leads nowhere; an
    // explicit variable wins over the injected one, so client-go's in-cluster config dials the API server on
    // loopback, still with the ServiceAccount's token and the cluster CA.
    extraEnv: [
      { name: 'KUBERNETES_SERVICE_HOST', value: '127.0.0.1' },
      { name: 'KUBERNETES_SERVICE_PORT', value: String(node.apiPort) },
    ],
    // The API server calls admission webhooks through their Service's ClusterIP, which nothing routes here,
    // and a failurePolicy: Fail webhook would then refuse every ESO object; the cert-controller exists only to
    // serve the webhook its certificate.
    webhook: { create: false },
    certController: { create: false },
    // The module's chart (v0.20.4) predates the `vault.enableTokenCache` value of the product's chart (2.9.0):
    // its controller takes the flag that value sets.
    ...(node.vaultTokenCache ? { extraArgs: { 'experimental-enable-vault-token-cache': true } } : {}),
  };
}
