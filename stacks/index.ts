/**
 * The Pulumi program: one stack per catalogue cluster (`pulumi up -s <cluster>`). The stack name selects the
 * cluster; Pulumi.<cluster>.yaml holds its non-secret settings. The program itself is stacks/program.ts.
 */
import clusterProgram from './program';

const outputs = clusterProgram();

export const vaultUri = outputs.vaultUri;
export const esoClientId = outputs.esoClientId;
export const etcdKmsKeyId = outputs.etcdKmsKeyId;
export const objectCount = outputs.objectCount;
export const canary = outputs.canary;
