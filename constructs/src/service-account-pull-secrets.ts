import { serviceAccountObject } from './core-objects';
import { Construct } from 'constructs';
import { SHARED_OBJECT_FIELDS_ANNOTATION } from './vocabulary/labels';
import { requireNames } from './name-checks';
import { refuseDuplicateObjects } from './unique-objects';

export interface ServiceAccountPullSecretsProps {
  /** Namespace of the ServiceAccount. */
  readonly namespace: string;

  /**
   * The ServiceAccount whose pods pull with these Secrets.
   * @default 'default'
   */
  readonly serviceAccountName?: string;

  /**
   * The `kubernetes.io/dockerconfigjson` Secrets of the namespace the kubelet uses to pull the images of pods
   * that run as this ServiceAccount, in the order the kubelet tries them: typically the `secretName` of
   * `DockerRegistryCredential.dockerConfigJson()` distributions the namespace receives. Every pull secret the
   * ServiceAccount needs must be listed: Kubernetes treats the list as one value, so this construct owns it
   * whole.
   */
  readonly secretNames: readonly string[];
}

/**
 * Sets `imagePullSecrets` on a ServiceAccount (docs/catalogue.md, "Pull secrets on ServiceAccounts"), so that
 * its pods pull from a private registry with a distributed credential and no pod names a Secret.
 *
 * The ServiceAccount itself is not the product's: Kubernetes creates `default` in every namespace, and tenants
 * create the others with their workloads. So the object carries the `central-secret-store.io/owns-fields:
 * imagePullSecrets` annotation, which tells deployers to server-side apply it as a patch of that one field and,
 * on removal, to give the field back rather than delete the ServiceAccount (the Pulumi stack uses
 * `ServiceAccountPatch`). The ServiceAccount controller never writes `imagePullSecrets` (and since Kubernetes
 * 1.24 no `secrets` either), so it never fights the patch.
 */
export class ServiceAccountPullSecrets extends Construct {
  readonly serviceAccountName: string;
  readonly namespace: string;
  readonly secretNames: readonly string[];

  constructor(scope: Construct, id: string, props: ServiceAccountPullSecretsProps) {
    super(scope, id);
    refuseDuplicateObjects(this);
    this.namespace = props.namespace;
    this.serviceAccountName = props.serviceAccountName ?? 'default';
    this.secretNames = props.secretNames;

    const where = `pull secrets of ServiceAccount ${this.namespace}/${this.serviceAccountName}`;
    requireNames(where, [
      ['namespace', this.namespace, 'dns1123Label'],
      ['serviceAccountName', this.serviceAccountName, 'dns1123Subdomain'],
    ]);
    if (props.secretNames.length === 0) throw new Error(`${where}: give at least one Secret name in secretNames`);
    for (const name of props.secretNames) requireNames(where, [['Secret name', name, 'dns1123Subdomain']]);
    const repeated = props.secretNames.find((name, i) => props.secretNames.indexOf(name) !== i);
    if (repeated !== undefined) throw new Error(`${where}: Secret "${repeated}" is listed twice; list each once`);

    serviceAccountObject(this, 'Resource', {
      metadata: {
        name: this.serviceAccountName,
        namespace: this.namespace,
        annotations: { [SHARED_OBJECT_FIELDS_ANNOTATION]: 'imagePullSecrets' },
      },
      imagePullSecrets: this.secretNames.map((name) => ({ name })),
    });
  }
}
