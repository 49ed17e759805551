import { Construct } from 'constructs';
import { namespaceObject } from './core-objects';
import { CentralCredentialStore } from './central-credential-store';
import type { CentralSecretStore } from './central-secret-store';
import { CredentialDistribution } from './credential-distribution';
import { GenericCredential } from './generic-credential';
import { CANARY_TENANT, NAMESPACE_NAME_LABEL, PRODUCT_LABELS, TENANT_LABEL, requestLabel } from './vocabulary/labels';
import { CANARY_CREDENTIAL, CANARY_KEY, CANARY_NAMESPACE } from './vocabulary/object-names';
import { MasterCredential } from './master-credential';
import type { ISecretStore, RemoteSecretReference } from './secret-store';
import { requireNames } from './name-checks';
import { refuseDuplicateObjects } from './unique-objects';

export interface CanaryProps {
  /** The central namespace and its reader. */
  readonly central: CentralSecretStore;

  /** The store that reads the vault for the central namespace (the masters' store). */
  readonly store: ISecretStore;

  /**
   * Where the vault holds the canary's value: a Key Vault secret name, or a Vault KV path and field. Whoever
   * deploys writes a new value there with every deployment.
   */
  readonly vaultSecret: RemoteSecretReference;

  /**
   * Name of the canary's credential: of its master, its store (`central-<name>`) and its distribution.
   * @default 'canary'
   */
  readonly credentialName?: string;

  /**
   * The namespace the canary is distributed to. Nothing else should live there.
   * @default 'central-secret-store-canary'
   */
  readonly namespaceName?: string;

  /**
   * How often the copy re-reads the master: give it the interval of the real copies, so that the canary
   * measures the path they take.
   * @default '1m0s'
   */
  readonly refreshInterval?: string;

  /**
   * How often the master is re-read from the vault: the masters' interval, for the same reason.
   * @default '5m0s'
   */
  readonly masterRefreshInterval?: string;
}

/**
 * A canary credential (docs/operations.md, "Canary"): a master with one key,
 * `value`, read from the vault like every other master, distributed through a store and a
 * ClusterExternalSecret of its own, like every other credential, to a namespace of its own that requests
 * nothing else. Change the value in the vault with every deployment and watch it arrive in that namespace: if
 * it does within a bound, the whole path from the vault to the namespaces works. The value is a marker, not a
 * secret.
 */
export class Canary extends Construct {
  /** The canary's credential, with the one master key `value`. */
  readonly credential: GenericCredential;
  /** The namespace the canary is distributed to. */
  readonly namespaceName: string;
  /** Name of the ExternalSecret ESO writes into the namespace (that of the ClusterExternalSecret). */
  readonly copyName: string;
  /** Name of the Secret in the namespace. */
  readonly secretName: string;

  constructor(scope: Construct, id: string, props: CanaryProps) {
    super(scope, id);
    refuseDuplicateObjects(this);
    this.credential = new GenericCredential({ name: props.credentialName ?? CANARY_CREDENTIAL, keys: [CANARY_KEY] });
    this.namespaceName = props.namespaceName ?? CANARY_NAMESPACE;
    requireNames(`Canary ${this.credential.name}`, [['namespaceName', this.namespaceName, 'dns1123Label']]);
    if (this.namespaceName === props.central.namespaceName) {
      throw new Error(
        `Canary ${this.credential.name}: namespaceName "${this.namespaceName}" is the central namespace; the canary must travel to a namespace of its own`,
      );
    }
    const format = this.credential.opaque();
    const allowedTenants = [CANARY_TENANT];

    const store = new CentralCredentialStore(this, 'Store', { central: props.central, credential: this.credential.name, allowedTenants });
    new MasterCredential(this, 'Master', {
      credential: this.credential,
      vaultSecrets: { [CANARY_KEY]: props.vaultSecret },
      store: props.store,
      namespace: props.central.namespaceName,
      refreshInterval: props.masterRefreshInterval,
    });
    const distribution = new CredentialDistribution(this, 'Distribution', {
      format,
      allowedTenants,
      store,
      refreshInterval: props.refreshInterval,
    });
    this.copyName = distribution.name;
    this.secretName = format.secretName;

    namespaceObject(this, 'Namespace', {
      metadata: {
        name: this.namespaceName,
        labels: {
          ...PRODUCT_LABELS,
          'app.kubernetes.io/component': 'canary',
          [NAMESPACE_NAME_LABEL]: this.namespaceName,
          [TENANT_LABEL]: CANARY_TENANT,
          [requestLabel(this.credential.name)]: 'true',
        },
      },
    });
  }
}
