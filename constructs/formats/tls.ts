import type { Credential, Format } from '../../tenants/lib';
import { masterKeysOf } from '../../tenants/lib';
import { type RenderedFormat, copyOf, goString, key } from './template';

const PRIVATE_KEY_TYPES = ['PRIVATE KEY', 'RSA PRIVATE KEY', 'EC PRIVATE KEY'];

/** One PEM block, whatever its type (RE2 syntax: no back-references, so BEGIN and END are matched apart). */
const PEM_BLOCK = '(?s)-----BEGIN [A-Z0-9 ]+-----.*?-----END [A-Z0-9 ]+-----';

/**
 * `kubernetes.io/tls` from a certificate stored as two keys (plus an optional CA), or as one PEM bundle
 * that ESO's `filterPEM` splits into the certificate chain and the private key.
 */
export function tls(credential: Credential, _format: Extract<Format, { type: 'tls' }>): RenderedFormat {
  const keys = masterKeysOf(credential);
  if (keys.includes('bundle')) {
    // filterPEM fails with "found junk" when the type it asks for is absent and anything follows the last
    // block: the blank line or spaces editors and `az keyvault secret set --file` leave, or the text openssl
    // writes around blocks. So it is given the bundle's PEM blocks alone, one per line.
    const blocks = `(regexFindAll ${goString(PEM_BLOCK)} ${key('bundle')} -1 | join "\\n")`;
    return {
      secretType: 'kubernetes.io/tls',
      labels: {},
      data: {
        'tls.crt': `{{ ${blocks} | filterPEM "CERTIFICATE" }}`,
        // filterPEM matches the PEM block type exactly, so each private key encoding is asked for in turn.
        'tls.key': PRIVATE_KEY_TYPES.map((type) => `{{ ${blocks} | filterPEM ${goString(type)} }}`).join(''),
      },
    };
  }
  const data: Record<string, string> = { 'tls.crt': copyOf('tls.crt'), 'tls.key': copyOf('tls.key') };
  if (keys.includes('ca.crt')) data['ca.crt'] = copyOf('ca.crt');
  return { secretType: 'kubernetes.io/tls', labels: {}, data };
}
