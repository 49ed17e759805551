import type { Credential, Format } from '../../tenants/lib';
import { type RenderedFormat, copyOf } from './template';

/** `kubernetes.io/ssh-auth`: Git over SSH. */
export function sshAuth(_credential: Credential, _format: Extract<Format, { type: 'ssh-auth' }>): RenderedFormat {
  return {
    secretType: 'kubernetes.io/ssh-auth',
    labels: {},
    data: { 'ssh-privatekey': copyOf('sshPrivateKey') },
  };
}
