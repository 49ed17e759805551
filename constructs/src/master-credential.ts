import { Construct } from 'constructs';
import { goDurationProp } from './vocabulary/duration';
import {
  ExternalSecret,
  ExternalSecretSpecRefreshPolicy,
  ExternalSecretSpecSecretStoreRefKind,
  ExternalSecretSpecTargetCreationPolicy,
  ExternalSecretSpecTargetDeletionPolicy,
} from './imports/external-secrets.io';
import { CREDENTIAL_LABEL, PRODUCT_LABELS } from './vocabulary/labels';
import { CENTRAL_NAMESPACE } from './vocabulary/object-names';
import { MASTER_REFRESH_INTERVAL } from './vocabulary/refresh-intervals';
import { type ISecretStore, type RemoteSecretReference, remoteRefOf } from './secret-store';
import type { SharedCredential } from './shared-credential';
import { requireNames } from './name-checks';
import { refuseDuplicateObjects } from './unique-objects';

export interface MasterCredentialProps {
  /** The shared credential whose master is pulled. */
  readonly credential: SharedCredential;

  /**
   * For each master key of the credential, where the vault holds its value: a Key Vault secret name, or a
   * Vault KV path and field (`{ key, property }`).
   */
  readonly vaultSecrets: Readonly<Record<string, RemoteSecretReference>>;

  /** The store that reads the vault, usable from the central namespace only (see KeyVaultStore and VaultStore). */
  readonly store: ISecretStore;

  /**
   * Namespace of the master Secrets (the central namespace).
   * @default 'central-secret-store'
   */
  readonly namespace?: string;

  /**
   * How often the master is re-read from the vault. Vault calls scale with credentials x clusters divided by
   * this interval, never with tenant namespaces.
   * @default '5m0s'
   */
  readonly refreshInterval?: string;
}

/**
 * One ExternalSecret in the central namespace that pulls a credential's master from the vault into a Secret
 * named after the credential, one key per vault secret.
 */
export class MasterCredential extends Construct {
  /** Name of the master Secret in the central namespace. */
  readonly secretName: string;

  constructor(scope: Construct, id: string, props: MasterCredentialProps) {
    super(scope, id);
    refuseDuplicateObjects(this);
    const { credential } = props;
    requireNames(`MasterCredential ${credential.name}`, [['namespace', props.namespace, 'dns1123Label']]);
    const given = Object.keys(props.vaultSecrets).sort();
    if (given.join() !== [...credential.masterKeys].sort().join()) {
      throw new Error(
        `MasterCredential ${credential.name}: vaultSecrets must name a vault secret for exactly the master keys ${credential.masterKeys.join(', ')}; got ${given.join(', ') || 'none'}`,
      );
    }
    this.secretName = credential.name;
    new ExternalSecret(this, 'Resource', {
      metadata: {
        name: credential.name,
        namespace: props.namespace ?? CENTRAL_NAMESPACE,
        labels: { ...PRODUCT_LABELS, 'app.kubernetes.io/component': 'master-credential', [CREDENTIAL_LABEL]: credential.name },
      },
      spec: {
        secretStoreRef: { kind: ExternalSecretSpecSecretStoreRefKind.CLUSTER_SECRET_STORE, name: props.store.storeName },
        refreshPolicy: ExternalSecretSpecRefreshPolicy.PERIODIC,
        refreshInterval: goDurationProp(
          `MasterCredential ${credential.name}`,
          'refreshInterval',
          props.refreshInterval ?? MASTER_REFRESH_INTERVAL,
        ),
        target: {
          name: this.secretName,
          // The master lives exactly as long as its ExternalSecret; Retain keeps the last good value when the
          // vault secret is deleted or unreachable, so tenants keep working through an outage.
          creationPolicy: ExternalSecretSpecTargetCreationPolicy.OWNER,
          deletionPolicy: ExternalSecretSpecTargetDeletionPolicy.RETAIN,
        },
        data: given.map((secretKey) => ({ secretKey, remoteRef: remoteRefOf(props.vaultSecrets[secretKey]) })),
      },
    });
  }
}
