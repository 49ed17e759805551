import type { Credential, Format } from '../../tenants/lib';
import { masterKeysOf } from '../../tenants/lib';
import { type RenderedFormat, copyOf, key } from './template';

/**
 * `kubernetes.io/tls` from a certificate stored as two keys (plus an optional CA), or as one PEM bundle
 * that ESO's `filterPEM` splits into the certificate chain and the private key.
 */
export function tls(credential: Credential, _format: Extract<Format, { type: 'tls' }>): RenderedFormat {
  const keys = masterKeysOf(credential);
  if (keys.includes('bundle')) {
    return {
      secretType: 'kubernetes.io/tls',
      labels: {},
      data: {
        'tls.crt': `{{ ${key('bundle')} | filterPEM "CERTIFICATE" }}`,
        'tls.key': `{{ ${key('bundle')} | filterPEM "PRIVATE KEY" }}`,
      },
    };
  }
  const data: Record<string, string> = { 'tls.crt': copyOf('tls.crt'), 'tls.key': copyOf('tls.key') };
  if (keys.includes('ca.crt')) data['ca.crt'] = copyOf('ca.crt');
  return { secretType: 'kubernetes.io/tls', labels: {}, data };
}
