import { Construct } from 'constructs';
import { type Credential, type ResolvedFormat, masterKeysOf } from '../tenants/lib';
import { centralStoreName } from './central-credential-store';
import { goDurationProp } from './duration';
import { renderFormat } from './formats';
import {
  ClusterExternalSecret,
  ClusterExternalSecretSpecExternalSecretSpecRefreshPolicy as RefreshPolicy,
  ClusterExternalSecretSpecExternalSecretSpecSecretStoreRefKind as StoreKind,
  ClusterExternalSecretSpecExternalSecretSpecTargetCreationPolicy as CreationPolicy,
  ClusterExternalSecretSpecExternalSecretSpecTargetDeletionPolicy as DeletionPolicy,
  ClusterExternalSecretSpecExternalSecretSpecTargetTemplateEngineVersion as EngineVersion,
  ClusterExternalSecretSpecExternalSecretSpecTargetTemplateMergePolicy as MergePolicy,
} from './imports/external-secrets.io';
import { PRODUCT_LABELS, TENANT_LABEL, distributedSecretLabels, requestLabel } from './labels';

export interface CredentialDistributionProps {
  /** The shared credential to distribute. */
  readonly credential: Credential;

  /** The output format this distribution renders. */
  readonly format: ResolvedFormat;

  /**
   * Name of the ClusterExternalSecret and of the ExternalSecret it writes into each namespace.
   * @default '<credential>-<format id>'
   */
  readonly name?: string;

  /**
   * The store that reads the credential's master from the central namespace.
   * @default 'central-<credential>' (see CentralCredentialStore)
   */
  readonly storeName?: string;

  /**
   * How often each tenant copy re-reads the master: the bound of Property 1 (a rotation reaches every copy
   * within this interval once the master has it).
   * @default '1m'
   */
  readonly refreshInterval?: string;

  /**
   * How often ESO re-lists namespaces for this distribution. Label changes are seen at once through ESO's
   * namespace watch; this is the safety net.
   * @default '5m'
   */
  readonly refreshTime?: string;

  /**
   * Who owns the tenant copies.
   *
   * - `Owner` (default): each copy is owned by its ExternalSecret, so removing a namespace's request label
   *   removes the copy (Property 3, no orphans). The price, ESO issue #6884: deleting and re-creating this
   *   ClusterExternalSecret (a GitOps prune + recreate, a rename, a Pulumi replace) deletes every tenant
   *   copy until ESO writes them again. Names here are stable so that ordinary changes are patches, never
   *   replaces.
   * - `Orphan`: copies survive a replace of the ClusterExternalSecret but also stay behind after a
   *   namespace stops requesting the credential; use it only while migrating.
   * @default 'Owner'
   */
  readonly creationPolicy?: 'Owner' | 'Orphan';
}

/**
 * One ClusterExternalSecret per credential and output format. It selects the namespaces that request the
 * credential (label `secrets/<credential>: "true"`) and belong to a tenant allowed to have it, and renders the
 * master into the consumer's format with ESO's template engine v2.
 */
export class CredentialDistribution extends Construct {
  /** Name of the ClusterExternalSecret and of the ExternalSecret it creates in each namespace. */
  readonly name: string;

  constructor(scope: Construct, id: string, props: CredentialDistributionProps) {
    super(scope, id);
    const { credential, format } = props;
    if (credential.allowedTenants.length === 0) {
      throw new Error(`CredentialDistribution ${credential.name}: allowedTenants is empty, so no namespace could receive it`);
    }
    this.name = props.name ?? `${credential.name}-${format.id}`;
    const owner = `CredentialDistribution ${this.name}`;
    const rendered = renderFormat(credential, format.format);
    const labels = { ...PRODUCT_LABELS, 'app.kubernetes.io/component': 'credential-distribution', 'central-secret-store.io/credential': credential.name };

    new ClusterExternalSecret(this, 'Resource', {
      metadata: { name: this.name, labels },
      spec: {
        externalSecretName: this.name,
        externalSecretMetadata: { labels },
        refreshTime: goDurationProp(owner, 'refreshTime', props.refreshTime ?? '5m'),
        // Both conditions in one selector are ANDed: the namespace asks for the credential AND its tenant may
        // have it. A request label on another tenant's namespace selects nothing.
        namespaceSelectors: [
          {
            matchLabels: { [requestLabel(credential.name)]: 'true' },
            matchExpressions: [{ key: TENANT_LABEL, operator: 'In', values: [...credential.allowedTenants].sort() }],
          },
        ],
        externalSecretSpec: {
          secretStoreRef: { kind: StoreKind.CLUSTER_SECRET_STORE, name: props.storeName ?? centralStoreName(credential.name) },
          refreshPolicy: RefreshPolicy.PERIODIC,
          refreshInterval: goDurationProp(owner, 'refreshInterval', props.refreshInterval ?? '1m'),
          target: {
            name: format.secretName,
            creationPolicy: props.creationPolicy === 'Orphan' ? CreationPolicy.ORPHAN : CreationPolicy.OWNER,
            // Retain: if the master disappears from the central namespace, tenant copies keep their last value
            // (a store outage must not break running workloads).
            deletionPolicy: DeletionPolicy.RETAIN,
            template: {
              type: rendered.secretType,
              engineVersion: EngineVersion.V2,
              mergePolicy: MergePolicy.REPLACE,
              metadata: { labels: { ...distributedSecretLabels(credential.name, credential.kind), ...rendered.labels } },
              data: rendered.data,
            },
          },
          data: masterKeysOf(credential).map((key) => ({ secretKey: key, remoteRef: { key: credential.name, property: key } })),
        },
      },
    });
  }
}
