import { X509Certificate } from 'node:crypto';

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----\r?\n([\s\S]*?)-----END \1-----/g;

/**
 * Why a PEM text is not a bundle of certificates, or undefined when it is one. Only certificates belong in the
 * catalogue: a private key in a CA bundle would be a secret in git.
 */
export function certificateBundleProblem(pem: string): string | undefined {
  const blocks = [...pem.matchAll(PEM_BLOCK)];
  if (blocks.length === 0) return 'must hold at least one PEM certificate (-----BEGIN CERTIFICATE-----)';
  const rest = pem.replace(PEM_BLOCK, '').trim();
  if (rest.length > 0) return 'must hold PEM certificates only, with nothing between or around them';
  for (const [, label, body] of blocks) {
    if (label !== 'CERTIFICATE')
      return `holds a PEM "${label}" block; a CA bundle holds certificates only, and a private key never belongs in the catalogue`;
    try {
      new X509Certificate(`-----BEGIN CERTIFICATE-----\n${body}-----END CERTIFICATE-----\n`);
    } catch {
      return 'holds a certificate that does not parse as X.509';
    }
  }
  return undefined;
}

/**
 * The certificate authorities of a valid bundle, each as a reviewer reads it: its subject, most specific part
 * first, and the SHA-256 fingerprint that tells two authorities of one name apart.
 */
export function certificateAuthoritiesOf(pem: string): string[] {
  return [...pem.matchAll(PEM_BLOCK)].map(([, , body]) => {
    const certificate = new X509Certificate(`-----BEGIN CERTIFICATE-----\n${body}-----END CERTIFICATE-----\n`);
    return `${certificate.subject.split('\n').reverse().join(', ')} (SHA-256 ${certificate.fingerprint256})`;
  });
}
