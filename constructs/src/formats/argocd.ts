import { repositoryLogin } from './repository-access';
import { type RenderedFormat, literal } from './template';

/** Which Argo CD Secret: one repository, or credentials for every repository under a URL prefix. */
export type ArgoCdSecretType = 'repository' | 'repo-creds';

/**
 * An Argo CD repository or repository-credentials Secret, found by Argo CD through the label
 * `argocd.argoproj.io/secret-type`; a Helm OCI repository when `oci` is set (registry credentials).
 */
export function argoCd(options: {
  readonly secretType: ArgoCdSecretType;
  readonly url: string;
  readonly oci: boolean;
  readonly masterKeys: readonly string[];
}): RenderedFormat {
  return {
    secretType: 'Opaque',
    labels: { 'argocd.argoproj.io/secret-type': options.secretType },
    data: {
      type: literal(options.oci ? 'helm' : 'git'),
      url: literal(options.url),
      ...(options.oci ? { enableOCI: literal('true') } : {}),
      ...repositoryLogin(options.masterKeys),
    },
  };
}
