/**
 * A model of how Vault decides a read, for the isolation properties: which namespace a token acts in, how a
 * policy path matches (a trailing `*` any suffix, `+` one segment), and where ESO's vault provider reads a
 * key through a KV v2 store. Written from Vault's and ESO's documented behaviour, kept small on purpose.
 */
import type { VaultPolicy } from '../../tenants/lib';

export interface VaultRead {
  /** Namespace the request is made in; absent for the root namespace. */
  readonly namespace?: string;
  /** API path within that namespace, e.g. `css-tenant-a/data/db`. */
  readonly path: string;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function globMatches(pattern: string, path: string): boolean {
  const prefix = pattern.endsWith('*');
  const body = prefix ? pattern.slice(0, -1) : pattern;
  const source = body
    .split('/')
    .map((segment) => (segment === '+' ? '[^/]+' : escape(segment)))
    .join('/');
  return new RegExp(`^${source}${prefix ? '.*' : ''}$`, 's').test(path);
}

/**
 * Whether a token holding `policy` (written in the policy's namespace, where the token lives) may read: the
 * request must be in the token's namespace or below it, and a path rule must grant read on the path as seen
 * from the token's namespace.
 */
export function policyAllows(policy: VaultPolicy, read: VaultRead): boolean {
  const token = policy.namespace ?? '';
  const namespace = read.namespace ?? '';
  if (token !== '' && namespace !== token && !namespace.startsWith(`${token}/`)) return false;
  const below = token === '' ? namespace : namespace.slice(token.length + 1);
  const path = below === '' ? read.path : `${below}/${read.path}`;
  return Object.entries(policy.document.path).some(([pattern, rule]) => rule.capabilities.includes('read') && globMatches(pattern, path));
}

/** The API path ESO's vault provider reads for `key` through a KV v2 store of `mount` (its buildPath). */
export function esoReadPath(mount: string, key: string): string {
  let rest = key;
  if (rest.startsWith(`${mount}/`)) {
    rest = rest.slice(mount.length + 1);
    if (rest.startsWith('data/')) rest = rest.slice('data/'.length);
  }
  return `${mount}/data/${rest}`;
}
