/**
 * The stack program as a function: what `pulumi up -s <cluster>` runs (stacks/index.ts) and what an Automation
 * API inline program runs (`central-secret-store fleet`, which needs no Node language host). It returns the
 * stack's outputs.
 */
import { ClusterDeployment } from './cluster-deployment';
import { readStackConfig } from './config';

export default function clusterProgram() {
  const config = readStackConfig();
  const deployment = new ClusterDeployment(config.cluster.name, { config });
  return {
    vaultUri: deployment.vaultUri,
    esoClientId: deployment.esoClientId,
    etcdKmsKeyId: deployment.etcdKmsKeyId,
    objectCount: deployment.objectCount,
    /** The canary value this deployment wrote: `central-secret-store canary --expect "$(pulumi stack output canary)"`. */
    canary: deployment.canary,
  };
}
