import type { Credential, Format } from '../../tenants/lib';
import { credentialUrlOf } from '../../tenants/lib';
import { repositoryLogin } from './repository-access';
import { type RenderedFormat, literal } from './template';

/**
 * An Argo CD repository or repository-credentials Secret, found by Argo CD through the label
 * `argocd.argoproj.io/secret-type`. Registry credentials become Helm OCI repositories.
 */
export function argocd(credential: Credential, format: Extract<Format, { type: 'argocd' }>): RenderedFormat {
  const url = format.url ?? credentialUrlOf(credential);
  if (url === undefined) throw new Error(`argocd format of ${credential.name} needs a url`);
  const oci = credential.kind === 'docker-registry';
  return {
    secretType: 'Opaque',
    labels: { 'argocd.argoproj.io/secret-type': format.secretType },
    data: {
      type: literal(oci ? 'helm' : 'git'),
      url: literal(url),
      ...(oci ? { enableOCI: literal('true') } : {}),
      ...repositoryLogin(credential),
    },
  };
}
