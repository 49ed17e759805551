import { Construct } from 'constructs';
import { goDurationProp } from './vocabulary/duration';
import {
  ClusterExternalSecret,
  ClusterExternalSecretSpecExternalSecretSpecRefreshPolicy as RefreshPolicy,
  ClusterExternalSecretSpecExternalSecretSpecSecretStoreRefKind as StoreKind,
  ClusterExternalSecretSpecExternalSecretSpecTargetCreationPolicy as CreationPolicy,
  ClusterExternalSecretSpecExternalSecretSpecTargetDeletionPolicy as DeletionPolicy,
  ClusterExternalSecretSpecExternalSecretSpecTargetTemplateEngineVersion as EngineVersion,
  ClusterExternalSecretSpecExternalSecretSpecTargetTemplateMergePolicy as MergePolicy,
} from './imports/external-secrets.io';
import {
  CREDENTIAL_LABEL,
  PRODUCT_LABELS,
  TENANT_LABEL,
  distributedSecretAnnotations,
  distributedSecretLabels,
  requestLabel,
} from './vocabulary/labels';
import { centralStoreName, distributionName } from './vocabulary/object-names';
import { COPY_REFRESH_INTERVAL, NAMESPACE_RESCAN_INTERVAL } from './vocabulary/refresh-intervals';
import type { SecretFormat } from './secret-format';
import type { ISecretStore } from './secret-store';
import { listNames, requireNames } from './name-checks';
import { refuseDuplicateObjects } from './unique-objects';

export interface CredentialDistributionProps {
  /** What each selected namespace receives: a format of a shared credential, e.g. `ghcr.dockerConfigJson()`. */
  readonly format: SecretFormat;

  /**
   * Tenants whose namespaces may receive it. A namespace is selected when it requests the credential (label
   * `secrets/<credential>: "true"`) and belongs to one of these tenants (label `central-secret-store.io/tenant`).
   */
  readonly allowedTenants: readonly string[];

  /**
   * The store that reads the credential's master from the central namespace.
   * @default - the store named `central-<credential>` (see CentralCredentialStore)
   */
  readonly store?: ISecretStore;

  /**
   * Name of the ClusterExternalSecret and of the ExternalSecret it writes into each namespace.
   * @default '<credential>-<format name>'
   */
  readonly name?: string;

  /**
   * How often each copy re-reads the master: the bound of Property 1 (a rotation reaches every copy within
   * this interval once the master has it).
   * @default '1m0s'
   */
  readonly refreshInterval?: string;

  /**
   * How often ESO re-lists namespaces for this distribution. Label changes are seen at once through ESO's
   * namespace watch; this is the safety net.
   * @default '5m0s'
   */
  readonly refreshTime?: string;

  /**
   * Who owns the copies.
   *
   * - `Owner` (default): each copy is owned by its ExternalSecret, so removing a namespace's request label
   *   removes the copy (Property 3, no orphans). The price, ESO issue #6884: deleting and re-creating this
   *   ClusterExternalSecret (a GitOps prune + recreate, a rename, a Pulumi replace) deletes every copy until
   *   ESO writes them again. Keep names stable so that ordinary changes are patches, never replaces.
   * - `Orphan`: copies survive a replace of the ClusterExternalSecret but also stay behind after a namespace
   *   stops requesting the credential; use it only while migrating.
   * @default 'Owner'
   */
  readonly creationPolicy?: 'Owner' | 'Orphan';
}

/**
 * One ClusterExternalSecret per credential and format. It selects the namespaces that request the credential
 * and belong to a tenant allowed to have it, and renders the master into the consumer's format with ESO's
 * template engine v2.
 */
export class CredentialDistribution extends Construct {
  /** Name of the ClusterExternalSecret and of the ExternalSecret it creates in each namespace. */
  readonly name: string;

  constructor(scope: Construct, id: string, props: CredentialDistributionProps) {
    super(scope, id);
    refuseDuplicateObjects(this);
    const { format } = props;
    const { credential } = format;
    this.name = props.name ?? distributionName(credential.name, format.id);
    const owner = `CredentialDistribution ${this.name}`;
    requireNames(owner, [['name', this.name, 'dns1123Subdomain'], ...listNames('allowedTenants', props.allowedTenants, 'labelValue')]);
    if (props.allowedTenants.length === 0)
      throw new Error(`${owner}: allowedTenants is empty, so no namespace could receive it; name at least one tenant`);
    const labels = { ...PRODUCT_LABELS, 'app.kubernetes.io/component': 'credential-distribution', [CREDENTIAL_LABEL]: credential.name };

    new ClusterExternalSecret(this, 'Resource', {
      metadata: { name: this.name, labels },
      spec: {
        externalSecretName: this.name,
        externalSecretMetadata: { labels },
        refreshTime: goDurationProp(owner, 'refreshTime', props.refreshTime ?? NAMESPACE_RESCAN_INTERVAL),
        // Both conditions in one selector are ANDed: the namespace asks for the credential AND its tenant may
        // have it. A request label on another tenant's namespace selects nothing.
        namespaceSelectors: [
          {
            matchLabels: { [requestLabel(credential.name)]: 'true' },
            matchExpressions: [{ key: TENANT_LABEL, operator: 'In', values: [...props.allowedTenants].sort() }],
          },
        ],
        externalSecretSpec: {
          secretStoreRef: { kind: StoreKind.CLUSTER_SECRET_STORE, name: props.store?.storeName ?? centralStoreName(credential.name) },
          refreshPolicy: RefreshPolicy.PERIODIC,
          refreshInterval: goDurationProp(owner, 'refreshInterval', props.refreshInterval ?? COPY_REFRESH_INTERVAL),
          target: {
            name: format.secretName,
            creationPolicy: props.creationPolicy === 'Orphan' ? CreationPolicy.ORPHAN : CreationPolicy.OWNER,
            // Retain: if the master disappears from the central namespace, copies keep their last value (a store
            // outage must not break running workloads).
            deletionPolicy: DeletionPolicy.RETAIN,
            template: {
              type: format.secretType,
              engineVersion: EngineVersion.V2,
              mergePolicy: MergePolicy.REPLACE,
              // The match annotation lets Reloader roll the tenant's opted-in workloads when the copy changes.
              metadata: {
                labels: { ...distributedSecretLabels(credential.name, credential.kind), ...format.labels },
                annotations: distributedSecretAnnotations(),
              },
              data: format.data,
            },
          },
          data: [...credential.masterKeys].sort().map((key) => ({ secretKey: key, remoteRef: { key: credential.name, property: key } })),
        },
      },
    });
  }
}
