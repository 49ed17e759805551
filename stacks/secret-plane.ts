import * as pulumi from '@pulumi/pulumi';
import { SHARED_OBJECT_FIELDS_ANNOTATION, TENANT_LABEL } from '../constructs/src';
import { type ClusterManifests, KIND_ORDER, type KubeObject } from '../plane';
import { ManifestSet } from './manifest-set';
import type { ManifestObject } from './manifest-set-provider';

/** The set of the cluster-scoped objects. Tenant names are DNS labels, without dots, so no tenant's set can be named so. */
export const CLUSTER_SET = 'cluster.scoped';
/** The set of the central namespace's objects (the masters and their stores' access). */
export const CENTRAL_SET = 'central.namespace';

export interface SecretPlaneArgs {
  /** The cluster's synthesized objects. */
  readonly manifests: ClusterManifests;
  /** kubeconfig of the target cluster, the one the provider was given. */
  readonly kubeconfig: pulumi.Input<string>;
  /** What must be ready first: the ESO release, whose webhook rejects stores until it runs. */
  readonly dependsOn: pulumi.Input<pulumi.Resource>[];
}

/** Objects of which the product owns some fields, never the object itself (see SHARED_OBJECT_FIELDS_ANNOTATION). */
const isShared = (o: KubeObject) => (o.metadata.annotations as Record<string, string> | undefined)?.[SHARED_OBJECT_FIELDS_ANNOTATION] !== undefined;

/**
 * The cluster's cdk8s output as a few ManifestSets: the cluster-scoped objects (namespaces, roles, stores,
 * distributions) first, then one set per tenant with the objects in its namespaces, and one for the central
 * namespace. A catalogue change touches only the sets of the tenants it concerns, and `pulumi preview --diff`
 * names each object it adds, changes or removes. ServiceAccounts given pull secrets are shared objects: the
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
      manifests.clusterScoped.filter((o) => o.kind === 'Namespace').map((o) => [o.metadata.name, (o.metadata.labels as Record<string, string> | undefined)?.[TENANT_LABEL]]),
    );
    const bySet = new Map<string, { objects: ManifestObject[]; shared: ManifestObject[] }>();
    for (const o of manifests.namespaced) {
      const set = tenantOf.get(o.metadata.namespace!) ?? CENTRAL_SET;
      const group = bySet.get(set) ?? { objects: [], shared: [] };
      (isShared(o) ? group.shared : group.objects).push(o);
      bySet.set(set, group);
    }
    const unexpected = [...bySet.values()].flatMap((g) => g.shared).filter((o) => o.kind !== 'ServiceAccount');
    if (unexpected.length > 0) throw new Error(`no way to share the fields of ${unexpected.map((o) => o.kind).join(', ')} objects`);
    const namespaced = [...bySet.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([set, group]) => new ManifestSet(`${name}-${set}`, { kubeconfig, set, kindOrder: KIND_ORDER, ...group }, { parent: this, dependsOn: [clusterSet] }));
    this.sets = [clusterSet, ...namespaced];
    this.registerOutputs({});
  }
}
