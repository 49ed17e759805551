import type { Credential } from '../../tenants/lib';
import { masterKeysOf } from '../../tenants/lib';
import { copyOf } from './template';

/** The login part of Argo CD and Kargo repository Secrets: username and password, or an SSH private key. */
export function repositoryLogin(credential: Credential): Record<string, string> {
  return masterKeysOf(credential).includes('sshPrivateKey')
    ? { sshPrivateKey: copyOf('sshPrivateKey') }
    : { username: copyOf('username'), password: copyOf('password') };
}
