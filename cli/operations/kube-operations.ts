/**
 * The operational commands' view of a cluster through @kubernetes/client-node: ExternalSecrets, their
 * distributions and stores, Secret metadata and workloads. Secret data is dropped the moment it arrives.
 */
import {
  AppsV1Api,
  AuthenticationV1Api,
  CoreV1Api,
  CustomObjectsApi,
  EventsV1Api,
  type KubeConfig,
  PatchStrategy,
  setHeaderOptions,
} from '@kubernetes/client-node';
import type { AuditCluster, AuditEvent } from './audit';
import { CENTRAL_NAMESPACE, CREDENTIAL_LABEL, PRODUCT_LABELS, RELOADER_NAMESPACE } from '@central-secret-store/constructs/vocabulary';
import { type CanaryCluster, sha256 } from './canary-check';
import { DATA_HASH_ANNOTATION, type ExternalSecretState, FORCE_SYNC_ANNOTATION, OPERATIONS_FIELD_MANAGER, patchTimeOf } from './resync';
import type { Distribution, ForceSyncTarget, RotationCluster, SecretVersion } from './rotation';
import { type WorkloadKind, type WorkloadObject, type WorkloadState, workloadState } from './workloads';

const ESO = { group: 'external-secrets.io', version: 'v1' } as const;
export const ESO_API_VERSION = `${ESO.group}/${ESO.version}`;
const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
const PRODUCT_SELECTOR = `app.kubernetes.io/part-of=${PRODUCT_LABELS['app.kubernetes.io/part-of']}`;

/** The `reportingController` of the Events the commands write (audit.ts). */
export const AUDIT_REPORTING_CONTROLLER = 'central-secret-store.io/cli';

const notFound = (error: unknown) => (error as { code?: number }).code === 404;

async function orUndefined<T>(read: Promise<T>): Promise<T | undefined> {
  try {
    return await read;
  } catch (error) {
    if (notFound(error)) return undefined;
    throw error;
  }
}

interface EsoObject {
  metadata: {
    name: string;
    namespace?: string;
    managedFields?: { manager?: string; time?: string }[];
    ownerReferences?: { kind: string; name: string; controller?: boolean }[];
  };
  spec?: { target?: { name?: string } };
  status?: {
    syncedResourceVersion?: string;
    refreshTime?: string;
    conditions?: ExternalSecretState['conditions'];
    provisionedNamespaces?: string[];
    failedNamespaces?: { namespace: string }[];
  };
}

export function externalSecretState(object: EsoObject): ExternalSecretState {
  return {
    namespace: object.metadata.namespace ?? '',
    name: object.metadata.name,
    target: object.spec?.target?.name ?? object.metadata.name,
    syncedResourceVersion: object.status?.syncedResourceVersion,
    refreshTime: object.status?.refreshTime,
    conditions: object.status?.conditions ?? [],
    distribution: object.metadata.ownerReferences?.find((o) => o.kind === 'ClusterExternalSecret' && o.controller)?.name,
  };
}

export class KubeOperations implements RotationCluster, CanaryCluster, AuditCluster {
  readonly centralNamespace = CENTRAL_NAMESPACE;
  private readonly core: CoreV1Api;
  private readonly apps: AppsV1Api;
  private readonly custom: CustomObjectsApi;
  private readonly authentication: AuthenticationV1Api;
  private readonly events: EventsV1Api;

  constructor(config: KubeConfig) {
    this.core = config.makeApiClient(CoreV1Api);
    this.apps = config.makeApiClient(AppsV1Api);
    this.custom = config.makeApiClient(CustomObjectsApi);
    this.authentication = config.makeApiClient(AuthenticationV1Api);
    this.events = config.makeApiClient(EventsV1Api);
  }

  async whoAmI(): Promise<string> {
    const review = await this.authentication.createSelfSubjectReview({
      body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' },
    });
    const username = review.status?.userInfo?.username;
    if (!username) throw new Error('the API server named no user');
    return username;
  }

  async recordEvent(event: AuditEvent): Promise<void> {
    const { regarding } = event;
    // Named as Kubernetes names its own Events: the object's name and the time in nanoseconds, in hex.
    const name = `${regarding.name.slice(0, 200)}.${(BigInt(event.eventTime.getTime()) * 1_000_000n).toString(16)}`;
    await this.events.createNamespacedEvent({
      namespace: regarding.namespace,
      body: {
        apiVersion: 'events.k8s.io/v1',
        kind: 'Event',
        metadata: { name, namespace: regarding.namespace },
        // MicroTime takes exactly six fractional digits; the client sends a Date as toISOString's three, which
        // the API server refuses (kubernetes/kubernetes#141204), so the field goes as the string it wants.
        eventTime: event.eventTime.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z') as unknown as Date,
        regarding: { apiVersion: regarding.apiVersion, kind: regarding.kind, namespace: regarding.namespace, name: regarding.name },
        reason: event.reason,
        action: event.action,
        type: event.type,
        note: event.note,
        reportingController: AUDIT_REPORTING_CONTROLLER,
        reportingInstance: event.reportingInstance,
      },
    });
  }

  async readExternalSecret(namespace: string, name: string): Promise<ExternalSecretState | undefined> {
    const object = await orUndefined(this.custom.getNamespacedCustomObject({ ...ESO, plural: 'externalsecrets', namespace, name }));
    return object ? externalSecretState(object as EsoObject) : undefined;
  }

  async distributions(credential: string): Promise<Distribution[]> {
    const list = (await this.custom.listClusterCustomObject({
      ...ESO,
      plural: 'clusterexternalsecrets',
      labelSelector: `${CREDENTIAL_LABEL}=${credential},app.kubernetes.io/component=credential-distribution`,
    })) as { items: EsoObject[] };
    return list.items.map((c) => ({
      name: c.metadata.name,
      provisionedNamespaces: c.status?.provisionedNamespaces ?? [],
      failedNamespaces: (c.status?.failedNamespaces ?? []).map((f) => f.namespace),
    }));
  }

  async copies(credential: string): Promise<ExternalSecretState[]> {
    return this.listExternalSecrets(`${CREDENTIAL_LABEL}=${credential},app.kubernetes.io/component=credential-distribution`);
  }

  /** Every ExternalSecret with the given label selector, in every namespace. */
  async listExternalSecrets(labelSelector = PRODUCT_SELECTOR): Promise<ExternalSecretState[]> {
    const list = (await this.custom.listCustomObjectForAllNamespaces({ ...ESO, plural: 'externalsecrets', labelSelector })) as {
      items: EsoObject[];
    };
    return list.items.map(externalSecretState);
  }

  async clusterExternalSecretNames(labelSelector = PRODUCT_SELECTOR): Promise<string[]> {
    const list = (await this.custom.listClusterCustomObject({ ...ESO, plural: 'clusterexternalsecrets', labelSelector })) as {
      items: EsoObject[];
    };
    return list.items.map((c) => c.metadata.name);
  }

  async forceSync(target: ForceSyncTarget, value: string): Promise<string> {
    const body = { metadata: { annotations: { [FORCE_SYNC_ANNOTATION]: value } } };
    const sent = new Date();
    const patched = (
      target.kind === 'ExternalSecret'
        ? await this.custom.patchNamespacedCustomObject(
            {
              ...ESO,
              plural: 'externalsecrets',
              namespace: target.namespace,
              name: target.name,
              body,
              fieldManager: OPERATIONS_FIELD_MANAGER,
            },
            mergePatch,
          )
        : await this.custom.patchClusterCustomObject(
            { ...ESO, plural: 'clusterexternalsecrets', name: target.name, body, fieldManager: OPERATIONS_FIELD_MANAGER },
            mergePatch,
          )
    ) as EsoObject;
    return patchTimeOf(patched.metadata.managedFields, OPERATIONS_FIELD_MANAGER, sent);
  }

  /** The ClusterSecretStores of the product, with their Ready condition. */
  async clusterSecretStores(): Promise<{ name: string; conditions: ExternalSecretState['conditions'] }[]> {
    const list = (await this.custom.listClusterCustomObject({
      ...ESO,
      plural: 'clustersecretstores',
      labelSelector: PRODUCT_SELECTOR,
    })) as { items: EsoObject[] };
    return list.items.map((s) => ({ name: s.metadata.name, conditions: s.status?.conditions ?? [] }));
  }

  async annotateClusterSecretStore(name: string, annotations: Record<string, string>): Promise<void> {
    await this.custom.patchClusterCustomObject(
      { ...ESO, plural: 'clustersecretstores', name, body: { metadata: { annotations } }, fieldManager: OPERATIONS_FIELD_MANAGER },
      mergePatch,
    );
  }

  async secretVersion(namespace: string, name: string): Promise<SecretVersion | undefined> {
    const secret = await orUndefined(this.core.readNamespacedSecret({ namespace, name }));
    if (!secret) return undefined;
    return { resourceVersion: secret.metadata?.resourceVersion ?? '', dataHash: secret.metadata?.annotations?.[DATA_HASH_ANNOTATION] };
  }

  async secretDigest(namespace: string, name: string, key: string): Promise<string | undefined> {
    const secret = await orUndefined(this.core.readNamespacedSecret({ namespace, name }));
    const data = secret?.data?.[key];
    return data === undefined ? undefined : sha256(Buffer.from(data, 'base64'));
  }

  async workloads(namespace: string): Promise<WorkloadState[]> {
    const [deployments, statefulSets, daemonSets] = await Promise.all([
      this.apps.listNamespacedDeployment({ namespace }),
      this.apps.listNamespacedStatefulSet({ namespace }),
      this.apps.listNamespacedDaemonSet({ namespace }),
    ]);
    return [
      ...deployments.items.map((w) => workloadState('Deployment', w as WorkloadObject)),
      ...statefulSets.items.map((w) => workloadState('StatefulSet', w as WorkloadObject)),
      ...daemonSets.items.map((w) => workloadState('DaemonSet', w as WorkloadObject)),
    ];
  }

  async readWorkload(kind: WorkloadKind, namespace: string, name: string): Promise<WorkloadState | undefined> {
    const read =
      kind === 'Deployment'
        ? this.apps.readNamespacedDeployment({ namespace, name })
        : kind === 'StatefulSet'
          ? this.apps.readNamespacedStatefulSet({ namespace, name })
          : this.apps.readNamespacedDaemonSet({ namespace, name });
    const object = await orUndefined<unknown>(read);
    return object ? workloadState(kind, object as WorkloadObject) : undefined;
  }

  async annotatePodTemplate(kind: WorkloadKind, namespace: string, name: string, annotations: Record<string, string>): Promise<void> {
    const body = { spec: { template: { metadata: { annotations } } } };
    const request = { namespace, name, body, fieldManager: OPERATIONS_FIELD_MANAGER };
    if (kind === 'Deployment') await this.apps.patchNamespacedDeployment(request, mergePatch);
    else if (kind === 'StatefulSet') await this.apps.patchNamespacedStatefulSet(request, mergePatch);
    else await this.apps.patchNamespacedDaemonSet(request, mergePatch);
  }

  async reloaderRunning(): Promise<boolean> {
    const list = await orUndefined(this.apps.listNamespacedDeployment({ namespace: RELOADER_NAMESPACE }));
    return (list?.items ?? []).some((d) => (d.metadata?.name ?? '').includes('reloader') && (d.status?.availableReplicas ?? 0) > 0);
  }
}
