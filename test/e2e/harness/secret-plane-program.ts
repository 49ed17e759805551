/**
 * A stack program that deploys one catalogue cluster's secret plane alone, for runs of the engine on API servers
 * without a node (no ESO release to wait for): the stack config names the catalogue folder, the cluster and,
 * as a secret, its kubeconfig. `central-secret-store fleet --program` runs it as it runs the product's program.
 */
import * as pulumi from '@pulumi/pulumi';
import { synthesizeCluster } from '../../../plane';
import { SecretPlane } from '../../../stacks/secret-plane';
import { loadCatalogue } from '../../../tenants/lib';

export default async function secretPlaneProgram(): Promise<void> {
  const config = new pulumi.Config();
  const manifests = synthesizeCluster(loadCatalogue(config.require('catalogue')), config.require('cluster'));
  new SecretPlane('plane', { manifests, kubeconfig: config.requireSecret('kubeconfig'), dependsOn: [] });
}
