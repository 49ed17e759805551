import { oauth } from './formats/oauth';
import type { SecretFormat, SecretFormatOptions } from './secret-format';
import { SharedCredential } from './shared-credential';

export interface OAuthClientCredentialProps {
  /** Credential name (see SharedCredential.name). */
  readonly name: string;

  /** OpenID Connect issuer. @default - none written */
  readonly issuerUrl?: string;

  /** OAuth 2.0 token endpoint. @default - none written */
  readonly tokenUrl?: string;
}

/** An OAuth client: client id and secret in the master (keys `clientId`, `clientSecret`). */
export class OAuthClientCredential extends SharedCredential {
  readonly kind = 'oauth';
  readonly masterKeys = ['clientId', 'clientSecret'] as const;
  readonly issuerUrl?: string;
  readonly tokenUrl?: string;

  constructor(props: OAuthClientCredentialProps) {
    super(props.name);
    this.issuerUrl = props.issuerUrl;
    this.tokenUrl = props.tokenUrl;
  }

  /** `client-id`, `client-secret`, and `issuer-url` / `token-url` when known. */
  oauth(options: SecretFormatOptions = {}): SecretFormat {
    return this.format('oauth', options, oauth({ issuerUrl: this.issuerUrl, tokenUrl: this.tokenUrl }));
  }
}
