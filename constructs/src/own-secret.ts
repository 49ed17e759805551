import { goDurationProp } from './vocabulary/duration';
import { copyOf, goString, key } from './formats/template';
import {
  type ExternalSecretSpec,
  ExternalSecretSpecRefreshPolicy,
  ExternalSecretSpecSecretStoreRefKind,
  ExternalSecretSpecTargetCreationPolicy,
  ExternalSecretSpecTargetDeletionPolicy,
  ExternalSecretSpecTargetTemplateEngineVersion,
  ExternalSecretSpecTargetTemplateMergePolicy,
} from './imports/external-secrets.io';
import { OPERATOR_LABEL, OWN_SECRET_ANNOTATIONS, SECRET_PROVENANCE_LABELS, TENANT_LABEL } from './vocabulary/labels';
import { OWN_SECRET_REFRESH_INTERVAL } from './vocabulary/refresh-intervals';
import { SECRET_DATA_KEY_RULE, isSecretDataKey } from './vocabulary/secret-data-key';
import { type ISecretStore, type RemoteSecretReference, remoteRefOf } from './secret-store';
import { mapNames, requireNames } from './name-checks';

/** What every kind of own secret takes: workload, kubernetes, raw (docs/catalogue.md, "Tenants' own secrets"). */
export interface OwnSecretProps {
  /** The tenant that owns the secret; written as its `central-secret-store.io/tenant` label. */
  readonly tenant: string;

  /** Name of the Secret, and of the ExternalSecret that writes it. */
  readonly name: string;

  /** Secret key -> where the vault holds its value: a Key Vault secret name, or a Vault KV path and field. */
  readonly vaultSecrets: Readonly<Record<string, RemoteSecretReference>>;

  /** The tenant's own store (see KeyVaultStore and VaultStore; usable from the tenant's namespaces only). */
  readonly store: ISecretStore;

  /**
   * Extra labels on the Secret. Not the keys this library sets itself (tenant, provenance, operator).
   * @default - none
   */
  readonly labels?: Readonly<Record<string, string>>;

  /**
   * Extra annotations on the Secret. Not the validity and SPIFFE annotations this library sets itself.
   * @default - none
   */
  readonly annotations?: Readonly<Record<string, string>>;

  /**
   * Start of the validity window (RFC 3339), recorded on the Secret.
   * @default - none
   */
  readonly notBefore?: string;

  /**
   * End of the validity window (RFC 3339), recorded on the Secret.
   * @default - none
   */
  readonly expires?: string;

  /**
   * How often the value is re-read from the vault.
   * @default '5m0s'
   */
  readonly refreshInterval?: string;
}

/** How one kind of own secret differs from the others. */
export interface OwnSecretShape {
  /** The kind, as written on the Secret (label `secret-type`). */
  readonly kind: 'kubernetes' | 'workload' | 'raw';
  /** Kubernetes Secret type. */
  readonly secretType: string;
  /** The label naming the consuming operator (raw secrets). */
  readonly operator?: string;
  /** Deliver every key as one JSON document under this key (raw secrets for operators such as VSecM). */
  readonly jsonKey?: string;
  /** The workload's SPIFFE ID (workload secrets). */
  readonly spiffeId?: string;
}

/**
 * The ExternalSecret spec that delivers an own secret through the tenant's store, in one namespace or in all.
 * `construct` names the caller in error messages.
 */
export function ownSecretSpec(construct: string, props: OwnSecretProps, shape: OwnSecretShape): ExternalSecretSpec {
  const owner = `${construct} ${props.name}`;
  requireNames(owner, [
    ['name', props.name, 'dns1123Subdomain'],
    ['tenant', props.tenant, 'labelValue'],
    ...mapNames('label', props.labels),
    ...mapNames('annotation', props.annotations),
  ]);
  const keys = Object.keys(props.vaultSecrets).sort();
  const badKeys = [
    ...keys.filter((k) => !isSecretDataKey(k)).map((k) => `key "${k}" of vaultSecrets ${SECRET_DATA_KEY_RULE}`),
    ...(shape.jsonKey !== undefined && !isSecretDataKey(shape.jsonKey) ? [`jsonKey "${shape.jsonKey}" ${SECRET_DATA_KEY_RULE}`] : []),
  ];
  if (badKeys.length > 0) throw new Error(`${owner}: ${badKeys.join('; ')}`);
  if (keys.length === 0) throw new Error(`${owner}: vaultSecrets must map at least one Secret key to a vault secret`);
  const setHere = [TENANT_LABEL, OPERATOR_LABEL, ...SECRET_PROVENANCE_LABELS];
  const clashes = [
    ...Object.keys(props.labels ?? {})
      .filter((k) => setHere.includes(k))
      .map((k) => `label "${k}"`),
    ...Object.keys(props.annotations ?? {})
      .filter((k) => (Object.values(OWN_SECRET_ANNOTATIONS) as string[]).includes(k))
      .map((k) => `annotation "${k}"`),
  ];
  if (clashes.length > 0)
    throw new Error(
      `${owner}: ${clashes.join(', ')} ${clashes.length > 1 ? 'are' : 'is'} set by this library; remove ${clashes.length > 1 ? 'them' : 'it'}`,
    );

  const annotations: Record<string, string> = { ...props.annotations };
  if (props.notBefore) annotations[OWN_SECRET_ANNOTATIONS.notBefore] = props.notBefore;
  if (props.expires) annotations[OWN_SECRET_ANNOTATIONS.expires] = props.expires;
  if (shape.spiffeId) annotations[OWN_SECRET_ANNOTATIONS.spiffeId] = shape.spiffeId;
  const labels: Record<string, string> = {
    ...props.labels,
    'managed-by': 'external-secrets',
    source: 'central-secret-store',
    'secret-type': shape.kind,
    [TENANT_LABEL]: props.tenant,
    ...(shape.operator ? { [OPERATOR_LABEL]: shape.operator } : {}),
  };
  // An operator's secret goes in the form the operator reads: one key per key, or one JSON document.
  const data = shape.jsonKey
    ? { [shape.jsonKey]: `{{ dict ${keys.map((k) => `${goString(k)} ${key(k)}`).join(' ')} | toJson }}` }
    : Object.fromEntries(keys.map((k) => [k, copyOf(k)]));
  return {
    secretStoreRef: { kind: ExternalSecretSpecSecretStoreRefKind.CLUSTER_SECRET_STORE, name: props.store.storeName },
    refreshPolicy: ExternalSecretSpecRefreshPolicy.PERIODIC,
    refreshInterval: goDurationProp(owner, 'refreshInterval', props.refreshInterval ?? OWN_SECRET_REFRESH_INTERVAL),
    target: {
      name: props.name,
      creationPolicy: ExternalSecretSpecTargetCreationPolicy.OWNER,
      deletionPolicy: ExternalSecretSpecTargetDeletionPolicy.RETAIN,
      template: {
        type: shape.secretType,
        engineVersion: ExternalSecretSpecTargetTemplateEngineVersion.V2,
        mergePolicy: ExternalSecretSpecTargetTemplateMergePolicy.REPLACE,
        metadata: { labels, ...(Object.keys(annotations).length > 0 ? { annotations } : {}) },
        data,
      },
    },
    data: keys.map((k) => ({ secretKey: k, remoteRef: remoteRefOf(props.vaultSecrets[k]) })),
  };
}
