import { type RenderedFormat, copyOf } from './template';

/** `kubernetes.io/basic-auth`: Git over HTTPS and anything else that takes a username and password. */
export function basicAuth(): RenderedFormat {
  return { secretType: 'kubernetes.io/basic-auth', labels: {}, data: { username: copyOf('username'), password: copyOf('password') } };
}
