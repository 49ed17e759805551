/**
 * `npm run pulumi:template`: writes the stack settings into Pulumi.yaml's `template.config` (descriptions and
 * secrecy, from the settings' schema in stacks/config.ts), leaving the rest of the file as it is.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { stackSettingsTemplate } from '../stacks/config';

const file = join(__dirname, '..', 'Pulumi.yaml');
const project = parseDocument(readFileSync(file, 'utf8'));
project.setIn(['template', 'config'], stackSettingsTemplate());
writeFileSync(file, project.toString({ lineWidth: 0 }));
console.log(`${file}: template.config lists ${Object.keys(stackSettingsTemplate()).length} stack settings`);
