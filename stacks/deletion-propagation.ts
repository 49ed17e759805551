import type { KubeObject } from '../plane';

/** The annotation by which pulumi-kubernetes (4.12+) takes the propagation policy of an object's deletion. */
export const DELETION_PROPAGATION_ANNOTATION = 'pulumi.com/deletionPropagationPolicy';

/**
 * Kinds deleted in the background. Pulumi deletes with foreground propagation by default: the object stays,
 * with a `foregroundDeletion` finalizer, until the garbage collector has deleted all it owns and has removed
 * that finalizer. ESO's objects own what ESO writes (an ExternalSecret its Secret, a ClusterExternalSecret an
 * ExternalSecret in every selected namespace), and ESO cleans those up itself through its own finalizers, so
 * a `pulumi destroy` need not also wait on the garbage collector across every tenant namespace, where any
 * admission webhook or policy refusing its metadata update would stall it. Pulumi still waits for each object
 * to be gone, so ESO's finalizers run while ESO is installed.
 */
const BACKGROUND_KINDS = new Set(['ExternalSecret', 'ClusterExternalSecret']);

/** The object as Pulumi should apply it, with the deletion policy of its kind. */
export function withDeletionPropagation(object: KubeObject): KubeObject {
  if (!BACKGROUND_KINDS.has(object.kind)) return object;
  const metadata = object.metadata as KubeObject['metadata'] & { annotations?: Record<string, string> };
  return {
    ...object,
    metadata: { ...metadata, annotations: { ...metadata.annotations, [DELETION_PROPAGATION_ANNOTATION]: 'background' } },
  };
}
