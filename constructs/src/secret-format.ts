import type { RenderedFormat } from './formats/template';
import type { SharedCredential } from './shared-credential';

export interface SecretFormatOptions {
  /**
   * Distinguishes two formats of one credential; part of the distribution's name.
   * @default - the format's type, e.g. `dockerconfigjson`
   */
  readonly name?: string;

  /**
   * Name of the Secret written to each namespace.
   * @default '<credential>-<name>'
   */
  readonly secretName?: string;
}

/**
 * One output format of a shared credential: the Secret every selected namespace receives, with its type, the
 * labels its consumer looks for, and the templates that render it from the master. Made by the credential's
 * own methods (`ghcr.dockerConfigJson()`), so a format always fits its credential.
 */
export interface SecretFormat extends RenderedFormat {
  readonly credential: SharedCredential;
  /** Unique among the credential's formats. */
  readonly id: string;
  readonly secretName: string;
}
