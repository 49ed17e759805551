/**
 * Validity windows of tenants' own secrets (notBefore / expires, docs/catalogue.md, "Tenants' own secrets"),
 * checked against a clock. Kept
 * apart from the catalogue rules because the answer changes with time: the synth and the stacks call it
 * with the current time, tests with a fixed one.
 */
import { type Catalogue, lineAt } from './catalogue';
import { type CatalogueIssue, formatPath } from './errors';
import { type DeclaredOwnSecret, ownSecretsOf } from './resolve';
import { quoted } from './secret-like';

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

/** An own secret that has expired or expires soon, with where it is delivered and declared. */
export interface ExpiringSecret extends DeclaredOwnSecret {
  readonly expires: string;
  /** Whole days from now to expiry, rounded up; 0 or less once it has expired. */
  readonly daysLeft: number;
  readonly expired: boolean;
}

const DAY_MS = 86_400_000;

/** Own secrets that have expired or expire within `withinDays` of `now`, in the catalogue's order. */
export function expiringSecrets(catalogue: Catalogue, now: Date, withinDays: number): ExpiringSecret[] {
  return ownSecretsOf(catalogue).flatMap((declared) => {
    const { expires } = declared.secret;
    if (!expires) return [];
    const left = Date.parse(expires) - now.getTime();
    // An expired secret is always listed, whatever the window.
    if (left > 0 && left > withinDays * DAY_MS) return [];
    return [{ ...declared, expires, daysLeft: Math.ceil(left / DAY_MS), expired: left <= 0 }];
  });
}

export function validityReport(catalogue: Catalogue, options: ValidityOptions): ValidityReport {
  const errors: CatalogueIssue[] = [];
  const warnings: CatalogueIssue[] = [];
  for (const { file, path, secret, expires, daysLeft, expired } of expiringSecrets(catalogue, options.now, options.warnWithinDays)) {
    const issue = (message: string) => ({
      file,
      path: formatPath([...path, 'expires']),
      line: lineAt(catalogue.sources, file, [...path, 'expires']),
      message,
    });
    if (expired) {
      errors.push(
        issue(
          `secret ${quoted(secret.name)} expired on ${expires}; rotate it in its vault (Key Vault or HashiCorp Vault) and move expires, or remove it`,
        ),
      );
    } else {
      warnings.push(issue(`secret ${quoted(secret.name)} expires on ${expires}, in ${daysLeft} days`));
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
