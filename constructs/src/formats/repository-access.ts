import { copyOf } from './template';

/** The login part of Argo CD and Kargo repository Secrets: username and password, or an SSH private key. */
export function repositoryLogin(masterKeys: readonly string[]): Record<string, string> {
  return masterKeys.includes('sshPrivateKey')
    ? { sshPrivateKey: copyOf('sshPrivateKey') }
    : { username: copyOf('username'), password: copyOf('password') };
}
