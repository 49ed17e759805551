import type { Credential, Format } from '../../tenants/lib';
import { type RenderedFormat, copyOf } from './template';

/** `kubernetes.io/basic-auth`: Git over HTTPS and anything else that takes a username and password. */
export function basicAuth(_credential: Credential, _format: Extract<Format, { type: 'basic-auth' }>): RenderedFormat {
  return {
    secretType: 'kubernetes.io/basic-auth',
    labels: {},
    data: { username: copyOf('username'), password: copyOf('password') },
  };
}
