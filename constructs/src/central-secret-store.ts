import { Construct } from 'constructs';
import { namespaceObject, roleBindingObject, roleObject, serviceAccountObject } from './core-objects';
import { NAMESPACE_NAME_LABEL, PRODUCT_LABELS } from './vocabulary/labels';
import { CENTRAL_NAMESPACE, CENTRAL_READER } from './vocabulary/object-names';
import { requireNames } from './name-checks';
import { refuseDuplicateObjects } from './unique-objects';

export interface CentralSecretStoreProps {
  /**
   * Namespace that holds the master Secrets. Nothing but the platform should live there.
   * @default 'central-secret-store'
   */
  readonly namespaceName?: string;

  /**
   * ServiceAccount ESO authenticates as when reading the central namespace. Its Role can only
   * get/list/watch Secrets there; ESO mints short-lived tokens for it with the TokenRequest API.
   * @default 'central-secret-store-reader'
   */
  readonly readerServiceAccountName?: string;
}

/**
 * The hub of the hub-and-spoke design (docs/architecture.md, "Why it is built this way"): the central
 * namespace holding one master Secret per credential, and a reader ServiceAccount that can read nothing but
 * Secrets in that namespace. Each credential is then read through its own {@link CentralCredentialStore}.
 */
export class CentralSecretStore extends Construct {
  readonly namespaceName: string;
  readonly readerServiceAccountName: string;

  constructor(scope: Construct, id: string, props: CentralSecretStoreProps = {}) {
    super(scope, id);
    refuseDuplicateObjects(this);
    this.namespaceName = props.namespaceName ?? CENTRAL_NAMESPACE;
    this.readerServiceAccountName = props.readerServiceAccountName ?? CENTRAL_READER;
    requireNames(`CentralSecretStore ${this.namespaceName}`, [
      ['namespaceName', this.namespaceName, 'dns1123Label'],
      ['readerServiceAccountName', this.readerServiceAccountName, 'dns1123Subdomain'],
    ]);
    const labels = { ...PRODUCT_LABELS, 'app.kubernetes.io/component': 'central-store' };

    namespaceObject(this, 'Namespace', {
      // The API server adds kubernetes.io/metadata.name itself; writing it keeps diffs quiet.
      metadata: { name: this.namespaceName, labels: { ...labels, [NAMESPACE_NAME_LABEL]: this.namespaceName } },
    });

    serviceAccountObject(this, 'Reader', {
      metadata: { name: this.readerServiceAccountName, namespace: this.namespaceName, labels },
      // ESO requests tokens for this account itself; no pod ever mounts one.
      automountServiceAccountToken: false,
    });

    roleObject(this, 'ReaderRole', {
      metadata: { name: this.readerServiceAccountName, namespace: this.namespaceName, labels },
      rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list', 'watch'] }],
    });

    roleBindingObject(this, 'ReaderRoleBinding', {
      metadata: { name: this.readerServiceAccountName, namespace: this.namespaceName, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: this.readerServiceAccountName },
      subjects: [{ kind: 'ServiceAccount', name: this.readerServiceAccountName, namespace: this.namespaceName, apiGroup: '' }],
    });
  }
}
