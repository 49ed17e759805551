import type { ArgoCdSecretType } from './formats/argocd';
import type { KargoCredentialType } from './formats/kargo';
import { keyMapping, type KeyMapping } from './formats/mapping';
import { opaque } from './formats/opaque';
import type { RenderedFormat } from './formats/template';
import { KUBERNETES_NAME_RULES, isDns1123Label, isDns1123Subdomain } from './vocabulary/kubernetes-names';
import type { SecretFormat, SecretFormatOptions } from './secret-format';
import { type CredentialKind, FORMATS_BY_KIND, type FormatType, formatFits } from './vocabulary/formats';
import { defaultSecretName } from './vocabulary/object-names';

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
 * A format named by its type, with the options of the method that renders it: what a catalogue or any other
 * data source says, for SharedCredential.render.
 */
export type FormatSpec =
  | ({ readonly type: 'dockerconfigjson' | 'basic-auth' | 'ssh-auth' | 'oauth' | 'tls' | 'opaque' } & SecretFormatOptions)
  | ({ readonly type: 'argocd'; readonly secretType?: ArgoCdSecretType; readonly url?: string } & SecretFormatOptions)
  | ({ readonly type: 'kargo'; readonly credType?: KargoCredentialType; readonly repoURL?: string } & SecretFormatOptions)
  | ({ readonly type: 'mapping' } & KeyMappingOptions);

/** The method of a credential that renders each format type. */
const RENDERERS: Readonly<Record<FormatType, string>> = {
  dockerconfigjson: 'dockerConfigJson',
  'basic-auth': 'basicAuth',
  'ssh-auth': 'sshAuth',
  oauth: 'oauth',
  tls: 'tls',
  opaque: 'opaque',
  argocd: 'argoCd',
  kargo: 'kargo',
  mapping: 'keyMapping',
};

/**
 * A credential shared with many namespaces: its master is one Secret in the central namespace, named after
 * the credential, and each format renders that master into the Secret a consumer expects. The subclasses are
 * the kinds of credential (docker registry, Git, OAuth client, TLS, generic); each offers the formats that fit
 * it.
 */
export abstract class SharedCredential {
  /** The master Secret's name in the central namespace; namespaces request it with `secrets/<name>: "true"`. */
  readonly name: string;

  /** The kind, as written on every copy (label `secret-type`); it decides which formats fit (FORMATS_BY_KIND). */
  abstract readonly kind: CredentialKind;

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
      throw new Error(
        `${this.describe()}: keyMapping reads ${missing.join(', ')}, which the master does not have (it has ${this.masterKeys.join(', ')})`,
      );
    }
    if (options.keys.length === 0) throw new Error(`${this.describe()}: keyMapping needs at least one key`);
    return this.format('mapping', options, keyMapping(options.secretType ?? 'Opaque', options.keys));
  }

  /**
   * The format a spec names, rendered by this credential's method for it (`{ type: 'argocd' }` is `argoCd()`).
   * Refuses a format that does not fit the credential's kind.
   */
  render(spec: FormatSpec): SecretFormat {
    if (!formatFits(this.kind, spec.type)) {
      throw new Error(
        `${this.describe()}: format ${spec.type} does not fit a ${this.kind} credential; it offers ${FORMATS_BY_KIND[this.kind].join(', ')}`,
      );
    }
    const method = (this as unknown as Readonly<Record<string, (options: FormatSpec) => SecretFormat>>)[RENDERERS[spec.type]];
    return method.call(this, spec);
  }

  /** A format of this credential, named and checked. */
  protected format(type: string, options: SecretFormatOptions, rendered: RenderedFormat): SecretFormat {
    const id = options.name ?? type;
    const secretName = options.secretName ?? defaultSecretName(this.name, id);
    if (!isDns1123Label(id)) throw new Error(`${this.describe()}: format name "${id}" ${KUBERNETES_NAME_RULES.dns1123Label}`);
    if (!isDns1123Subdomain(secretName))
      throw new Error(`${this.describe()}: secretName "${secretName}" ${KUBERNETES_NAME_RULES.dns1123Subdomain}`);
    return { ...rendered, credential: this, id, secretName };
  }

  protected describe(): string {
    return `${this.constructor.name} ${this.name}`;
  }
}
