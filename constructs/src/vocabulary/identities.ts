/**
 * Users and groups as the API server authenticates them, named by the platform: the deployers, whom the
 * admission policies exempt, and tenant owners, to whom the owner role is bound in each tenant namespace. A
 * name that stands for everyone would hand that exemption or role to every request, so it is refused, by the
 * catalogue's validation and by the constructs alike. A pure module (no cdk8s), so the catalogue can use it.
 */
import { invisibleCharacterProblem } from './plain-text';

/**
 * Names that stand for everyone, or for anyone at all: the groups Kubernetes puts every authenticated request,
 * every unauthenticated request and every ServiceAccount in, and the anonymous user. Refused as users and
 * groups alike: a user of such a name is a group written in the wrong list.
 */
export const EVERYONE_IDENTITIES: Readonly<Record<string, string>> = {
  'system:authenticated': 'stands for every authenticated request',
  'system:unauthenticated': 'stands for every unauthenticated request',
  'system:anonymous': 'is the anonymous user, anyone who sends no credentials',
  'system:serviceaccounts': 'stands for every ServiceAccount of every namespace',
  '*': 'is a wildcard, everyone',
};

/** The group of every ServiceAccount of one namespace: `system:serviceaccounts:<namespace>`. */
const NAMESPACE_SERVICE_ACCOUNTS = 'system:serviceaccounts:';

/** Why a user or group name may not be a deployer or an owner, or undefined when it may. */
export function identityNameProblem(name: string): string | undefined {
  if (name.trim() === '') return 'must not be blank';
  const invisible = invisibleCharacterProblem(name);
  if (invisible) return `${invisible}; the API server matches names exactly, so this names nobody or someone else`;
  if (name.trim() !== name) return 'must not start or end with blanks; the API server matches names exactly';
  // The reason names the rule's own pattern, never more of what was written than that.
  const everyone = Object.hasOwn(EVERYONE_IDENTITIES, name)
    ? `"${name}" ${EVERYONE_IDENTITIES[name]}`
    : name.startsWith(NAMESPACE_SERVICE_ACCOUNTS)
      ? `"${NAMESPACE_SERVICE_ACCOUNTS}<namespace>" stands for every ServiceAccount of a namespace, anyone who can run a pod there`
      : undefined;
  if (everyone) return `${everyone}; name the deploying identity or the owning team, never a group everyone is in`;
  return undefined;
}
