import type { TenantInput } from './schema';

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
