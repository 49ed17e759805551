import { z } from 'zod';
import { clustersFileSchema, credentialsFileSchema, tenantSchema } from './schema';

/**
 * The catalogue schemas as JSON Schema (draft 2020-12), one per file kind. Name rules written as refinements
 * (DNS-1123, label keys) are checked by the loader only; the JSON Schemas carry the structure, the enums and
 * the field descriptions editors show.
 */
export function catalogueJsonSchemas(): Record<string, unknown> {
  const toJson = (schema: z.ZodType, title: string) => ({ title, ...z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) });
  return {
    'clusters.schema.json': toJson(clustersFileSchema, 'Central Secret Store: clusters.yaml'),
    'credentials.schema.json': toJson(credentialsFileSchema, 'Central Secret Store: credentials.yaml'),
    'tenant.schema.json': toJson(tenantSchema, 'Central Secret Store: a tenant (teams/<tenant>.yaml)'),
  };
}
