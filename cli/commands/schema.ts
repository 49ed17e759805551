/**
 * `central-secret-store schema`: writes the catalogue's JSON Schemas, so editors (the YAML language server,
 * VS Code) check and complete tenant files. A test fails when the committed files in tenants/schema are stale.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { catalogueJsonSchemas } from '../../tenants/lib/json-schema';
import { jsonOption, outOption } from '../support/options';

export function schemaCommand(): Command {
  return new Command('schema')
    .description("Write the catalogue's JSON Schemas for editors")
    .addOption(outOption('folder for the *.schema.json files', join(__dirname, '..', '..', 'tenants', 'schema')))
    .addOption(jsonOption())
    .action((options: { out: string; json: boolean }) => {
      mkdirSync(options.out, { recursive: true });
      const written = Object.entries(catalogueJsonSchemas()).map(([file, schema]) => {
        writeFileSync(join(options.out, file), `${JSON.stringify(schema, null, 2)}\n`);
        return join(options.out, file);
      });
      console.log(options.json ? JSON.stringify({ written }, null, 2) : written.map((f) => `wrote ${f}`).join('\n'));
    });
}
