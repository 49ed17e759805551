import { Construct } from 'constructs';
import {
  ClusterSecretStore,
  ClusterSecretStoreSpecProviderAzurekvAuthType,
  ClusterSecretStoreSpecProviderAzurekvEnvironmentType,
  ClusterSecretStoreSpecRefreshInterval,
  type ClusterSecretStoreSpecConditions,
} from './imports/external-secrets.io';
import { PRODUCT_LABELS } from './vocabulary/labels';
import { type ISecretStore, clusterSecretStoreNamed, storeRefreshSeconds } from './secret-store';
import { requireNames } from './name-checks';
import { refuseDuplicateObjects } from './unique-objects';

/** How ESO signs in to Azure Key Vault. */
export type KeyVaultAuth =
  /** Azure workload identity: ESO exchanges a token of `serviceAccount` for one of the managed identity. */
  | { readonly kind: 'workload-identity'; readonly serviceAccount?: { readonly name: string; readonly namespace: string } }
  /** A service principal and its password, for clusters outside Azure (docs/deploying.md, "What a stack does"). */
  | { readonly kind: 'service-principal' };

export interface KeyVaultStoreProps {
  /** Name of the ClusterSecretStore. */
  readonly name: string;

  /** Vault URL, e.g. `https://contoso-css-prod.vault.azure.net/`. */
  readonly vaultUrl: string;

  /** Azure AD (Entra ID) tenant of the vault. */
  readonly tenantId: string;

  /**
   * Namespaces allowed to use the store. Keep this narrow: whoever can use the store can read any secret
   * the identity can read.
   */
  readonly conditions: ClusterSecretStoreSpecConditions[];

  /**
   * How ESO authenticates.
   * @default { kind: 'workload-identity' } with ESO's own ServiceAccount `external-secrets/external-secrets`
   */
  readonly auth?: KeyVaultAuth;

  /**
   * Secret (in the ESO namespace) holding the identity's `client-id`, plus `client-secret` for a service
   * principal. The Pulumi stack writes it; keeping ids out of the manifests lets one synth serve every
   * environment.
   * @default { name: 'azure-keyvault-identity', namespace: 'external-secrets' }
   */
  readonly identitySecret?: { readonly name: string; readonly namespace: string };

  /**
   * How often ESO re-validates the store: a Go duration of whole seconds.
   * @default '5m0s'
   */
  readonly storeRefreshInterval?: string;
}

/**
 * An Azure Key Vault ClusterSecretStore (provider azurekv). Workload identity by default; a service principal
 * for clusters outside Azure. Use it only from namespaces named in `conditions`.
 */
export class KeyVaultStore extends Construct implements ISecretStore {
  /** A Key Vault store that exists already, e.g. the platform's `keyvault` or a tenant's `tenant-<name>`. */
  static fromStoreName(storeName: string): ISecretStore {
    return clusterSecretStoreNamed(storeName);
  }

  readonly storeName: string;
  readonly storeKind = 'ClusterSecretStore';

  constructor(scope: Construct, id: string, props: KeyVaultStoreProps) {
    super(scope, id);
    refuseDuplicateObjects(this);
    const serviceAccount = props.auth?.kind === 'workload-identity' ? props.auth.serviceAccount : undefined;
    requireNames(`KeyVaultStore ${props.name}`, [
      ['name', props.name, 'dns1123Subdomain'],
      ['auth.serviceAccount.name', serviceAccount?.name, 'dns1123Subdomain'],
      ['auth.serviceAccount.namespace', serviceAccount?.namespace, 'dns1123Label'],
      ['identitySecret.name', props.identitySecret?.name, 'dns1123Subdomain'],
      ['identitySecret.namespace', props.identitySecret?.namespace, 'dns1123Label'],
    ]);
    if (props.conditions.length === 0) {
      throw new Error(`KeyVaultStore ${props.name}: conditions must name the namespaces that may read the vault`);
    }
    if (!/^https:\/\/[^/]+\/?$/.test(props.vaultUrl)) {
      throw new Error(`KeyVaultStore ${props.name}: vaultUrl must look like https://<vault>.vault.azure.net/, got "${props.vaultUrl}"`);
    }
    this.storeName = props.name;
    const auth = props.auth ?? { kind: 'workload-identity' };
    const identity = props.identitySecret ?? { name: 'azure-keyvault-identity', namespace: 'external-secrets' };
    const ref = (key: string) => ({ name: identity.name, namespace: identity.namespace, key });

    new ClusterSecretStore(this, 'Resource', {
      metadata: { name: props.name, labels: { ...PRODUCT_LABELS, 'app.kubernetes.io/component': 'key-vault-store' } },
      spec: {
        refreshInterval: ClusterSecretStoreSpecRefreshInterval.fromNumber(
          storeRefreshSeconds(`KeyVaultStore ${props.name}`, props.storeRefreshInterval),
        ),
        conditions: props.conditions,
        provider: {
          azurekv: {
            vaultUrl: props.vaultUrl,
            tenantId: props.tenantId,
            environmentType: ClusterSecretStoreSpecProviderAzurekvEnvironmentType.PUBLIC_CLOUD,
            useAzureSdk: false,
            ...(auth.kind === 'workload-identity'
              ? {
                  authType: ClusterSecretStoreSpecProviderAzurekvAuthType.WORKLOAD_IDENTITY,
                  serviceAccountRef: auth.serviceAccount ?? { name: 'external-secrets', namespace: 'external-secrets' },
                  authSecretRef: { clientId: ref('client-id') },
                }
              : {
                  authType: ClusterSecretStoreSpecProviderAzurekvAuthType.SERVICE_PRINCIPAL,
                  authSecretRef: { clientId: ref('client-id'), clientSecret: ref('client-secret') },
                }),
          },
        },
      },
    });
  }
}

/** The Key Vault URL of a vault name in the Azure public cloud. */
export function keyVaultUrl(vaultName: string): string {
  return `https://${vaultName}.vault.azure.net/`;
}
