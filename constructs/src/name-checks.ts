/** Refusing bad Kubernetes names where a construct is given them, with every problem in one message. */
import { type KubernetesNameRule, kubernetesNameProblem } from './vocabulary/kubernetes-names';

/** A name a construct takes: the prop it came from, its value (undefined: not given) and its rule. */
export type NamedValue = readonly [field: string, value: string | undefined, rule: KubernetesNameRule];

/** The problems of names, `field "value" must be ...` each. */
export function nameProblems(names: readonly NamedValue[]): string[] {
  return names.flatMap(([field, value, rule]) => {
    const problem = value === undefined ? undefined : kubernetesNameProblem(field, value, rule);
    return problem === undefined ? [] : [problem];
  });
}

/** Throws `owner: problem; problem` unless every name follows its rule. */
export function requireNames(owner: string, names: readonly NamedValue[]): void {
  const problems = nameProblems(names);
  if (problems.length > 0) throw new Error(`${owner}: ${problems.join('; ')}`);
}

/** The keys and values of a label map (`what`: label) or the keys of an annotation map (`what`: annotation). */
export function mapNames(what: 'label' | 'annotation', map: Readonly<Record<string, string>> | undefined): NamedValue[] {
  return Object.entries(map ?? {}).flatMap(([key, value]): NamedValue[] => [
    [`${what} key`, key, 'labelKey'],
    ...(what === 'label' ? [[`label "${key}" value`, value, 'labelValue'] as const] : []),
  ]);
}

/** Each item of a list, as `field[i]`. */
export function listNames(field: string, values: readonly string[] | undefined, rule: KubernetesNameRule): NamedValue[] {
  return (values ?? []).map((value, i) => [`${field}[${i}]`, value, rule] as const);
}
