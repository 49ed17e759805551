import type { Credential, Format } from '../../tenants/lib';
import { type RenderedFormat, copyOf, literal } from './template';

/** OAuth client credentials: client id and secret, plus the issuer and token URLs the client needs. */
export function oauth(credential: Credential, _format: Extract<Format, { type: 'oauth' }>): RenderedFormat {
  if (credential.kind !== 'oauth') throw new Error(`oauth needs an oauth credential, got ${credential.kind}`);
  const data: Record<string, string> = { 'client-id': copyOf('clientId'), 'client-secret': copyOf('clientSecret') };
  if (credential.issuerUrl) data['issuer-url'] = literal(credential.issuerUrl);
  if (credential.tokenUrl) data['token-url'] = literal(credential.tokenUrl);
  return { secretType: 'Opaque', labels: {}, data };
}
