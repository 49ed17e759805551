/**
 * npm run schema: writes the catalogue's JSON Schemas to tenants/schema/, so editors (the YAML language
 * server, VS Code) check and complete tenant files. A test fails when the committed files are out of date.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { catalogueJsonSchemas } from '../tenants/lib/json-schema';

const dir = join(__dirname, '..', 'tenants', 'schema');
mkdirSync(dir, { recursive: true });
for (const [file, schema] of Object.entries(catalogueJsonSchemas())) {
  writeFileSync(join(dir, file), `${JSON.stringify(schema, null, 2)}\n`);
  console.log(`wrote tenants/schema/${file}`);
}
