import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';
import { catalogueJsonSchemas } from '../../tenants/lib/json-schema';
import { FIXTURE_CATALOGUE_DIR } from '../support/fixture-catalogue';

const ROOT = join(__dirname, '..', '..');
const schemas = catalogueJsonSchemas();

describe('exported JSON Schemas', () => {
  test.each(Object.keys(schemas))('tenants/schema/%s is up to date (run npm run schema)', (file) => {
    expect(JSON.parse(readFileSync(join(ROOT, 'tenants', 'schema', file), 'utf8'))).toEqual(schemas[file]);
  });

  // The repository's own catalogue (tenants/, which its users edit) and the tests' fixture: every YAML file
  // validates against the schema an editor gives it. Nothing here depends on what the files say.
  test.each([
    ['the example catalogue', join(ROOT, 'tenants')],
    ['the fixture catalogue', FIXTURE_CATALOGUE_DIR],
  ])('the YAML files of %s validate against them', (_, dir) => {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    const check = (schema: string, file: string) =>
      expect([file, ajv.compile(schemas[schema] as object)(parse(readFileSync(file, 'utf8'))), ajv.errors]).toEqual([file, true, null]);
    check('clusters.schema.json', join(dir, 'clusters.yaml'));
    check('credentials.schema.json', join(dir, 'credentials.yaml'));
    const tenants = readdirSync(join(dir, 'teams')).filter((f) => /\.ya?ml$/.test(f));
    expect(tenants.length).toBeGreaterThan(0);
    for (const file of tenants) check('tenant.schema.json', join(dir, 'teams', file));
  });

  test('a stray value field does not validate', () => {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    const tenant = ajv.compile(schemas['tenant.schema.json'] as object);
    const payments = parse(readFileSync(join(FIXTURE_CATALOGUE_DIR, 'teams', 'payments.yaml'), 'utf8'));
    expect(tenant(payments)).toBe(true);
    payments.clusters['aks-weu-prod'].namespaces[0].secrets[1].value = 'hunter2';
    expect(tenant(payments)).toBe(false);
  });
});
