/**
 * Validity windows of tenants' own secrets (seed 000 notBefore / expires), checked against a clock. Kept
 * apart from the catalogue rules because the answer changes with time: the synth and the stacks call it
 * with the current time, tests with a fixed one.
 */
import { type Catalogue, lineAt } from './catalogue';
import { type CatalogueIssue, formatPath } from './errors';
import { ownSecretsOf } from './resolve';

export interface ValidityOptions {
  /** The time to check against. */
  readonly now: Date;
  /** Warn about secrets that expire within this many days. */
  readonly warnWithinDays: number;
}

export interface ValidityReport {
  /** Expired secrets: nothing may be synthesized while one is in the catalogue. */
  readonly errors: CatalogueIssue[];
  /** Secrets that expire soon. */
  readonly warnings: CatalogueIssue[];
}

const DAY_MS = 86_400_000;

export function validityReport(catalogue: Catalogue, options: ValidityOptions): ValidityReport {
  const errors: CatalogueIssue[] = [];
  const warnings: CatalogueIssue[] = [];
  const now = options.now.getTime();
  for (const { file, path, secret } of ownSecretsOf(catalogue)) {
    if (!secret.expires) continue;
    const expires = Date.parse(secret.expires);
    const issue = (message: string) => ({ file, path: formatPath([...path, 'expires']), line: lineAt(catalogue.sources, file, [...path, 'expires']), message });
    if (expires <= now) {
      errors.push(issue(`secret "${secret.name}" expired on ${secret.expires}; rotate it in its vault (Key Vault or HashiCorp Vault) and move expires, or remove it`));
    } else if (expires - now <= options.warnWithinDays * DAY_MS) {
      warnings.push(issue(`secret "${secret.name}" expires on ${secret.expires}, in ${Math.ceil((expires - now) / DAY_MS)} days`));
    }
  }
  return { errors, warnings };
}

/** The validity window the catalogue declares for a Key Vault secret, if a tenant secret reads it. */
export function validityOfVaultSecret(catalogue: Catalogue, vaultSecretName: string): { notBefore?: string; expires?: string } | undefined {
  for (const { secret } of ownSecretsOf(catalogue)) {
    if (Object.values(secret.keyVault ?? {}).includes(vaultSecretName)) return { notBefore: secret.notBefore, expires: secret.expires };
  }
  return undefined;
}
