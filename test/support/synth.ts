import { App, Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import type { KubeObject } from '../../plane';

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
