import { type ArgoCdSecretType, argoCd } from './formats/argocd';
import { basicAuth } from './formats/basic-auth';
import { dockerConfigJson } from './formats/docker-config-json';
import { type KargoCredentialType, kargo } from './formats/kargo';
import type { SecretFormat, SecretFormatOptions } from './secret-format';
import { SharedCredential } from './shared-credential';

export interface DockerRegistryCredentialProps {
  /** Credential name (see SharedCredential.name). */
  readonly name: string;

  /** Registry hosts the credential logs in to, e.g. `ghcr.io`; the first is the default for Argo CD and Kargo. */
  readonly registries: readonly string[];
}

export interface RegistryArgoCdOptions extends SecretFormatOptions {
  /** @default 'repository' */
  readonly secretType?: ArgoCdSecretType;

  /**
   * The Helm OCI repository, e.g. `ghcr.io/contoso/charts`.
   * @default - the first registry
   */
  readonly url?: string;
}

export interface RegistryKargoOptions extends SecretFormatOptions {
  /** @default 'image' */
  readonly credType?: KargoCredentialType;

  /**
   * The repository (or pattern) Kargo matches.
   * @default - the first registry
   */
  readonly repoURL?: string;
}

/** A container registry login: a username and a password (or token) in the master. */
export class DockerRegistryCredential extends SharedCredential {
  readonly kind = 'docker-registry';
  readonly masterKeys = ['password', 'username'] as const;
  readonly registries: readonly string[];

  constructor(props: DockerRegistryCredentialProps) {
    super(props.name);
    if (props.registries.length === 0)
      throw new Error(`DockerRegistryCredential ${props.name}: registries must name at least one registry host`);
    this.registries = [...props.registries];
  }

  /** `kubernetes.io/dockerconfigjson` for every registry: what `imagePullSecrets` take. */
  dockerConfigJson(options: SecretFormatOptions = {}): SecretFormat {
    return this.format('dockerconfigjson', options, dockerConfigJson(this.registries));
  }

  /** `kubernetes.io/basic-auth` with the registry's username and password. */
  basicAuth(options: SecretFormatOptions = {}): SecretFormat {
    return this.format('basic-auth', options, basicAuth());
  }

  /** An Argo CD Helm OCI repository Secret. */
  argoCd(options: RegistryArgoCdOptions = {}): SecretFormat {
    return this.format(
      'argocd',
      options,
      argoCd({
        secretType: options.secretType ?? 'repository',
        url: options.url ?? this.registries[0],
        oci: true,
        masterKeys: this.masterKeys,
      }),
    );
  }

  /** A Kargo credentials Secret (images by default). */
  kargo(options: RegistryKargoOptions = {}): SecretFormat {
    return this.format(
      'kargo',
      options,
      kargo({ credType: options.credType ?? 'image', repoURL: options.repoURL ?? this.registries[0], masterKeys: this.masterKeys }),
    );
  }
}
