/**
 * Namespaces of the system and of the platform. The product creates and labels every tenant namespace, so a
 * tenant namespace (or a canary namespace) named like one of these would be taken over: refused, each with
 * why. Names that only look like another tool's system namespace, and tenants named like system namespaces,
 * are legitimate but easy to misread, so they are warnings (warnings.ts), not errors.
 */
import { ESO_NAMESPACE } from '@central-secret-store/constructs/vocabulary';
import { RELOADER_NAMESPACE } from '@central-secret-store/constructs/vocabulary';
import { CENTRAL_NAMESPACE } from '@central-secret-store/constructs/vocabulary';

/** Kubernetes reserves this prefix for its own namespaces. */
const KUBERNETES_PREFIX = 'kube-';

/** Namespaces no tenant and no canary may have, and why. */
const RESERVED: Readonly<Record<string, string>> = {
  default: "Kubernetes' default namespace, where every object without a namespace lands",
  [CENTRAL_NAMESPACE]: "the product's central namespace, which holds every credential's master",
  [ESO_NAMESPACE]: "the External Secrets Operator's namespace, where it runs with its ServiceAccount",
  [RELOADER_NAMESPACE]: "Reloader's namespace, which the stacks install",
};

/** The namespaces the platform itself uses, and Kubernetes' own: no tenant may claim them. */
export const RESERVED_NAMESPACES: readonly string[] = [...Object.keys(RESERVED), 'kube-system', 'kube-public', 'kube-node-lease'];

/** Why a namespace is reserved for the system or the platform, or undefined when a tenant may have it. */
export function reservedNamespaceReason(name: string): string | undefined {
  if (Object.hasOwn(RESERVED, name)) return RESERVED[name];
  if (name.startsWith(KUBERNETES_PREFIX)) return `Kubernetes reserves the ${KUBERNETES_PREFIX} prefix for its own namespaces`;
  return undefined;
}

/** Patterns of other tools' system namespaces: a tenant may own one (a platform team), but should mean to. */
const SYSTEM_LIKE: readonly (readonly [RegExp, string])[] = [
  [/-system$/, '*-system'],
  [/^openshift(-|$)/, 'openshift-*'],
];

/** Which system pattern a namespace name follows, when it follows one. */
export function systemLikeNamespacePattern(name: string): string | undefined {
  return SYSTEM_LIKE.find(([pattern]) => pattern.test(name))?.[1];
}

/** What system namespace a tenant's name reads as, when it reads as one. */
export function systemLikeTenantName(name: string): string | undefined {
  if (reservedNamespaceReason(name) !== undefined)
    return RESERVED[name] === undefined ? `Kubernetes' namespace ${name}` : `the namespace ${name}`;
  const pattern = systemLikeNamespacePattern(name);
  return pattern === undefined ? undefined : `a system namespace (${pattern})`;
}
