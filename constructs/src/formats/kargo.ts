import { repositoryLogin } from './repository-access';
import { type RenderedFormat, literal } from './template';

/** What Kargo uses the credential for (its `kargo.akuity.io/cred-type` label). */
export type KargoCredentialType = 'image' | 'git' | 'helm';

/**
 * Kargo credentials: an Opaque Secret labelled `kargo.akuity.io/cred-type` with repoURL and login
 * (docs/catalogue.md, "Credential kinds and formats").
 */
export function kargo(options: {
  readonly credType: KargoCredentialType;
  readonly repoURL: string;
  readonly masterKeys: readonly string[];
}): RenderedFormat {
  return {
    secretType: 'Opaque',
    labels: { 'kargo.akuity.io/cred-type': options.credType },
    data: { repoURL: literal(options.repoURL), ...repositoryLogin(options.masterKeys) },
  };
}
