import type { Credential, Format } from '../../tenants/lib';
import { masterKeysOf } from '../../tenants/lib';
import { type RenderedFormat, copyOf, goString, key } from './template';

const PRIVATE_KEY_TYPES = ['PRIVATE KEY', 'RSA PRIVATE KEY', 'EC PRIVATE KEY'];

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
        // filterPEM matches the PEM block type exactly, so each private key encoding is asked for in turn.
        'tls.key': PRIVATE_KEY_TYPES.map((type) => `{{ ${key('bundle')} | filterPEM ${goString(type)} }}`).join(''),
      },
    };
  }
  const data: Record<string, string> = { 'tls.crt': copyOf('tls.crt'), 'tls.key': copyOf('tls.key') };
  if (keys.includes('ca.crt')) data['ca.crt'] = copyOf('ca.crt');
  return { secretType: 'kubernetes.io/tls', labels: {}, data };
}
