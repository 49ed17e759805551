import { type RenderedFormat, copyOf, literal } from './template';

/** OAuth client credentials: client id and secret, plus the issuer and token URLs the client needs. */
export function oauth(urls: { readonly issuerUrl?: string; readonly tokenUrl?: string }): RenderedFormat {
  const data: Record<string, string> = { 'client-id': copyOf('clientId'), 'client-secret': copyOf('clientSecret') };
  if (urls.issuerUrl) data['issuer-url'] = literal(urls.issuerUrl);
  if (urls.tokenUrl) data['token-url'] = literal(urls.tokenUrl);
  return { secretType: 'Opaque', labels: {}, data };
}
