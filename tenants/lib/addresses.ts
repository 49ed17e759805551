/**
 * Addresses the catalogue writes into manifests and plans: the Vault server's, where ESO sends its logins,
 * and the URLs and hosts a credential's consumers send it to. Each is parsed as a WHATWG URL (the parser
 * browsers and Node use), and refused when it holds a user name or password (a credential in git, in every
 * manifest and in the plan), a control character (which URL parsers drop silently and which would split a
 * manifest line), or where it matters a query or fragment. The reasons name the rule, never the address: an
 * address that holds a password must not be printed either.
 */
import { invisibleCharacterProblem } from '@central-secret-store/constructs/vocabulary';

const AS_WRITTEN = 'an address is written into manifests and plans as it is';
const HTTPS_EXAMPLE = 'must be an https:// URL such as https://vault.contoso.example:8200';
const NO_USERINFO = "must not hold a user name or password: the credential is the master's, and a URL is written into manifests and plans";

/** Problems every address shares: characters a reviewer cannot see, blanks around it. */
function textProblem(address: string): string | undefined {
  const invisible = invisibleCharacterProblem(address);
  if (invisible) return `${invisible}; ${AS_WRITTEN}, so it would not be the address reviewers read`;
  if (address.trim() !== address) return `must not start or end with blanks; ${AS_WRITTEN}`;
  return undefined;
}

function parse(address: string): URL | undefined {
  try {
    return new URL(address);
  } catch {
    return undefined;
  }
}

/** Why a Vault server address is refused, or undefined when it is `https://<host>[:<port>]`. */
export function vaultAddressProblem(address: string): string | undefined {
  const text = textProblem(address);
  if (text) return text;
  const url = parse(address);
  if (!url || url.protocol !== 'https:') return `${HTTPS_EXAMPLE}: ESO sends a ServiceAccount token to log in`;
  if (url.username !== '' || url.password !== '' || address.includes('@')) {
    return 'must not hold a user name or password: ESO logs in to Vault with its ServiceAccount, and the address is written into every manifest and plan';
  }
  if (address.includes('?')) return 'must not have a query: it must be the server address only, such as https://vault.contoso.example:8200';
  if (address.includes('#'))
    return 'must not have a fragment: it must be the server address only, such as https://vault.contoso.example:8200';
  if (url.pathname !== '/') return 'must be the server address only, such as https://vault.contoso.example:8200, without a path';
  return undefined;
}

/** A valid Vault address as its origin, `https://<host>[:<port>]` in lower case: what the stores are given. */
export function canonicalVaultAddress(address: string): string {
  return new URL(address).origin;
}

/**
 * Why a repository URL (git, Argo CD, Kargo) is refused. It may be a URL, an scp-like ssh address
 * (`git@host:path`) or a pattern, so only what can be told for each is checked: no password anywhere, and no
 * user name except the ssh user.
 */
export function repositoryUrlProblem(address: string): string | undefined {
  const text = textProblem(address);
  if (text) return text;
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(address)?.[1].toLowerCase();
  if (scheme !== undefined) {
    const url = parse(address);
    if (!url) return undefined;
    if (url.password !== '')
      return scheme === 'ssh' ? "must not hold a password: an ssh URL names the user alone (git@), the key is the master's" : NO_USERINFO;
    if (url.username !== '' && scheme !== 'ssh') return NO_USERINFO;
    return undefined;
  }
  const at = address.indexOf('@');
  if (at >= 0 && address.slice(0, at).includes(':')) return NO_USERINFO;
  return undefined;
}

/** Why an endpoint a secret is sent to over https (an OAuth issuer or token URL) is refused. */
export function endpointUrlProblem(address: string): string | undefined {
  const text = textProblem(address);
  if (text) return text;
  const url = parse(address);
  if (!url || url.protocol !== 'https:') return 'must be an https:// URL: the client sends its secret there';
  if (url.username !== '' || url.password !== '' || address.includes('@')) return NO_USERINFO;
  if (address.includes('?')) return 'must not have a query: the client adds its own parameters';
  if (address.includes('#')) return 'must not have a fragment';
  return undefined;
}

/** Why a registry host (`ghcr.io`, `registry.example:5000`, optionally with a path) is refused. */
export function registryHostProblem(host: string): string | undefined {
  const text = textProblem(host);
  if (text) return text;
  if (host.includes('@'))
    return "must not hold a user name or password: the login is the master's, and a registry is written into manifests and plans";
  const url = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(host) ? undefined : parse(`https://${host}`);
  if (!url || url.hostname === '' || /[?#\s\\]/.test(host))
    return 'must be a registry host such as ghcr.io or registry.example:5000, without a scheme';
  return undefined;
}
