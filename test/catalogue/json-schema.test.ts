import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';
import { catalogueJsonSchemas } from '../../tenants/lib/json-schema';

const ROOT = join(__dirname, '..', '..');
const schemas = catalogueJsonSchemas();

describe('exported JSON Schemas', () => {
  test.each(Object.keys(schemas))('tenants/schema/%s is up to date (run npm run schema)', (file) => {
    expect(JSON.parse(readFileSync(join(ROOT, 'tenants', 'schema', file), 'utf8'))).toEqual(schemas[file]);
  });

  test('the example YAML files validate against them, and a stray value field does not', () => {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    const tenant = ajv.compile(schemas['tenant.schema.json'] as object);
    const payments = parse(readFileSync(join(ROOT, 'tenants', 'teams', 'payments.yaml'), 'utf8'));
    expect(tenant(payments)).toBe(true);
    payments.clusters['aks-weu-prod'].namespaces[0].secrets[1].value = 'hunter2';
    expect(tenant(payments)).toBe(false);
    expect(ajv.compile(schemas['clusters.schema.json'] as object)(parse(readFileSync(join(ROOT, 'tenants', 'clusters.yaml'), 'utf8')))).toBe(true);
    expect(ajv.compile(schemas['credentials.schema.json'] as object)(parse(readFileSync(join(ROOT, 'tenants', 'credentials.yaml'), 'utf8')))).toBe(true);
  });
});
