import { type ArgoCdSecretType, argoCd } from './formats/argocd';
import { basicAuth } from './formats/basic-auth';
import { type KargoCredentialType, kargo } from './formats/kargo';
import { sshAuth } from './formats/ssh-auth';
import type { SecretFormat, SecretFormatOptions } from './secret-format';
import { SharedCredential } from './shared-credential';

/** How a Git credential logs in. */
export enum GitLogin {
  /** A username and a password or token (HTTPS); master keys `username` and `password`. */
  PASSWORD = 'password',
  /** An SSH private key; master key `sshPrivateKey`. */
  SSH_KEY = 'ssh-key',
}

export interface GitCredentialProps {
  /** Credential name (see SharedCredential.name). */
  readonly name: string;

  /** Repository URL or URL prefix (https:// or ssh). */
  readonly url: string;

  /** How the credential logs in. */
  readonly login: GitLogin;
}

export interface GitArgoCdOptions extends SecretFormatOptions {
  /** @default 'repository' */
  readonly secretType?: ArgoCdSecretType;

  /** @default - the credential's URL */
  readonly url?: string;
}

export interface GitKargoOptions extends SecretFormatOptions {
  /** @default 'git' */
  readonly credType?: KargoCredentialType;

  /** @default - the credential's URL */
  readonly repoURL?: string;
}

/** Access to Git repositories over HTTPS or SSH. */
export class GitCredential extends SharedCredential {
  readonly kind = 'git';
  readonly masterKeys: readonly string[];
  readonly url: string;
  readonly login: GitLogin;

  constructor(props: GitCredentialProps) {
    super(props.name);
    if (props.url.length === 0) throw new Error(`GitCredential ${props.name}: url must name the repository or URL prefix`);
    this.url = props.url;
    this.login = props.login;
    this.masterKeys = props.login === GitLogin.SSH_KEY ? ['sshPrivateKey'] : ['password', 'username'];
  }

  /** `kubernetes.io/basic-auth`, for a credential that logs in with a password. */
  basicAuth(options: SecretFormatOptions = {}): SecretFormat {
    if (this.login !== GitLogin.PASSWORD)
      throw new Error(`${this.describe()}: basicAuth needs a password login; this credential logs in with an SSH key, so use sshAuth`);
    return this.format('basic-auth', options, basicAuth());
  }

  /** `kubernetes.io/ssh-auth`, for a credential that logs in with an SSH key. */
  sshAuth(options: SecretFormatOptions = {}): SecretFormat {
    if (this.login !== GitLogin.SSH_KEY)
      throw new Error(`${this.describe()}: sshAuth needs an SSH key login; this credential logs in with a password, so use basicAuth`);
    return this.format('ssh-auth', options, sshAuth());
  }

  /** An Argo CD repository (or repository credentials) Secret. */
  argoCd(options: GitArgoCdOptions = {}): SecretFormat {
    return this.format(
      'argocd',
      options,
      argoCd({ secretType: options.secretType ?? 'repository', url: options.url ?? this.url, oci: false, masterKeys: this.masterKeys }),
    );
  }

  /** A Kargo credentials Secret (Git by default). */
  kargo(options: GitKargoOptions = {}): SecretFormat {
    return this.format(
      'kargo',
      options,
      kargo({ credType: options.credType ?? 'git', repoURL: options.repoURL ?? this.url, masterKeys: this.masterKeys }),
    );
  }
}
