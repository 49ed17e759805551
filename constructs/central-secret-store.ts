import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';
import {
  ClusterSecretStore,
  ClusterSecretStoreSpecProviderKubernetesServerCaProviderType,
  ClusterSecretStoreSpecRefreshInterval,
  type ClusterSecretStoreSpecConditions,
} from './imports/external-secrets.io';
import { PRODUCT_LABELS, TENANT_LABEL } from './labels';

export interface CentralSecretStoreProps {
  /**
   * Namespace that holds the master Secrets. Nothing but the platform should live there.
   * @default 'central-secret-store'
   */
  readonly namespaceName?: string;

  /**
   * Name of the kubernetes-provider ClusterSecretStore that reads the central namespace.
   * @default 'central-secret-store'
   */
  readonly storeName?: string;

  /**
   * ServiceAccount ESO authenticates as when reading the central namespace. Its Role can only
   * get/list/watch Secrets there; ESO mints short-lived tokens for it with the TokenRequest API.
   * @default 'central-secret-store-reader'
   */
  readonly readerServiceAccountName?: string;

  /**
   * Which namespaces may use the store; ESO refuses ExternalSecrets in any other namespace.
   * @default - namespaces carrying the tenant label `central-secret-store.io/tenant`
   */
  readonly conditions?: ClusterSecretStoreSpecConditions[];

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
   * How often ESO re-validates the store, in seconds.
   * @default 300
   */
  readonly storeRefreshSeconds?: number;
}

/**
 * The hub of the hub-and-spoke design (seed 001): the central namespace holding one master Secret per
 * credential, a reader ServiceAccount that can read nothing but Secrets in that namespace, and the
 * kubernetes-provider ClusterSecretStore through which the ClusterExternalSecrets fan the masters out.
 */
export class CentralSecretStore extends Construct {
  readonly namespaceName: string;
  readonly storeName: string;
  readonly readerServiceAccountName: string;

  constructor(scope: Construct, id: string, props: CentralSecretStoreProps = {}) {
    super(scope, id);
    this.namespaceName = props.namespaceName ?? 'central-secret-store';
    this.storeName = props.storeName ?? 'central-secret-store';
    this.readerServiceAccountName = props.readerServiceAccountName ?? 'central-secret-store-reader';
    const caConfigMap = props.caConfigMap ?? { name: 'kube-root-ca.crt', key: 'ca.crt' };
    const conditions = props.conditions ?? [
      { namespaceSelector: { matchExpressions: [{ key: TENANT_LABEL, operator: 'Exists' }] } },
    ];
    if (conditions.length === 0) {
      throw new Error('CentralSecretStore: conditions must not be empty; an unconditioned store is usable from every namespace');
    }
    const labels = { ...PRODUCT_LABELS, 'app.kubernetes.io/component': 'central-store' };

    new k8s.KubeNamespace(this, 'Namespace', {
      // The API server adds kubernetes.io/metadata.name itself; writing it keeps diffs quiet.
      metadata: { name: this.namespaceName, labels: { ...labels, 'kubernetes.io/metadata.name': this.namespaceName } },
    });

    new k8s.KubeServiceAccount(this, 'Reader', {
      metadata: { name: this.readerServiceAccountName, namespace: this.namespaceName, labels },
      // ESO requests tokens for this account itself; no pod ever mounts one.
      automountServiceAccountToken: false,
    });

    new k8s.KubeRole(this, 'ReaderRole', {
      metadata: { name: this.readerServiceAccountName, namespace: this.namespaceName, labels },
      rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list', 'watch'] }],
    });

    new k8s.KubeRoleBinding(this, 'ReaderRoleBinding', {
      metadata: { name: this.readerServiceAccountName, namespace: this.namespaceName, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: this.readerServiceAccountName },
      subjects: [{ kind: 'ServiceAccount', name: this.readerServiceAccountName, namespace: this.namespaceName, apiGroup: '' }],
    });

    new ClusterSecretStore(this, 'Store', {
      metadata: { name: this.storeName, labels },
      spec: {
        refreshInterval: ClusterSecretStoreSpecRefreshInterval.fromNumber(props.storeRefreshSeconds ?? 300),
        conditions,
        provider: {
          kubernetes: {
            remoteNamespace: this.namespaceName,
            server: {
              url: props.serverUrl ?? 'https://kubernetes.default.svc',
              caProvider: {
                type: ClusterSecretStoreSpecProviderKubernetesServerCaProviderType.CONFIG_MAP,
                name: caConfigMap.name,
                key: caConfigMap.key,
                namespace: this.namespaceName,
              },
            },
            auth: { serviceAccount: { name: this.readerServiceAccountName, namespace: this.namespaceName } },
          },
        },
      },
    });
  }
}
