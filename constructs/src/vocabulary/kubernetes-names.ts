/**
 * Kubernetes naming rules, so that a bad name is refused where it is given rather than by the API server at
 * apply time. A pure module: the catalogue checks its names with it too.
 */

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

export function isDns1123Label(value: string): boolean {
  return value.length <= 63 && DNS1123_LABEL.test(value);
}

export function isDns1123Subdomain(value: string): boolean {
  return value.length <= 253 && DNS1123_SUBDOMAIN.test(value);
}

/** A label (or annotation) key: an optional DNS subdomain prefix and "/", then a name of at most 63 characters. */
export function isLabelKey(value: string): boolean {
  const slash = value.lastIndexOf('/');
  const prefix = slash >= 0 ? value.slice(0, slash) : undefined;
  const name = slash >= 0 ? value.slice(slash + 1) : value;
  if (prefix !== undefined && !isDns1123Subdomain(prefix)) return false;
  return name.length <= 63 && LABEL_NAME.test(name);
}

export function isLabelValue(value: string): boolean {
  return value === '' || (value.length <= 63 && LABEL_NAME.test(value));
}

/**
 * A name of an RBAC object (Role, ClusterRole and their bindings): the API server takes any path segment, so
 * names such as `system:aggregate-to-view` are valid.
 */
export function isRbacName(value: string): boolean {
  return value !== '' && value !== '.' && value !== '..' && !/[/%]/.test(value);
}

export const KUBERNETES_NAME_RULES = {
  dns1123Label: 'must be a DNS-1123 label: at most 63 lowercase letters, digits and "-", starting and ending with a letter or digit',
  dns1123Subdomain:
    'must be a DNS-1123 subdomain: at most 253 lowercase letters, digits, "-" and ".", each part starting and ending with a letter or digit',
  labelKey:
    'must be a Kubernetes label key: an optional DNS subdomain prefix and "/", then at most 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit',
  labelValue:
    'must be a Kubernetes label value: empty, or at most 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit',
  rbacName: 'must be an RBAC name: not empty, "." or "..", and without "/" or "%"',
} as const;

/** One of the naming rules of KUBERNETES_NAME_RULES. */
export type KubernetesNameRule = keyof typeof KUBERNETES_NAME_RULES;

const CHECKS: Readonly<Record<KubernetesNameRule, (value: string) => boolean>> = {
  dns1123Label: isDns1123Label,
  dns1123Subdomain: isDns1123Subdomain,
  labelKey: isLabelKey,
  labelValue: isLabelValue,
  rbacName: isRbacName,
};

/** Whether `value` follows `rule`. */
export function isKubernetesName(value: string, rule: KubernetesNameRule): boolean {
  return CHECKS[rule](value);
}

/**
 * Why `value`, given as `field`, breaks `rule`, or undefined when it does not: `field "value" must be ...`, with
 * a name that would do for the DNS rules (`Checkout_Web`: for example "checkout-web").
 */
export function kubernetesNameProblem(field: string, value: string, rule: KubernetesNameRule): string | undefined {
  if (CHECKS[rule](value)) return undefined;
  const problem = `${field} "${value}" ${KUBERNETES_NAME_RULES[rule]}`;
  if (rule !== 'dns1123Label' && rule !== 'dns1123Subdomain') return problem;
  const suggestion = value
    .toLowerCase()
    .replace(rule === 'dns1123Label' ? /[^a-z0-9]+/g : /[^a-z0-9.]+/g, '-')
    .replace(/-*\.-*/g, '.')
    .slice(0, rule === 'dns1123Label' ? 63 : 253)
    .replace(/^[-.]+|[-.]+$/g, '');
  return CHECKS[rule](suggestion) && suggestion !== value ? `${problem} (for example "${suggestion}")` : problem;
}
