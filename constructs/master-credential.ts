import { Construct } from 'constructs';
import { type Credential, MASTER_REFRESH_INTERVAL } from '../tenants/lib';
import {
  ExternalSecret,
  ExternalSecretSpecRefreshPolicy,
  ExternalSecretSpecSecretStoreRefKind,
  ExternalSecretSpecTargetCreationPolicy,
  ExternalSecretSpecTargetDeletionPolicy,
} from './imports/external-secrets.io';
import { goDurationProp } from './duration';
import { PRODUCT_LABELS } from './labels';

export interface MasterCredentialProps {
  /** The shared credential whose master value is pulled. */
  readonly credential: Credential;

  /** Namespace of the master Secrets (the central namespace). */
  readonly namespace: string;

  /** The Key Vault ClusterSecretStore to read from. */
  readonly keyVaultStoreName: string;

  /**
   * How often the master is re-read from Key Vault. Key Vault calls scale with credentials x clusters
   * divided by this interval, never with tenant namespaces.
   * @default MASTER_REFRESH_INTERVAL (5m0s)
   */
  readonly refreshInterval?: string;
}

/**
 * One ExternalSecret in the central namespace that pulls a credential's master value from Key Vault into a
 * Secret named after the credential, one key per Key Vault secret.
 */
export class MasterCredential extends Construct {
  /** Name of the master Secret in the central namespace. */
  readonly secretName: string;

  constructor(scope: Construct, id: string, props: MasterCredentialProps) {
    super(scope, id);
    const { credential } = props;
    this.secretName = credential.name;
    const vaultKeys: Record<string, string> = credential.keyVault;

    new ExternalSecret(this, 'Resource', {
      metadata: {
        name: credential.name,
        namespace: props.namespace,
        labels: { ...PRODUCT_LABELS, 'app.kubernetes.io/component': 'master-credential', 'central-secret-store.io/credential': credential.name },
      },
      spec: {
        secretStoreRef: { kind: ExternalSecretSpecSecretStoreRefKind.CLUSTER_SECRET_STORE, name: props.keyVaultStoreName },
        refreshPolicy: ExternalSecretSpecRefreshPolicy.PERIODIC,
        refreshInterval: goDurationProp(`MasterCredential ${credential.name}`, 'refreshInterval', props.refreshInterval ?? MASTER_REFRESH_INTERVAL),
        target: {
          name: this.secretName,
          // The master lives exactly as long as its ExternalSecret; Retain keeps the last good value when
          // the Key Vault secret is deleted or unreachable, so tenants keep working through an outage.
          creationPolicy: ExternalSecretSpecTargetCreationPolicy.OWNER,
          deletionPolicy: ExternalSecretSpecTargetDeletionPolicy.RETAIN,
        },
        data: Object.keys(vaultKeys)
          .sort()
          .map((secretKey) => ({ secretKey, remoteRef: { key: vaultKeys[secretKey] } })),
      },
    });
  }
}
