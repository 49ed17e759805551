/**
 * Kubernetes LabelSelector semantics and the two ESO selection rules built on them, so property tests can ask
 * "which namespaces does this object reach?" of the generated objects themselves.
 */

export interface LabelSelector {
  readonly matchLabels?: Record<string, string>;
  readonly matchExpressions?: readonly { key: string; operator: string; values?: readonly string[] }[];
}

export interface NamespaceView {
  readonly name: string;
  readonly labels: Record<string, string>;
}

/** metav1.LabelSelectorAsSelector: every matchLabels entry and every expression must hold. */
export function matchesSelector(labels: Record<string, string>, selector: LabelSelector): boolean {
  const labelsOk = Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
  const expressionsOk = (selector.matchExpressions ?? []).every(({ key, operator, values = [] }) => {
    switch (operator) {
      case 'In':
        return key in labels && values.includes(labels[key]);
      case 'NotIn':
        return !(key in labels) || !values.includes(labels[key]);
      case 'Exists':
        return key in labels;
      case 'DoesNotExist':
        return !(key in labels);
      default:
        throw new Error(`unknown operator ${operator}`);
    }
  });
  return labelsOk && expressionsOk;
}

/** ClusterExternalSecret: the namespaceSelectors are ORed (ESO clusterexternalsecret controller). */
export function cesSelects(ces: any, ns: NamespaceView): boolean {
  return (ces.spec.namespaceSelectors ?? []).some((s: LabelSelector) => matchesSelector(ns.labels, s));
}

/** ClusterSecretStore conditions: ORed; inside one, namespaceSelector OR namespaces OR namespaceRegexes. No conditions: all. */
export function storeAdmits(store: any, ns: NamespaceView): boolean {
  const conditions = store.spec.conditions;
  if (!conditions || conditions.length === 0) return true;
  return conditions.some(
    (c: any) =>
      (c.namespaceSelector !== undefined && matchesSelector(ns.labels, c.namespaceSelector)) ||
      (c.namespaces ?? []).includes(ns.name) ||
      (c.namespaceRegexes ?? []).some((r: string) => new RegExp(r).test(ns.name)),
  );
}
