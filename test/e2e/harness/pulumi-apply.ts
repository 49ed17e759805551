/**
 * What `pulumi up` and `pulumi destroy` do to a cluster with the Kubernetes provider in server-side apply mode,
 * for suites that cannot run Pulumi's providers here: apply under a field manager of Pulumi's form, never
 * forcing; check that a second apply after ESO reconciled would change nothing; delete in reverse order with
 * foreground propagation and wait until everything is gone.
 */
import type { KubeClient, KubeObject } from '../../support/kube-client';
import { waitUntil } from './wait';

/** Pulumi's field manager: `pulumi-kubernetes-<random>`, fixed per suite. */
export const PULUMI_FIELD_MANAGER = 'pulumi-kubernetes-1f0e6c2a';

const describe = (o: KubeObject) => `${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name}`;

/** Applies the objects in order, as `pulumi up` does. */
export async function applyAsPulumi(deployer: KubeClient, objects: readonly KubeObject[]): Promise<void> {
  for (const o of objects) await deployer.apply(o, { fieldManager: PULUMI_FIELD_MANAGER, force: false });
}

/**
 * Waits until ESO has written back every ExternalSecret and ClusterExternalSecret (its finalizers, and with
 * them its own form of every duration): only then can a second apply meet ESO's fields.
 */
export async function waitForEsoWriteBack(admin: KubeClient, objects: readonly KubeObject[]): Promise<void> {
  await waitUntil('ESO finalizers on every ExternalSecret and ClusterExternalSecret', async () => {
    for (const o of objects.filter((x) => ['ExternalSecret', 'ClusterExternalSecret'].includes(x.kind))) {
      const live = await admin.get(o.apiVersion, o.kind, o.metadata.name, o.metadata.namespace);
      if (!live?.metadata.finalizers?.some((f: string) => f.startsWith('externalsecrets.external-secrets.io/'))) return false;
    }
    return true;
  });
}

/**
 * The objects a server-side dry run of the same apply would change, compared with what is stored (status and
 * bookkeeping aside, Pulumi's own managed fields included): what `pulumi preview` would show.
 */
export async function dryRunChanges(deployer: KubeClient, admin: KubeClient, objects: readonly KubeObject[]): Promise<string[]> {
  const comparable = (o: KubeObject) => {
    const { status: _status, metadata, ...rest } = o;
    const { resourceVersion: _rv, managedFields, ...meta } = metadata as Record<string, any>;
    const mine = (managedFields ?? []).filter((m: any) => m.manager === PULUMI_FIELD_MANAGER).map((m: any) => m.fieldsV1);
    return { ...rest, metadata: meta, mine };
  };
  const changed: string[] = [];
  for (const o of objects) {
    const live = await admin.get(o.apiVersion, o.kind, o.metadata.name, o.metadata.namespace);
    const dry = await deployer.apply(o, { fieldManager: PULUMI_FIELD_MANAGER, force: false, dryRun: true });
    if (JSON.stringify(comparable(dry)) !== JSON.stringify(comparable(live!))) changed.push(describe(o));
  }
  return changed;
}

/** Deletes the objects in reverse order with foreground propagation and waits until none is left. */
export async function destroyAsPulumi(
  deployer: KubeClient,
  admin: KubeClient,
  objects: readonly KubeObject[],
  seconds = 10 * 60,
): Promise<void> {
  for (const o of [...objects].reverse()) await deployer.delete(o.apiVersion, o.kind, o.metadata.name, o.metadata.namespace, 'Foreground');
  const left = async () => {
    const present: string[] = [];
    for (const o of objects) if (await admin.get(o.apiVersion, o.kind, o.metadata.name, o.metadata.namespace)) present.push(describe(o));
    return present;
  };
  await waitUntil('every applied object deleted', async () => (await left()).length === 0, seconds).catch(async (error) => {
    throw new Error(`${(error as Error).message}; still present: ${(await left()).join(', ')}`);
  });
}
