/**
 * The catalogue's public module, imported by TypeScript tenants as `central-secret-store/catalogue`
 * (CATALOGUE_MODULE) from any folder: the tenant loader resolves that name to this file of the product that
 * loads the catalogue, and the package's `exports` name it for editors where the product is installed.
 */
import type { TenantInput } from './schema';

export type { FormatInput, ImagePullSecret, Owner, OwnSecret, Tenant, TenantInput, TenantNamespace } from './schema';

/** The name TypeScript tenants import defineTenant and the catalogue's types by. */
export const CATALOGUE_MODULE = 'central-secret-store/catalogue';

/**
 * Declares a tenant in TypeScript with editor completion and type checking. The loader validates the result
 * with the same schema as YAML tenants, so both forms obey the same rules.
 *
 * @example
 * export default defineTenant({ name: 'search', owners: [{ kind: 'Group', name: 'search-admins' }], clusters: {} });
 */
export function defineTenant(tenant: TenantInput): TenantInput {
  return tenant;
}
