/**
 * The catalogue's shared credentials in the constructs' terms: each credential becomes its typed class, which
 * renders each of its formats (and refuses one that does not fit its kind).
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
import { type Credential, formatsOf, masterKeysOf } from '../tenants/lib';

export function sharedCredentialOf(credential: Credential): SharedCredential {
  const { name } = credential;
  switch (credential.kind) {
    case 'docker-registry':
      return new DockerRegistryCredential({ name, registries: credential.registries });
    case 'git':
      return new GitCredential({
        name,
        url: credential.url,
        login: masterKeysOf(credential).includes('sshPrivateKey') ? GitLogin.SSH_KEY : GitLogin.PASSWORD,
      });
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
  return formatsOf(credential).map(({ id, secretName, format }) => shared.render({ ...format, name: id, secretName }));
}
