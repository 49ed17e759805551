import { KubeConfig } from '@kubernetes/client-node';

/** The API server of a kubeconfig's current context and the PEM of its CA: what Vault needs to review tokens. */
export function apiServerOf(kubeconfig: string): { readonly server: string; readonly caCert: string } {
  const config = new KubeConfig();
  config.loadFromString(kubeconfig);
  const cluster = config.getCurrentCluster();
  if (!cluster) throw new Error(`the kubeconfig's current context "${config.getCurrentContext()}" names no cluster`);
  if (!cluster.caData) {
    throw new Error(
      `the kubeconfig's cluster "${cluster.name}" carries no certificate-authority-data; Vault needs the API server's CA to review ESO's tokens`,
    );
  }
  return { server: cluster.server, caCert: Buffer.from(cluster.caData, 'base64').toString('utf8') };
}
