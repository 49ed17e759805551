import * as containerservice from '@pulumi/azure-native/containerservice';
import * as pulumi from '@pulumi/pulumi';
import type { Cluster } from '../tenants/lib';

/** Where an AKS cluster is in Azure. */
export interface AksCluster {
  readonly resourceGroupName: string;
  readonly resourceName: string;
}

/** The AKS cluster of an aks stack: its resource group, and its name, which defaults to the catalogue cluster's. */
export function aksClusterOf(config: {
  readonly cluster: Cluster;
  readonly aksResourceGroup: string;
  readonly aksName?: string;
}): AksCluster {
  return { resourceGroupName: config.aksResourceGroup, resourceName: config.aksName ?? config.cluster.name };
}

/** The user kubeconfig of an AKS cluster, kept secret. */
export function aksKubeconfig(aks: AksCluster, parent: pulumi.Resource): pulumi.Output<string> {
  return pulumi.secret(
    containerservice
      .listManagedClusterUserCredentialsOutput(aks, { parent })
      .apply((c) => Buffer.from(c.kubeconfigs[0].value, 'base64').toString('utf8')),
  );
}
