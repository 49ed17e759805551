import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A fresh folder under the test run's own temporary folder, which the run removes at its end (jest.run-folder.js). */
export function tempDir(prefix: string): string {
  return mkdtempSync(join(process.env.CSS_TEST_TMP ?? tmpdir(), prefix));
}
