import { Construct } from 'constructs';
import {
  ClusterSecretStore,
  ClusterSecretStoreSpecProviderKubernetesServerCaProviderType,
  ClusterSecretStoreSpecRefreshInterval,
} from './imports/external-secrets.io';
import type { CentralSecretStore } from './central-secret-store';
import { CREDENTIAL_LABEL, PRODUCT_LABELS, TENANT_LABEL } from './vocabulary/labels';
import { centralStoreName } from './vocabulary/object-names';
import { type ISecretStore, clusterSecretStoreNamed, storeRefreshSeconds } from './secret-store';
import { listNames, requireNames } from './name-checks';
import { refuseDuplicateObjects } from './unique-objects';

export interface CentralCredentialStoreProps {
  /** The central namespace and its reader. */
  readonly central: CentralSecretStore;

  /** The credential this store serves. */
  readonly credential: string;

  /**
   * Name of the ClusterSecretStore.
   * @default 'central-<credential>'
   */
  readonly name?: string;

  /** Tenants whose namespaces may use the store; ESO refuses ExternalSecrets anywhere else. */
  readonly allowedTenants: readonly string[];

  /**
   * API server URL as the ESO controller reaches it.
   * @default 'https://kubernetes.default.svc'
   */
  readonly serverUrl?: string;

  /**
   * ConfigMap (in the central namespace) and key holding the CA that signs the API server's certificate.
   * Kubernetes publishes `kube-root-ca.crt` into every namespace.
   * @default { name: 'kube-root-ca.crt', key: 'ca.crt' }
   */
  readonly caConfigMap?: { readonly name: string; readonly key: string };

  /**
   * How often ESO re-validates the store: a Go duration of whole seconds.
   * @default '5m0s'
   */
  readonly storeRefreshInterval?: string;
}

/**
 * A kubernetes-provider ClusterSecretStore reading the central namespace, one per credential, whose
 * `conditions` admit only namespaces of the tenants allowed to have that credential. The distribution's own
 * namespace selector says the same; the store makes ESO enforce it even for an ExternalSecret that did not
 * come from the distribution.
 */
export class CentralCredentialStore extends Construct implements ISecretStore {
  /** A central credential store that exists already, e.g. one a platform team deployed. */
  static fromStoreName(storeName: string): ISecretStore {
    return clusterSecretStoreNamed(storeName);
  }

  readonly storeName: string;
  readonly storeKind = 'ClusterSecretStore';

  constructor(scope: Construct, id: string, props: CentralCredentialStoreProps) {
    super(scope, id);
    refuseDuplicateObjects(this);
    requireNames(`CentralCredentialStore ${props.credential}`, [
      ['credential', props.credential, 'dns1123Label'],
      ['name', props.name, 'dns1123Subdomain'],
      ...listNames('allowedTenants', props.allowedTenants, 'labelValue'),
      ['caConfigMap.name', props.caConfigMap?.name, 'dns1123Subdomain'],
    ]);
    if (props.allowedTenants.length === 0) {
      throw new Error(`CentralCredentialStore ${props.credential}: allowedTenants is empty; a store nobody may use serves no purpose`);
    }
    this.storeName = props.name ?? centralStoreName(props.credential);
    const caConfigMap = props.caConfigMap ?? { name: 'kube-root-ca.crt', key: 'ca.crt' };
    const { namespaceName, readerServiceAccountName } = props.central;

    new ClusterSecretStore(this, 'Resource', {
      metadata: {
        name: this.storeName,
        labels: { ...PRODUCT_LABELS, 'app.kubernetes.io/component': 'central-store', [CREDENTIAL_LABEL]: props.credential },
      },
      spec: {
        refreshInterval: ClusterSecretStoreSpecRefreshInterval.fromNumber(
          storeRefreshSeconds(`CentralCredentialStore ${props.credential}`, props.storeRefreshInterval),
        ),
        conditions: [
          { namespaceSelector: { matchExpressions: [{ key: TENANT_LABEL, operator: 'In', values: [...props.allowedTenants].sort() }] } },
        ],
        provider: {
          kubernetes: {
            remoteNamespace: namespaceName,
            server: {
              url: props.serverUrl ?? 'https://kubernetes.default.svc',
              caProvider: {
                type: ClusterSecretStoreSpecProviderKubernetesServerCaProviderType.CONFIG_MAP,
                name: caConfigMap.name,
                key: caConfigMap.key,
                namespace: namespaceName,
              },
            },
            auth: { serviceAccount: { name: readerServiceAccountName, namespace: namespaceName } },
          },
        },
      },
    });
  }
}
