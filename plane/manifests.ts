import { App } from 'cdk8s';
import type { Catalogue } from '../tenants/lib';
import { ClusterSecretPlane } from './cluster-secret-plane';

/** A Kubernetes object as it is written to disk or handed to Pulumi. */
export interface KubeObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly [key: string]: unknown };
  readonly [key: string]: unknown;
}

/** One cluster's objects, split by scope so that namespaces exist before anything is put in them. */
export interface ClusterManifests {
  readonly cluster: string;
  /** Namespaces, cluster roles, ClusterSecretStores, ClusterExternalSecrets. Never carry a namespace. */
  readonly clusterScoped: readonly KubeObject[];
  /** Everything that lives inside a namespace. */
  readonly namespaced: readonly KubeObject[];
}

const CLUSTER_SCOPED_KINDS = new Set([
  'Namespace',
  'ClusterRole',
  'ClusterRoleBinding',
  'ClusterSecretStore',
  'ClusterExternalSecret',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
]);

/** Apply order within a scope: what others refer to comes first. Deletion goes the other way. */
export const KIND_ORDER: readonly string[] = [
  'Namespace',
  'ClusterRole',
  'ClusterRoleBinding',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
  'ClusterSecretStore',
  'ClusterExternalSecret',
  'ServiceAccount',
  'Role',
  'RoleBinding',
  'ExternalSecret',
];

export function isClusterScoped(kind: string): boolean {
  return CLUSTER_SCOPED_KINDS.has(kind);
}

function compareObjects(a: KubeObject, b: KubeObject): number {
  const rank = (o: KubeObject) => {
    const i = KIND_ORDER.indexOf(o.kind);
    return i < 0 ? KIND_ORDER.length : i;
  };
  return (
    rank(a) - rank(b) ||
    a.kind.localeCompare(b.kind) ||
    (a.metadata.namespace ?? '').localeCompare(b.metadata.namespace ?? '') ||
    a.metadata.name.localeCompare(b.metadata.name)
  );
}

/** Synthesizes one cluster of the catalogue into its objects, in a stable order. */
export function synthesizeCluster(catalogue: Catalogue, cluster: string): ClusterManifests {
  const app = new App();
  const chart = new ClusterSecretPlane(app, cluster, { catalogue, cluster });
  const objects = chart.toJson() as KubeObject[];
  const seen = new Set<string>();
  for (const o of objects) {
    if (isClusterScoped(o.kind) && o.metadata.namespace !== undefined) {
      throw new Error(`${o.kind} ${o.metadata.name} is cluster-scoped but carries namespace ${o.metadata.namespace}`);
    }
    // Validation finds collisions in a catalogue first; this guards programs that compose the constructs.
    const key = `${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}`;
    if (seen.has(key)) throw new Error(`cluster ${cluster}: two constructs write ${key}; give one of them another name`);
    seen.add(key);
  }
  return {
    cluster,
    clusterScoped: objects.filter((o) => isClusterScoped(o.kind)).sort(compareObjects),
    namespaced: objects.filter((o) => !isClusterScoped(o.kind)).sort(compareObjects),
  };
}
