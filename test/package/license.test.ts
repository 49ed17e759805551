/** The product and its construct package are Apache-2.0, and both carry the license's full text. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const read = (...path: string[]) => readFileSync(join(ROOT, ...path), 'utf8');

describe('license', () => {
  test('LICENSE is the Apache License 2.0, as both package.json files say', () => {
    const license = read('LICENSE');
    expect(license).toMatch(/^\s*Apache License\n\s*Version 2\.0, January 2004\n/);
    expect(license).toContain('TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION');
    expect(license).toContain('END OF TERMS AND CONDITIONS');
    expect(JSON.parse(read('package.json')).license).toBe('Apache-2.0');
    expect(JSON.parse(read('constructs', 'package.json')).license).toBe('Apache-2.0');
  });

  test('the constructs package ships the same text (npm packs the package folder, not the repository root)', () => {
    expect(read('constructs', 'LICENSE')).toBe(read('LICENSE'));
    expect(JSON.parse(read('constructs', 'package.json')).files).toContain('LICENSE');
  });

  test('SECURITY.md and CONTRIBUTING.md exist and say what they are for', () => {
    expect(read('SECURITY.md')).toMatch(/report a vulnerability/i);
    expect(read('CONTRIBUTING.md')).toContain('npm run test:e2e');
  });
});
