/**
 * Which output formats fit which kind of shared credential, defined once: the catalogue validates formats
 * against it and the constructs' credentials refuse any other (SharedCredential.render).
 */

/** The kinds of shared credential, as written on every copy (label `secret-type`). */
export type CredentialKind = 'docker-registry' | 'git' | 'oauth' | 'tls' | 'generic';

/** The formats a copy can take. */
export type FormatType = 'dockerconfigjson' | 'basic-auth' | 'ssh-auth' | 'oauth' | 'tls' | 'opaque' | 'argocd' | 'kargo' | 'mapping';

/** The formats each kind of credential offers. */
export const FORMATS_BY_KIND: Readonly<Record<CredentialKind, readonly FormatType[]>> = {
  'docker-registry': ['dockerconfigjson', 'basic-auth', 'argocd', 'kargo', 'opaque', 'mapping'],
  git: ['basic-auth', 'ssh-auth', 'argocd', 'kargo', 'opaque', 'mapping'],
  oauth: ['oauth', 'opaque', 'mapping'],
  tls: ['tls', 'opaque', 'mapping'],
  generic: ['opaque', 'mapping'],
};

/** Whether a format fits a kind of credential. */
export function formatFits(kind: CredentialKind, type: FormatType): boolean {
  return FORMATS_BY_KIND[kind].includes(type);
}
