/**
 * Two constructs that write the same Kubernetes object (kind, namespace and name) would have one overwrite the
 * other when applied, so the app refuses them at synth. Every construct of the library adds the check to its
 * app, once; objects of other libraries in the app are checked alongside.
 */
import { ApiObject, Chart } from 'cdk8s';
import type { Construct, IValidation } from 'constructs';

const checkedApps = new WeakSet<Construct>();

/** Adds to the app of `scope`, once, a validation that no two ApiObjects write the same object. */
export function refuseDuplicateObjects(scope: Construct): void {
  const app = scope.node.root as Construct;
  if (checkedApps.has(app)) return;
  checkedApps.add(app);
  app.node.addValidation(new UniqueObjects(app));
}

class UniqueObjects implements IValidation {
  constructor(private readonly app: Construct) {}

  validate(): string[] {
    const writers = new Map<string, { readonly object: string; readonly paths: string[] }>();
    for (const construct of this.app.node.findAll()) {
      if (!(construct instanceof ApiObject)) continue;
      const namespace = construct.metadata.namespace ?? Chart.of(construct).namespace;
      const object = `${construct.kind} ${namespace === undefined ? '' : `${namespace}/`}${construct.name}`;
      const key = `${construct.apiGroup} ${object}`;
      const entry = writers.get(key) ?? { object, paths: [] };
      entry.paths.push(construct.node.path);
      writers.set(key, entry);
    }
    return [...writers.values()]
      .filter((w) => w.paths.length > 1)
      .map(
        (w) =>
          `${w.object} is written by ${w.paths.slice(0, -1).join(', ')} and ${w.paths[w.paths.length - 1]}; give one of them another name`,
      );
  }
}
