/**
 * The catalogue's shared credentials in the constructs' terms: each credential becomes its typed class, and
 * each of its formats the method of that class that renders it.
 */
import {
  DockerRegistryCredential,
  GenericCredential,
  GitCredential,
  GitLogin,
  OAuthClientCredential,
  type SecretFormat,
  type SharedCredential,
  TlsCredential,
  TlsStorage,
} from '../constructs/src';
import { type Credential, type ResolvedFormat, formatsOf, masterKeysOf } from '../tenants/lib';

export function sharedCredentialOf(credential: Credential): SharedCredential {
  const { name } = credential;
  switch (credential.kind) {
    case 'docker-registry':
      return new DockerRegistryCredential({ name, registries: credential.registries });
    case 'git':
      return new GitCredential({ name, url: credential.url, login: masterKeysOf(credential).includes('sshPrivateKey') ? GitLogin.SSH_KEY : GitLogin.PASSWORD });
    case 'oauth':
      return new OAuthClientCredential({ name, issuerUrl: credential.issuerUrl, tokenUrl: credential.tokenUrl });
    case 'tls': {
      const keys = masterKeysOf(credential);
      const storage = keys.includes('bundle') ? TlsStorage.PEM_BUNDLE : keys.includes('ca.crt') ? TlsStorage.KEYS_WITH_CA : TlsStorage.KEYS;
      return new TlsCredential({ name, storage });
    }
    case 'generic':
      return new GenericCredential({ name, keys: masterKeysOf(credential) });
  }
}

/** Every format of a catalogue credential, rendered by its typed credential. */
export function secretFormatsOf(credential: Credential): SecretFormat[] {
  const shared = sharedCredentialOf(credential);
  return formatsOf(credential).map((resolved) => secretFormatOf(shared, resolved));
}

function secretFormatOf(shared: SharedCredential, { id, secretName, format }: ResolvedFormat): SecretFormat {
  const options = { name: id, secretName };
  const unfit = () => new Error(`format ${format.type} does not fit ${shared.kind} credential ${shared.name}; validation should have refused it`);
  switch (format.type) {
    case 'opaque':
      return shared.opaque(options);
    case 'mapping':
      return shared.keyMapping({ ...options, secretType: format.secretType, keys: format.keys });
    case 'dockerconfigjson':
      if (shared instanceof DockerRegistryCredential) return shared.dockerConfigJson(options);
      throw unfit();
    case 'basic-auth':
      if (shared instanceof DockerRegistryCredential || shared instanceof GitCredential) return shared.basicAuth(options);
      throw unfit();
    case 'ssh-auth':
      if (shared instanceof GitCredential) return shared.sshAuth(options);
      throw unfit();
    case 'oauth':
      if (shared instanceof OAuthClientCredential) return shared.oauth(options);
      throw unfit();
    case 'tls':
      if (shared instanceof TlsCredential) return shared.tls(options);
      throw unfit();
    case 'argocd':
      if (shared instanceof DockerRegistryCredential || shared instanceof GitCredential) return shared.argoCd({ ...options, secretType: format.secretType, url: format.url });
      throw unfit();
    case 'kargo':
      if (shared instanceof DockerRegistryCredential || shared instanceof GitCredential) return shared.kargo({ ...options, credType: format.credType, repoURL: format.repoURL });
      throw unfit();
  }
}
