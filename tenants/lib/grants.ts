/**
 * The grants of the access model: who gets which secret, where, each as plain data with an identity
 * (`grantKey`), so that a security reviewer's question about a change ("who gains or loses what?") is the
 * difference of two sets. The objects of a cluster plan carry them (cluster-plan.ts); access.ts collects them.
 */
import type { Destination, DestinationKind } from './resolve';
import type { Backend } from './vault-locations';

/** A namespace receives a shared credential in one format (a ClusterExternalSecret selects it). */
export interface DeliveryGrant {
  readonly kind: 'delivery';
  readonly cluster: string;
  readonly tenant: string;
  readonly namespace: string;
  readonly credential: string;
  /** The format's id (its name, or its type when it has none). */
  readonly format: string;
}

/** A tenant may request a credential (`allowedTenants`), on every cluster. */
export interface AllowedTenantGrant {
  readonly kind: 'allowed-tenant';
  readonly credential: string;
  readonly tenant: string;
}

/** A cluster pulls a vault secret into one key of a credential's master, in its central namespace. */
export interface MasterGrant {
  readonly kind: 'master';
  readonly cluster: string;
  readonly backend: Backend;
  /** The vault read: the cluster's environment's, so moving a cluster to another environment is a new grant. */
  readonly vault: string;
  readonly credential: string;
  readonly key: string;
  /** Where in the vault (see vault-locations.ts). */
  readonly vaultSecret: string;
}

/** A credential's store on a cluster admits the namespaces of a tenant (its `conditions`). */
export interface CredentialStoreGrant {
  readonly kind: 'credential-store';
  readonly cluster: string;
  readonly store: string;
  readonly credential: string;
  readonly tenant: string;
}

/** A tenant's own store on a cluster admits one of the tenant's namespaces, by name. */
export interface TenantStoreGrant {
  readonly kind: 'tenant-store';
  readonly cluster: string;
  readonly store: string;
  readonly tenant: string;
  readonly namespace: string;
}

/** A namespace receives one of its tenant's own secrets, read from the tenant's vault space. */
export interface OwnSecretGrant {
  readonly kind: 'own-secret';
  readonly cluster: string;
  readonly tenant: string;
  readonly namespace: string;
  readonly secret: string;
  /** Delivered to every namespace of the tenant on the cluster (`globalSecrets`). */
  readonly global: boolean;
  readonly backend: Backend;
  /** The vault read: the cluster's environment's. */
  readonly vault: string;
  /** The vault secrets it reads, sorted: pointing a secret at another vault secret is a new grant. */
  readonly vaultSecrets: readonly string[];
  /**
   * The only ServiceAccount that may read the Secret (workload secrets, through a Role with `resourceNames`);
   * null when whoever may read Secrets in the namespace may read it.
   */
  readonly serviceAccount: string | null;
}

/** The pods of a ServiceAccount pull images with a credential a namespace receives (`imagePullSecrets`). */
export interface PullSecretGrant {
  readonly kind: 'pull-secret';
  readonly cluster: string;
  readonly tenant: string;
  readonly namespace: string;
  readonly serviceAccount: string;
  readonly credential: string;
  /** The dockerconfigjson format's id. */
  readonly format: string;
}

/** An identity deploys the platform on a cluster: it alone may set tenant and request labels. */
export interface DeployerGrant {
  readonly kind: 'deployer';
  readonly cluster: string;
  readonly identity: 'User' | 'Group';
  readonly name: string;
}

/** An owner of a tenant sees the ExternalSecrets of one of its namespaces (the owner role, bound there). */
export interface OwnerGrant {
  readonly kind: 'owner';
  readonly cluster: string;
  readonly tenant: string;
  readonly namespace: string;
  readonly identity: 'User' | 'Group';
  readonly name: string;
}

/**
 * A credential delivered on a cluster, in one format, may be sent to a destination its consumer reads from the
 * Secret: a registry host, an Argo CD or Kargo repository URL, an OAuth endpoint (see destinationsOf). Pointing
 * a format at another destination, or a wider one, hands the credential to someone else.
 */
export interface DestinationGrant extends Destination {
  readonly kind: 'destination';
  readonly cluster: string;
  readonly credential: string;
  /** The format's id. */
  readonly format: string;
}

/**
 * ESO on a cluster takes a server for its environment's HashiCorp Vault when the server's certificate chains to
 * this authority, and sends it its logins (a ServiceAccount token) and reads: the address and every trusted
 * authority decide where they go.
 */
export interface VaultTrustGrant {
  readonly kind: 'vault-trust';
  readonly cluster: string;
  /** The Vault server's address. */
  readonly vault: string;
  /** A certificate authority of the CA bundle (subject and SHA-256 fingerprint), or null for the system roots. */
  readonly authority: string | null;
}

export type Grant =
  | DeliveryGrant
  | PullSecretGrant
  | AllowedTenantGrant
  | MasterGrant
  | CredentialStoreGrant
  | TenantStoreGrant
  | OwnSecretGrant
  | DeployerGrant
  | OwnerGrant
  | DestinationGrant
  | VaultTrustGrant;
export type GrantKind = Grant['kind'];
export type { DestinationKind };

/** The kinds in the order a reviewer reads them: what namespaces receive first, where secrets go, the plumbing after. */
export const GRANT_KINDS: readonly GrantKind[] = [
  'delivery',
  'pull-secret',
  'own-secret',
  'allowed-tenant',
  'destination',
  'credential-store',
  'tenant-store',
  'master',
  'vault-trust',
  'owner',
  'deployer',
];

const keys = new WeakMap<Grant, string>();

/**
 * The identity of a grant: equal grants have equal keys, whatever order their fields were written in. Kept
 * per grant object (grants are read-only), as sorting and diffing hundreds of thousands of grants asks for
 * each key several times.
 */
export function grantKey(grant: Grant): string {
  let key = keys.get(grant);
  if (key === undefined) {
    const record = grant as unknown as Readonly<Record<string, unknown>>;
    key = JSON.stringify(
      Object.keys(record)
        .sort()
        .map((field) => [field, record[field]]),
    );
    keys.set(grant, key);
  }
  return key;
}

/** The fields grants are ordered by, most significant first: rows of one namespace or credential stay together. */
const ORDER_FIELDS = [
  'namespace',
  'credential',
  'tenant',
  'format',
  'secret',
  'serviceAccount',
  'key',
  'via',
  'url',
  'authority',
  'identity',
  'name',
] as const;

/**
 * A text that orders grants: catalogue-wide first, then by cluster, kind and ORDER_FIELDS, then identity.
 * The parts are joined by NUL, which no name contains and which sorts before every other character, so
 * comparing the texts compares the parts in turn. Computed once per grant, as sorting thousands of grants
 * by comparing fields each time is slow.
 */
export function grantOrder(grant: Grant): string {
  const record = grant as unknown as Readonly<Record<string, unknown>>;
  const kind = String(GRANT_KINDS.indexOf(grant.kind)).padStart(2, '0');
  return ['cluster' in grant ? grant.cluster : '', kind, ...ORDER_FIELDS.map((f) => String(record[f] ?? '')), grantKey(grant)].join('\0');
}

/** The grants in grantOrder, so that everything derived from them is stable. */
export function sortGrants(grants: readonly Grant[]): Grant[] {
  return grants
    .map((grant) => ({ grant, order: grantOrder(grant) }))
    .sort((a, b) => (a.order < b.order ? -1 : a.order > b.order ? 1 : 0))
    .map(({ grant }) => grant);
}
