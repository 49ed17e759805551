import { type RenderedFormat, copyOf, goString, key } from './template';

const PRIVATE_KEY_TYPES = ['PRIVATE KEY', 'RSA PRIVATE KEY', 'EC PRIVATE KEY'];

/** One PEM block, whatever its type (RE2 syntax: no back-references, so BEGIN and END are matched apart). */
const PEM_BLOCK = '(?s)-----BEGIN [A-Z0-9 ]+-----.*?-----END [A-Z0-9 ]+-----';

/** `kubernetes.io/tls` from a certificate and key stored as two keys, plus `ca.crt` when the master has it. */
export function tlsFromKeys(withCa: boolean): RenderedFormat {
  const data: Record<string, string> = { 'tls.crt': copyOf('tls.crt'), 'tls.key': copyOf('tls.key') };
  if (withCa) data['ca.crt'] = copyOf('ca.crt');
  return { secretType: 'kubernetes.io/tls', labels: {}, data };
}

/**
 * `kubernetes.io/tls` from one PEM bundle, which ESO's `filterPEM` splits into the certificate chain and the
 * private key. filterPEM fails with "found junk" when the type it asks for is absent and anything follows the
 * last block: the blank line or spaces editors and `az keyvault secret set --file` leave, or the text openssl
 * writes around blocks. So it is given the bundle's PEM blocks alone, one per line.
 */
export function tlsFromBundle(): RenderedFormat {
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
