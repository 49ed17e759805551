import { type RenderedFormat, copyOf } from './template';

/** `kubernetes.io/ssh-auth`: Git over SSH. */
export function sshAuth(): RenderedFormat {
  return { secretType: 'kubernetes.io/ssh-auth', labels: {}, data: { 'ssh-privatekey': copyOf('sshPrivateKey') } };
}
