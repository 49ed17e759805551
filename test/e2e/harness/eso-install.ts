/**
 * ESO installed in the node cluster the way the product installs it: `helm install` of ESO's chart with the
 * stack's own values (`esoChartValues()`), plus only the node's adaptations (eso-node-values.ts), into the
 * namespace and under the ServiceAccount the product uses, with the chart's RBAC and nothing else.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { stringify } from 'yaml';
import { ESO_NAMESPACE } from '../../../constructs/src';
import { type EsoValuesOptions, esoChartValues } from '../../../stacks/eso-release';
import { copyEsoChart } from './eso-chart';
import { esoControllerCrds } from './eso-crds';
import { loopbackNodeEsoValues } from './eso-node-values';
import type { NodeCluster } from './node-cluster';
import { isReady, listPods, podSummary, type Pod } from './pods';
import { waitUntil } from './wait';

const ESO_RELEASE = 'external-secrets';

/**
 * Installs the chart with the stack's values for `options` (the defaults: what a stack without a catalogue
 * gets) and waits until the controller's pod is Ready; returns the pod.
 */
export async function installEso(cluster: NodeCluster, helm: string, options: EsoValuesOptions = {}): Promise<Pod> {
  const admin = cluster.client('admin');
  for (const crd of esoControllerCrds()) await admin.apply(crd);
  await waitUntil('ESO CRDs established', async () => {
    const crd = await admin.get('apiextensions.k8s.io/v1', 'CustomResourceDefinition', 'externalsecrets.external-secrets.io');
    return crd?.status?.conditions?.some((c: any) => c.type === 'Established' && c.status === 'True');
  });
  return helmInstall(cluster, helm, options);
}

/**
 * ESO uninstalled and installed again with other settings (the benchmark of ESO's settings). Not an upgrade:
 * on the node the controller shares the node's network, so a surge pod could not bind the metrics port while
 * the old one holds it. The ESO objects stay; the new controller re-syncs them all as it starts.
 */
export async function reinstallEso(cluster: NodeCluster, helm: string, options: EsoValuesOptions): Promise<Pod> {
  await promisify(execFile)(
    helm,
    ['uninstall', ESO_RELEASE, '--namespace', ESO_NAMESPACE, '--kubeconfig', cluster.controlPlane.kubeconfig('admin'), '--wait'],
    { env: helmEnv(cluster) },
  );
  const admin = cluster.client('admin');
  await waitUntil('the old ESO controller pod gone', async () => (await listPods(admin, ESO_NAMESPACE, SELECTOR)).length === 0, 180);
  return helmInstall(cluster, helm, options);
}

const SELECTOR = `app.kubernetes.io/name=external-secrets,app.kubernetes.io/instance=${ESO_RELEASE}`;
const helmDir = (cluster: NodeCluster) => join(cluster.dir, 'helm');
// helm keeps a cache, configuration and data under $HOME by default: keep them in the cluster's folder.
const helmEnv = (cluster: NodeCluster) => ({
  ...process.env,
  HELM_CACHE_HOME: join(helmDir(cluster), 'cache'),
  HELM_CONFIG_HOME: join(helmDir(cluster), 'config'),
  HELM_DATA_HOME: join(helmDir(cluster), 'data'),
});

async function helmInstall(cluster: NodeCluster, helm: string, options: EsoValuesOptions): Promise<Pod> {
  const dir = helmDir(cluster);
  mkdirSync(dir, { recursive: true });
  const stackValues = join(dir, 'stack-values.yaml');
  const nodeValues = join(dir, 'node-values.yaml');
  writeFileSync(stackValues, stringify(esoChartValues(options)));
  const imageTag = cluster.images['external-secrets'].ref.split(':').pop()!;
  writeFileSync(
    nodeValues,
    stringify(loopbackNodeEsoValues({ apiPort: cluster.apiPort, imageTag, vaultTokenCache: options.vaultTokenCache ?? false })),
  );
  const chart = existsSync(join(dir, 'chart')) ? join(dir, 'chart') : copyEsoChart(join(dir, 'chart'));
  await promisify(execFile)(
    helm,
    [
      'install',
      ESO_RELEASE,
      chart,
      '--namespace',
      ESO_NAMESPACE,
      '--create-namespace',
      '--kubeconfig',
      cluster.controlPlane.kubeconfig('admin'),
      '--values',
      stackValues,
      '--values',
      nodeValues,
    ],
    { env: helmEnv(cluster) },
  );
  const admin = cluster.client('admin');
  return waitUntil(
    'the ESO controller pod Ready',
    async () => (await listPods(admin, ESO_NAMESPACE, SELECTOR)).find(isReady),
    180,
    async () => (await listPods(admin, ESO_NAMESPACE, SELECTOR)).map(podSummary).join('\n'),
  );
}
