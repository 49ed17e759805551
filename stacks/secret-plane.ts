import { createHash } from 'node:crypto';
import * as pulumi from '@pulumi/pulumi';
import { SHARED_OBJECT_FIELDS_ANNOTATION, TENANT_LABEL } from '../constructs/src';
import { type ClusterManifests, KIND_ORDER, type KubeObject } from '../plane';
import { ManifestSet } from './manifest-set';
import type { ManifestObject } from './manifest-set-provider';

/** The set of the cluster-scoped objects. */
export const CLUSTER_SET = 'cluster.scoped';
/** The set of the central namespace's objects (the masters and their stores' access). */
export const CENTRAL_SET = 'central.namespace';
/**
 * How many sets the tenants' objects are spread over, at most. Each set is a step the engine checkpoints, and
 * on a self-run backend every checkpoint rewrites the whole state: a set per tenant made a 3,000-object
 * cluster's first `up` 3.6 times a plain apply (bench:pulumi), where a few sets keep it close.
 */
export const TENANT_SETS = 16;

/** The set of a tenant's objects: `tenants-00` to `tenants-15`, by a hash of its name, so it never moves. */
export function tenantSet(tenant: string): string {
  const bucket = createHash('sha256').update(tenant).digest().readUInt32BE(0) % TENANT_SETS;
  return `tenants-${String(bucket).padStart(2, '0')}`;
}

export interface SecretPlaneArgs {
  /** The cluster's synthesized objects. */
  readonly manifests: ClusterManifests;
  /** kubeconfig of the target cluster, the one the provider was given. */
  readonly kubeconfig: pulumi.Input<string>;
  /** What must be ready first: the ESO release, whose webhook rejects stores until it runs. */
  readonly dependsOn: pulumi.Input<pulumi.Resource>[];
}

/** Objects of which the product owns some fields, never the object itself (see SHARED_OBJECT_FIELDS_ANNOTATION). */
const isShared = (o: KubeObject) =>
  (o.metadata.annotations as Record<string, string> | undefined)?.[SHARED_OBJECT_FIELDS_ANNOTATION] !== undefined;

/**
 * The cluster's cdk8s output as a few ManifestSets: the cluster-scoped objects (namespaces, roles, stores,
 * distributions) first, then the objects in the tenants' namespaces spread over at most TENANT_SETS sets (a
 * tenant's objects all in one), and one for the central namespace. A catalogue change touches only the sets of
 * the tenants it concerns, and `pulumi preview --diff` names each object it adds, changes or removes. ServiceAccounts given pull secrets are shared objects: the
 * product applies their `imagePullSecrets` and, when they go, gives the field back instead of deleting a
 * ServiceAccount that Kubernetes or the tenant created.
 */
export class SecretPlane extends pulumi.ComponentResource {
  /** Every set, the cluster-scoped one first. */
  readonly sets: readonly ManifestSet[];

  constructor(name: string, args: SecretPlaneArgs, opts?: pulumi.ComponentResourceOptions) {
    super('central-secret-store:kubernetes:SecretPlane', name, {}, opts);
    const { manifests, kubeconfig } = args;
    const clusterSet = new ManifestSet(
      `${name}-${CLUSTER_SET}`,
      { kubeconfig, set: CLUSTER_SET, kindOrder: KIND_ORDER, objects: manifests.clusterScoped },
      { parent: this, dependsOn: args.dependsOn },
    );
    const tenantOf = new Map(
      manifests.clusterScoped
        .filter((o) => o.kind === 'Namespace')
        .map((o) => [o.metadata.name, (o.metadata.labels as Record<string, string> | undefined)?.[TENANT_LABEL]]),
    );
    const bySet = new Map<string, { objects: ManifestObject[]; shared: ManifestObject[] }>();
    for (const o of manifests.namespaced) {
      const tenant = tenantOf.get(o.metadata.namespace!);
      const set = tenant === undefined ? CENTRAL_SET : tenantSet(tenant);
      const group = bySet.get(set) ?? { objects: [], shared: [] };
      (isShared(o) ? group.shared : group.objects).push(o);
      bySet.set(set, group);
    }
    const unexpected = [...bySet.values()].flatMap((g) => g.shared).filter((o) => o.kind !== 'ServiceAccount');
    if (unexpected.length > 0) throw new Error(`no way to share the fields of ${unexpected.map((o) => o.kind).join(', ')} objects`);
    const namespaced = [...bySet.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(
        ([set, group]) =>
          new ManifestSet(
            `${name}-${set}`,
            { kubeconfig, set, kindOrder: KIND_ORDER, ...group },
            { parent: this, dependsOn: [clusterSet] },
          ),
      );
    this.sets = [clusterSet, ...namespaced];
    this.registerOutputs({});
  }
}
