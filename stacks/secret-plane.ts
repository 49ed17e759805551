import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { SHARED_OBJECT_FIELDS_ANNOTATION } from '../constructs/src';
import type { ClusterManifests, KubeObject } from '../plane';
import { withDeletionPropagation } from './deletion-propagation';

export interface SecretPlaneArgs {
  /** The cluster's synthesized objects. */
  readonly manifests: ClusterManifests;
  /** Provider of the target cluster. */
  readonly provider: k8s.Provider;
  /** kubeconfig of the target cluster, the one the provider was given. */
  readonly kubeconfig: pulumi.Input<string>;
  /** What must be ready first: the ESO release, whose webhook rejects stores until it runs. */
  readonly dependsOn: pulumi.Input<pulumi.Resource>[];
}

/** Objects of which the product owns some fields, never the object itself (see SHARED_OBJECT_FIELDS_ANNOTATION). */
const isShared = (o: KubeObject) => (o.metadata.annotations as Record<string, string> | undefined)?.[SHARED_OBJECT_FIELDS_ANNOTATION] !== undefined;

/**
 * The cluster's cdk8s output applied in two ConfigGroups: cluster-scoped objects (namespaces, roles, stores,
 * distributions) first, then the namespaced ones that live in those namespaces. ESO's objects are deleted in
 * the background (see deletion-propagation.ts). ServiceAccounts given pull secrets are `ServiceAccountPatch`es:
 * Pulumi applies their `imagePullSecrets` with server-side apply and, when they go, gives the field back
 * instead of deleting a ServiceAccount that Kubernetes or the tenant created.
 */
export class SecretPlane extends pulumi.ComponentResource {
  readonly clusterScoped: k8s.yaml.v2.ConfigGroup;
  readonly namespaced: k8s.yaml.v2.ConfigGroup;
  readonly serviceAccountPatches: k8s.core.v1.ServiceAccountPatch[];

  constructor(name: string, args: SecretPlaneArgs, opts?: pulumi.ComponentResourceOptions) {
    super('central-secret-store:kubernetes:SecretPlane', name, {}, opts);
    this.clusterScoped = new k8s.yaml.v2.ConfigGroup(
      `${name}-cluster-scoped`,
      { objs: args.manifests.clusterScoped.map(withDeletionPropagation) },
      { parent: this, provider: args.provider, dependsOn: args.dependsOn },
    );
    this.namespaced = new k8s.yaml.v2.ConfigGroup(
      `${name}-namespaced`,
      { objs: args.manifests.namespaced.filter((o) => !isShared(o)).map(withDeletionPropagation) },
      { parent: this, provider: args.provider, dependsOn: [this.clusterScoped] },
    );
    const shared = args.manifests.namespaced.filter(isShared);
    const unexpected = shared.filter((o) => o.kind !== 'ServiceAccount');
    if (unexpected.length > 0) throw new Error(`no patch resource for shared ${unexpected.map((o) => o.kind).join(', ')} objects`);
    // The pull secrets' Secrets are written by ESO from the cluster-scoped distributions.
    this.serviceAccountPatches = shared.map(
      (o) => new k8s.core.v1.ServiceAccountPatch(`${name}-${o.metadata.namespace}-${o.metadata.name}`, o as k8s.core.v1.ServiceAccountPatchArgs, { parent: this, provider: args.provider, dependsOn: [this.clusterScoped] }),
    );
    this.registerOutputs({});
  }
}
