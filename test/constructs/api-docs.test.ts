/** constructs/API.md is generated from the JSDoc by typedoc; it must match the code (`npm run docs:constructs`). */
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../support/temp-dir';

test('constructs/API.md is up to date (run npm run docs:constructs)', () => {
  const constructs = join(__dirname, '..', '..', 'constructs');
  const out = tempDir('css-api-docs-');
  try {
    execFileSync(process.execPath, [join(__dirname, '..', '..', 'node_modules', 'typedoc', 'bin', 'typedoc'), '--out', out], {
      cwd: constructs,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    expect(readFileSync(join(out, 'README.md'), 'utf8')).toBe(readFileSync(join(constructs, 'API.md'), 'utf8'));
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}, 120_000);
