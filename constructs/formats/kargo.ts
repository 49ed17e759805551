import type { Credential, Format } from '../../tenants/lib';
import { credentialUrlOf } from '../../tenants/lib';
import { repositoryLogin } from './repository-access';
import { type RenderedFormat, literal } from './template';

/** Kargo credentials (seed 001): an Opaque Secret labelled `kargo.akuity.io/cred-type` with repoURL and login. */
export function kargo(credential: Credential, format: Extract<Format, { type: 'kargo' }>): RenderedFormat {
  const repoURL = format.repoURL ?? credentialUrlOf(credential);
  if (repoURL === undefined) throw new Error(`kargo format of ${credential.name} needs a repoURL`);
  const credType = format.credType ?? (credential.kind === 'git' ? 'git' : 'image');
  return {
    secretType: 'Opaque',
    labels: { 'kargo.akuity.io/cred-type': credType },
    data: { repoURL: literal(repoURL), ...repositoryLogin(credential) },
  };
}
