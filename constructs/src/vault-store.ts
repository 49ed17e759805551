import { Construct } from 'constructs';
import {
  ClusterSecretStore,
  ClusterSecretStoreSpecProviderVaultVersion,
  ClusterSecretStoreSpecRefreshInterval,
  type ClusterSecretStoreSpecConditions,
} from './imports/external-secrets.io';
import { PRODUCT_LABELS } from './vocabulary/labels';
import { nameProblems } from './name-checks';
import { type ISecretStore, clusterSecretStoreNamed, storeRefreshSeconds } from './secret-store';
import { refuseDuplicateObjects } from './unique-objects';

/**
 * Kubernetes auth: ESO requests a token of a ServiceAccount for `audiences` and exchanges it for a Vault token
 * of `role`. Bind the role to that ServiceAccount and that audience only.
 */
export interface VaultKubernetesAuth {
  /** Path of the Kubernetes auth mount, without `auth/`, e.g. `kubernetes`. */
  readonly mountPath: string;

  /** The Vault role to assume. Give each store a role of its own, whose policies read only that store's space. */
  readonly role: string;

  /**
   * Audiences of the ServiceAccount token ESO requests. The role requires one of them, so a token ESO got for
   * another store's role is refused.
   */
  readonly audiences: string[];

  /**
   * ServiceAccount whose token ESO presents.
   * @default { name: 'external-secrets', namespace: 'external-secrets' }, ESO's own
   */
  readonly serviceAccount?: { readonly name: string; readonly namespace: string };

  /**
   * Vault Enterprise namespace of the auth mount.
   * @default - the store's `namespace`
   */
  readonly namespace?: string;
}

export interface VaultStoreProps {
  /** Name of the ClusterSecretStore. */
  readonly name: string;

  /** Address of the Vault server, e.g. `https://vault.contoso.example:8200`. */
  readonly server: string;

  /**
   * The KV v2 mount the store reads. ExternalSecrets name paths relative to it, so the store (with its
   * role's policy) fixes the space they can reach.
   */
  readonly mountPath: string;

  /**
   * Vault Enterprise namespace of the mount.
   * @default - the root namespace
   */
  readonly namespace?: string;

  /**
   * PEM of the CA certificate(s) that sign the server's certificate; written base64-encoded, as ESO takes it.
   * @default - the system roots
   */
  readonly caBundle?: string;

  /**
   * Namespaces allowed to use the store. Keep this narrow: whoever can use the store can read whatever its
   * role can read.
   */
  readonly conditions: ClusterSecretStoreSpecConditions[];

  /** How ESO logs in. */
  readonly auth: VaultKubernetesAuth;

  /**
   * How often ESO re-validates the store: a Go duration of whole seconds.
   * @default '5m0s'
   */
  readonly storeRefreshInterval?: string;
}

/** The platform's base64 encoder (Node 16+, browsers); the library declares no Node types of its own. */
declare function btoa(data: string): string;

const PATH = /^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$/;
const ROLE = /^[A-Za-z0-9_.-]+$/;

/**
 * A HashiCorp Vault ClusterSecretStore (provider vault, KV v2) that logs in with Kubernetes auth. Use it only
 * from namespaces named in `conditions`.
 */
export class VaultStore extends Construct implements ISecretStore {
  /** A Vault store that exists already, e.g. the platform's `vault` or a tenant's `tenant-<name>`. */
  static fromStoreName(storeName: string): ISecretStore {
    return clusterSecretStoreNamed(storeName);
  }

  readonly storeName: string;
  readonly storeKind = 'ClusterSecretStore';

  constructor(scope: Construct, id: string, props: VaultStoreProps) {
    super(scope, id);
    refuseDuplicateObjects(this);
    const problems = vaultStoreProblems(props);
    if (problems.length > 0) throw new Error(`VaultStore ${props.name}: ${problems.join('; ')}`);
    this.storeName = props.name;
    const { auth } = props;

    new ClusterSecretStore(this, 'Resource', {
      metadata: { name: props.name, labels: { ...PRODUCT_LABELS, 'app.kubernetes.io/component': 'vault-store' } },
      spec: {
        refreshInterval: ClusterSecretStoreSpecRefreshInterval.fromNumber(
          storeRefreshSeconds(`VaultStore ${props.name}`, props.storeRefreshInterval),
        ),
        conditions: props.conditions,
        provider: {
          vault: {
            server: props.server,
            path: props.mountPath,
            // The CRD's default, written out so that what is applied is what the API server stores.
            version: ClusterSecretStoreSpecProviderVaultVersion.V2,
            ...(props.namespace === undefined ? {} : { namespace: props.namespace }),
            ...(props.caBundle === undefined ? {} : { caBundle: btoa(props.caBundle) }),
            auth: {
              ...(auth.namespace === undefined ? {} : { namespace: auth.namespace }),
              kubernetes: {
                mountPath: auth.mountPath,
                role: auth.role,
                serviceAccountRef: {
                  ...(auth.serviceAccount ?? { name: 'external-secrets', namespace: 'external-secrets' }),
                  audiences: [...auth.audiences],
                },
              },
            },
          },
        },
      },
    });
  }
}

function vaultStoreProblems(props: VaultStoreProps): string[] {
  const { auth } = props;
  const problems = nameProblems([
    ['name', props.name, 'dns1123Subdomain'],
    ['auth.serviceAccount.name', auth.serviceAccount?.name, 'dns1123Subdomain'],
    ['auth.serviceAccount.namespace', auth.serviceAccount?.namespace, 'dns1123Label'],
  ]);
  if (props.conditions.length === 0) problems.push('conditions must name the namespaces that may read through the store');
  if (!/^https:\/\/[^/?#\s]+\/?$/.test(props.server)) {
    problems.push(
      `server must look like https://vault.example.com:8200 (https: ESO sends a ServiceAccount token to log in), got "${props.server}"`,
    );
  }
  if (!PATH.test(props.mountPath))
    problems.push(`mountPath must be a mount path such as secret or css/shared, without leading or trailing "/", got "${props.mountPath}"`);
  for (const [field, value] of [
    ['namespace', props.namespace],
    ['auth.namespace', auth.namespace],
  ] as const) {
    if (value !== undefined && !PATH.test(value))
      problems.push(`${field} must be a Vault namespace path such as admin/team, got "${value}"`);
  }
  if (!PATH.test(auth.mountPath))
    problems.push(
      `auth.mountPath must be the path of a Kubernetes auth mount without "auth/", such as kubernetes, got "${auth.mountPath}"`,
    );
  if (!ROLE.test(auth.role)) problems.push(`auth.role must be a Vault role name (letters, digits, "_", "." and "-"), got "${auth.role}"`);
  if (auth.audiences.length === 0 || auth.audiences.some((a) => a.trim() === '')) {
    problems.push('auth.audiences must name at least one audience, which the role requires, so the token fits this role only');
  }
  if (props.caBundle !== undefined) {
    if (!props.caBundle.includes('-----BEGIN CERTIFICATE-----'))
      problems.push('caBundle must be PEM text holding -----BEGIN CERTIFICATE----- blocks');
    if (/PRIVATE KEY-----/.test(props.caBundle)) problems.push('caBundle holds a private key; a CA bundle holds certificates only');
    if (/[^\x00-\x7f]/.test(props.caBundle)) problems.push('caBundle must be PEM text, which is ASCII');
  }
  return problems;
}
