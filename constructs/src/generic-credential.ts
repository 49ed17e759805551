import { SECRET_DATA_KEY_RULE, isSecretDataKey } from './vocabulary/secret-data-key';
import { SharedCredential } from './shared-credential';

export interface GenericCredentialProps {
  /** Credential name (see SharedCredential.name). */
  readonly name: string;

  /** Keys of the master Secret, e.g. `api-key`. */
  readonly keys: readonly string[];
}

/** Any set of keys, distributed as they are (`opaque`) or renamed (`keyMapping`). */
export class GenericCredential extends SharedCredential {
  readonly kind = 'generic';
  readonly masterKeys: readonly string[];

  constructor(props: GenericCredentialProps) {
    super(props.name);
    if (props.keys.length === 0) throw new Error(`GenericCredential ${props.name}: keys must name at least one key of the master`);
    const bad = props.keys.filter((k) => !isSecretDataKey(k));
    if (bad.length > 0)
      throw new Error(`GenericCredential ${props.name}: keys ${bad.map((k) => `"${k}"`).join(', ')} ${SECRET_DATA_KEY_RULE}`);
    this.masterKeys = [...new Set(props.keys)].sort();
  }
}
