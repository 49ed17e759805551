import { App, Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import { type KubeObject, synthesizeCluster } from '../../plane';
import type { Catalogue } from '../../tenants/lib';
import type { NamespaceView } from './selectors';

/** Synthesizes the constructs `build` adds to a fresh chart and returns the objects. */
export function synthConstructs(build: (scope: Construct) => void): KubeObject[] {
  const app = new App();
  const chart = new Chart(app, 'test', { disableResourceNameHashes: true });
  build(chart);
  return chart.toJson() as KubeObject[];
}

export function findObject(objects: readonly KubeObject[], kind: string, name: string): any {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name} among: ${objects.map((o) => `${o.kind}/${o.metadata.name}`).join(', ')}`);
  return found;
}

const synthesized = new WeakMap<Catalogue, Map<string, KubeObject[]>>();

/** cluster -> all its objects, synthesized once per catalogue. */
export function synthesizeAll(catalogue: Catalogue): Map<string, KubeObject[]> {
  let result = synthesized.get(catalogue);
  if (!result) {
    result = new Map(
      catalogue.clusters.map((c) => {
        const m = synthesizeCluster(catalogue, c.name);
        return [c.name, [...m.clusterScoped, ...m.namespaced]];
      }),
    );
    synthesized.set(catalogue, result);
  }
  return result;
}

export const ofKind = (objects: readonly KubeObject[], kind: string) => objects.filter((o) => o.kind === kind) as any[];

/** The Namespaces among the objects, as label selectors see them. */
export const namespaceViews = (objects: readonly KubeObject[]): NamespaceView[] =>
  ofKind(objects, 'Namespace').map((n) => ({ name: n.metadata.name, labels: n.metadata.labels }));
