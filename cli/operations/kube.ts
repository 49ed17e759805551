/**
 * How the product's commands reach a cluster: the maintained Kubernetes client, so every kubeconfig users have
 * works, tokens, client certificates and exec plugins alike (kubelogin on AKS with Entra ID).
 */
import { KubeConfig } from '@kubernetes/client-node';

export interface ClusterConnection {
  /** A kubeconfig file. @default - $KUBECONFIG, else ~/.kube/config */
  readonly kubeconfig?: string;
  /** A context of that kubeconfig. @default - its current context */
  readonly context?: string;
}

export function loadKubeConfig(connection: ClusterConnection): KubeConfig {
  const config = new KubeConfig();
  const source = connection.kubeconfig ?? process.env.KUBECONFIG ?? '~/.kube/config';
  try {
    if (connection.kubeconfig) config.loadFromFile(connection.kubeconfig);
    else config.loadFromDefault();
  } catch (error) {
    throw new Error(`cannot read kubeconfig ${source}: ${(error as Error).message}`);
  }
  if (connection.context) {
    if (!config.getContextObject(connection.context)) {
      throw new Error(
        `kubeconfig ${source} has no context "${connection.context}" (it has: ${
          config
            .getContexts()
            .map((c) => c.name)
            .join(', ') || 'none'
        })`,
      );
    }
    config.setCurrentContext(connection.context);
  }
  if (!config.getCurrentCluster()) throw new Error(`kubeconfig ${source}: the context "${config.getCurrentContext()}" names no cluster`);
  return config;
}
