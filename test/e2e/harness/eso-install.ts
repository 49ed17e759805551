/**
 * ESO installed in the node cluster the way the product installs it: `helm install` of ESO's chart with the
 * stack's own values (`esoChartValues()`), plus only the node's adaptations (eso-node-values.ts), into the
 * namespace and under the ServiceAccount the product uses, with the chart's RBAC and nothing else.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { stringify } from 'yaml';
import { ESO_NAMESPACE } from '../../../constructs/src';
import { esoChartValues } from '../../../stacks/eso-release';
import { copyEsoChart } from './eso-chart';
import { esoControllerCrds } from './eso-crds';
import { loopbackNodeEsoValues } from './eso-node-values';
import type { NodeCluster } from './node-cluster';
import { isReady, listPods, podSummary, type Pod } from './pods';
import { waitUntil } from './wait';

const ESO_RELEASE = 'external-secrets';

/** Installs the chart and waits until the controller's pod is Ready; returns the pod. */
export async function installEso(cluster: NodeCluster, helm: string): Promise<Pod> {
  const admin = cluster.client('admin');
  for (const crd of esoControllerCrds()) await admin.apply(crd);
  await waitUntil('ESO CRDs established', async () => {
    const crd = await admin.get('apiextensions.k8s.io/v1', 'CustomResourceDefinition', 'externalsecrets.external-secrets.io');
    return crd?.status?.conditions?.some((c: any) => c.type === 'Established' && c.status === 'True');
  });

  const dir = join(cluster.dir, 'helm');
  mkdirSync(dir);
  const stackValues = join(dir, 'stack-values.yaml');
  const nodeValues = join(dir, 'node-values.yaml');
  writeFileSync(stackValues, stringify(esoChartValues()));
  const imageTag = cluster.images['external-secrets'].ref.split(':').pop()!;
  writeFileSync(nodeValues, stringify(loopbackNodeEsoValues({ apiPort: cluster.apiPort, imageTag })));
  const chart = copyEsoChart(join(dir, 'chart'));
  // helm keeps a cache, configuration and data under $HOME by default: keep them in the cluster's folder.
  const env = { ...process.env, HELM_CACHE_HOME: join(dir, 'cache'), HELM_CONFIG_HOME: join(dir, 'config'), HELM_DATA_HOME: join(dir, 'data') };
  await promisify(execFile)(
    helm,
    ['install', ESO_RELEASE, chart, '--namespace', ESO_NAMESPACE, '--create-namespace', '--kubeconfig', cluster.controlPlane.kubeconfig('admin'), '--values', stackValues, '--values', nodeValues],
    { env },
  );

  const selector = `app.kubernetes.io/name=external-secrets,app.kubernetes.io/instance=${ESO_RELEASE}`;
  return waitUntil(
    'the ESO controller pod Ready',
    async () => (await listPods(admin, ESO_NAMESPACE, selector)).find(isReady),
    180,
    async () => (await listPods(admin, ESO_NAMESPACE, selector)).map(podSummary).join('\n'),
  );
}
