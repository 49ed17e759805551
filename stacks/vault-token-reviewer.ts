import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { ESO_NAMESPACE, PRODUCT_LABELS } from '../constructs/src';

const LABELS = {
  'app.kubernetes.io/managed-by': PRODUCT_LABELS['app.kubernetes.io/managed-by'],
  'app.kubernetes.io/component': 'vault-token-reviewer',
};
const NAME = 'central-secret-store-vault-reviewer';

/**
 * The identity Vault's Kubernetes auth reviews ESO's login tokens with, as plain objects (the end-to-end suite
 * applies the same ones): a ServiceAccount in ESO's namespace allowed to create TokenReviews
 * (`system:auth-delegator`, which grants TokenReviews and SubjectAccessReviews and nothing else) and a
 * long-lived token of it, which the token controller writes into the Secret.
 *
 * Why Vault needs a token of its own: ESO logs in with a token whose only audience is the role's
 * (`vault:<role>`), so that a token ESO got for one store opens no other store and not the API server either.
 * Reviewed "with itself", as Vault does when given no reviewer token, such a token is refused by the API
 * server as a bearer token, and every login fails.
 */
export function tokenReviewerObjects() {
  return {
    serviceAccount: {
      apiVersion: 'v1' as const,
      kind: 'ServiceAccount' as const,
      metadata: { name: NAME, namespace: ESO_NAMESPACE, labels: LABELS },
    },
    tokenSecret: {
      apiVersion: 'v1' as const,
      kind: 'Secret' as const,
      type: 'kubernetes.io/service-account-token',
      metadata: {
        name: `${NAME}-token`,
        namespace: ESO_NAMESPACE,
        labels: LABELS,
        annotations: { 'kubernetes.io/service-account.name': NAME },
      },
    },
    binding: {
      apiVersion: 'rbac.authorization.k8s.io/v1' as const,
      kind: 'ClusterRoleBinding' as const,
      metadata: { name: 'central-secret-store-vault-token-review', labels: LABELS },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'system:auth-delegator' },
      subjects: [{ kind: 'ServiceAccount', name: NAME, namespace: ESO_NAMESPACE }],
    },
  };
}

export interface VaultTokenReviewerArgs {
  /** Provider of the cluster. */
  readonly provider: k8s.Provider;
  /** What creates ESO's namespace, where the reviewer lives (the ESO release). */
  readonly namespaceReady: pulumi.Resource;
}

/**
 * The token reviewer of {@link tokenReviewerObjects} on a cluster, and its token as a secret Output (the
 * Kubernetes provider waits until the token controller has filled the Secret). Replacing the Secret
 * (`pulumi up --replace` on it) issues a new token, which Vault is then given.
 */
export class VaultTokenReviewer extends pulumi.ComponentResource {
  /** The reviewer's token, for Vault's `token_reviewer_jwt`. */
  readonly token: pulumi.Output<string>;
  /** Everything Vault needs before logins can be reviewed. */
  readonly ready: pulumi.Resource[];

  constructor(name: string, args: VaultTokenReviewerArgs, opts?: pulumi.ComponentResourceOptions) {
    super('central-secret-store:vault:VaultTokenReviewer', name, {}, opts);
    const objects = tokenReviewerObjects();
    const k8sOpts = { parent: this, provider: args.provider };
    const serviceAccount = new k8s.core.v1.ServiceAccount(`${name}-account`, objects.serviceAccount, {
      ...k8sOpts,
      dependsOn: [args.namespaceReady],
    });
    const secret = new k8s.core.v1.Secret(`${name}-token`, objects.tokenSecret, { ...k8sOpts, dependsOn: [serviceAccount] });
    const binding = new k8s.rbac.v1.ClusterRoleBinding(`${name}-binding`, objects.binding, { ...k8sOpts, dependsOn: [serviceAccount] });
    this.token = pulumi.secret(
      secret.data.apply((data) => {
        // An empty reviewer token would make Vault review each login with the login's own token: refuse it.
        if (!data?.token) throw new Error(`Secret ${ESO_NAMESPACE}/${NAME}-token holds no token: is the token controller running?`);
        return Buffer.from(data.token, 'base64').toString('utf8');
      }),
    );
    this.ready = [secret, binding];
    this.registerOutputs({});
  }
}
