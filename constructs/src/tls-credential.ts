import { tlsFromBundle, tlsFromKeys } from './formats/tls';
import type { SecretFormat, SecretFormatOptions } from './secret-format';
import { SharedCredential } from './shared-credential';

/** How a certificate is kept in the master. */
export enum TlsStorage {
  /** `tls.crt` and `tls.key`. */
  KEYS = 'keys',
  /** `tls.crt`, `tls.key` and the issuer's `ca.crt`. */
  KEYS_WITH_CA = 'keys-with-ca',
  /** One PEM `bundle` holding the certificate chain and the private key (PKCS#8, RSA or EC). */
  PEM_BUNDLE = 'pem-bundle',
}

export interface TlsCredentialProps {
  /** Credential name (see SharedCredential.name). */
  readonly name: string;

  /** How the certificate is kept in the master. */
  readonly storage: TlsStorage;
}

/** A TLS certificate and its private key. */
export class TlsCredential extends SharedCredential {
  readonly kind = 'tls';
  readonly masterKeys: readonly string[];
  readonly storage: TlsStorage;

  constructor(props: TlsCredentialProps) {
    super(props.name);
    this.storage = props.storage;
    this.masterKeys = {
      [TlsStorage.KEYS]: ['tls.crt', 'tls.key'],
      [TlsStorage.KEYS_WITH_CA]: ['ca.crt', 'tls.crt', 'tls.key'],
      [TlsStorage.PEM_BUNDLE]: ['bundle'],
    }[props.storage];
  }

  /** `kubernetes.io/tls`, with `ca.crt` when the master has it. */
  tls(options: SecretFormatOptions = {}): SecretFormat {
    const rendered = this.storage === TlsStorage.PEM_BUNDLE ? tlsFromBundle() : tlsFromKeys(this.storage === TlsStorage.KEYS_WITH_CA);
    return this.format('tls', options, rendered);
  }
}
