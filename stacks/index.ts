/**
 * The Pulumi program: one stack per catalogue cluster (`pulumi up -s <cluster>`). The stack name selects the
 * cluster; Pulumi.<cluster>.yaml holds its non-secret settings.
 */
import { ClusterDeployment } from './cluster-deployment';
import { readStackConfig } from './config';

const config = readStackConfig();
const deployment = new ClusterDeployment(config.cluster.name, { config });

export const vaultUri = deployment.vaultUri;
export const esoClientId = deployment.esoClientId;
export const etcdKmsKeyId = deployment.etcdKmsKeyId;
export const objectCount = deployment.objectCount;
/** The canary value this deployment wrote: `central-secret-store canary --expect "$(pulumi stack output canary)"`. */
export const canary = deployment.canary;
