import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import type { ClusterManifests } from '../plane';
import { withDeletionPropagation } from './deletion-propagation';

export interface SecretPlaneArgs {
  /** The cluster's synthesized objects. */
  readonly manifests: ClusterManifests;
  /** Provider of the target cluster. */
  readonly provider: k8s.Provider;
  /** What must be ready first: the ESO release, whose webhook rejects stores until it runs. */
  readonly dependsOn: pulumi.Input<pulumi.Resource>[];
}

/**
 * The cluster's cdk8s output applied in two ConfigGroups: cluster-scoped objects (namespaces, roles, stores,
 * distributions) first, then the namespaced ones that live in those namespaces. ESO's objects are deleted in
 * the background (see deletion-propagation.ts).
 */
export class SecretPlane extends pulumi.ComponentResource {
  readonly clusterScoped: k8s.yaml.v2.ConfigGroup;
  readonly namespaced: k8s.yaml.v2.ConfigGroup;

  constructor(name: string, args: SecretPlaneArgs, opts?: pulumi.ComponentResourceOptions) {
    super('central-secret-store:kubernetes:SecretPlane', name, {}, opts);
    this.clusterScoped = new k8s.yaml.v2.ConfigGroup(
      `${name}-cluster-scoped`,
      { objs: args.manifests.clusterScoped.map(withDeletionPropagation) },
      { parent: this, provider: args.provider, dependsOn: args.dependsOn },
    );
    this.namespaced = new k8s.yaml.v2.ConfigGroup(
      `${name}-namespaced`,
      { objs: args.manifests.namespaced.map(withDeletionPropagation) },
      { parent: this, provider: args.provider, dependsOn: [this.clusterScoped] },
    );
    this.registerOutputs({});
  }
}
