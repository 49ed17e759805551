import { keyMapping, type KeyMapping } from './formats/mapping';
import { opaque } from './formats/opaque';
import type { RenderedFormat } from './formats/template';
import { KUBERNETES_NAME_RULES, isDns1123Label, isDns1123Subdomain } from './kubernetes-names';
import type { SecretFormat, SecretFormatOptions } from './secret-format';

export interface KeyMappingOptions extends SecretFormatOptions {
  /**
   * Kubernetes Secret type of the copy.
   * @default 'Opaque'
   */
  readonly secretType?: string;

  /** Which master key becomes which key of the copy. */
  readonly keys: readonly KeyMapping[];
}

/**
 * A credential shared with many namespaces: its master is one Secret in the central namespace, named after
 * the credential, and each format renders that master into the Secret a consumer expects. The subclasses are
 * the kinds of credential (docker registry, Git, OAuth client, TLS, generic); each offers the formats that fit
 * it.
 */
export abstract class SharedCredential {
  /** The master Secret's name in the central namespace; namespaces request it with `secrets/<name>: "true"`. */
  readonly name: string;

  /** The kind, as written on every copy (label `secret-type`). */
  abstract readonly kind: string;

  /** Keys of the master Secret, sorted. */
  abstract readonly masterKeys: readonly string[];

  protected constructor(name: string) {
    if (!isDns1123Label(name)) throw new Error(`${new.target.name}: name "${name}" ${KUBERNETES_NAME_RULES.dns1123Label}`);
    this.name = name;
  }

  /** Every master key copied as it is, into an `Opaque` Secret. */
  opaque(options: SecretFormatOptions = {}): SecretFormat {
    return this.format('opaque', options, opaque(this.masterKeys));
  }

  /**
   * Chosen master keys under new names, in a Secret of the given type: the key mapping (docs/catalogue.md,
   * "Credential kinds and formats").
   */
  keyMapping(options: KeyMappingOptions): SecretFormat {
    const missing = options.keys.map((k) => k.from).filter((k) => !this.masterKeys.includes(k));
    if (missing.length > 0) {
      throw new Error(`${this.describe()}: keyMapping reads ${missing.join(', ')}, which the master does not have (it has ${this.masterKeys.join(', ')})`);
    }
    if (options.keys.length === 0) throw new Error(`${this.describe()}: keyMapping needs at least one key`);
    return this.format('mapping', options, keyMapping(options.secretType ?? 'Opaque', options.keys));
  }

  /** A format of this credential, named and checked. */
  protected format(type: string, options: SecretFormatOptions, rendered: RenderedFormat): SecretFormat {
    const id = options.name ?? type;
    const secretName = options.secretName ?? `${this.name}-${id}`;
    if (!isDns1123Label(id)) throw new Error(`${this.describe()}: format name "${id}" ${KUBERNETES_NAME_RULES.dns1123Label}`);
    if (!isDns1123Subdomain(secretName)) throw new Error(`${this.describe()}: secretName "${secretName}" ${KUBERNETES_NAME_RULES.dns1123Subdomain}`);
    return { ...rendered, credential: this, id, secretName };
  }

  protected describe(): string {
    return `${this.constructor.name} ${this.name}`;
  }
}
