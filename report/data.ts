/**
 * The data the access report page embeds: who has what, by name only. It is the access model of a validated
 * catalogue (tenants/lib/access.ts), grouped for reading; the catalogue holds no secret value, and neither
 * does this. Shared by the page's script (report/page.ts) and the code that builds it (cli/review/report-data.ts).
 */

export interface ReportData {
  /** The catalogue folder the report was built from. */
  readonly catalogue: string;
  /** When the report was generated (ISO 8601, UTC). */
  readonly generatedAt: string;
  /** The commit of the catalogue's git repository, or null when the catalogue is not in one. */
  readonly commit: string | null;
  /** Whether the catalogue folder had changes that are not committed. */
  readonly uncommittedChanges: boolean;
  readonly clusters: readonly ReportCluster[];
  readonly credentials: readonly ReportCredential[];
  readonly tenants: readonly ReportTenant[];
  /** Every tenant namespace on every cluster, by tenant, cluster and name. */
  readonly namespaces: readonly ReportNamespace[];
}

export interface ReportCluster {
  readonly name: string;
  readonly environment: string;
  readonly kind: string;
}

export interface ReportCredential {
  readonly name: string;
  readonly kind: string;
  readonly description: string;
  readonly allowedTenants: readonly string[];
  readonly formats: readonly string[];
}

export interface ReportTenant {
  readonly name: string;
  readonly description: string;
  /** "Group payments-admins", "User oncall@contoso.example". */
  readonly owners: readonly string[];
}

export interface ReportNamespace {
  readonly cluster: string;
  readonly tenant: string;
  readonly name: string;
  /** The shared credentials the namespace receives, by name, each with its formats. */
  readonly credentials: readonly ReportDelivery[];
  readonly ownSecrets: readonly ReportOwnSecret[];
}

export interface ReportDelivery {
  readonly credential: string;
  readonly formats: readonly string[];
  /** The ServiceAccounts whose pods pull images with it (`imagePullSecrets`). */
  readonly pullSecretOf: readonly string[];
}

export interface ReportOwnSecret {
  readonly name: string;
  /** Delivered to every namespace of the tenant on the cluster. */
  readonly global: boolean;
  /** The only ServiceAccount that may read it; null: whoever may read Secrets in the namespace. */
  readonly serviceAccount: string | null;
  /** The backend of the cluster's environment: Azure Key Vault or HashiCorp Vault. */
  readonly backend: 'keyVault' | 'vault';
  /** What it reads there: Key Vault secret names, or Vault paths as `<space>/<path>#<field>`. */
  readonly vaultSecrets: readonly string[];
}
