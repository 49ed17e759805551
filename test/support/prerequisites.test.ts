/** The check `npm test` runs first (run-folder/prerequisites.js) names each missing program with what to do. */
import { join } from 'node:path';

const { missingPrerequisites } = require('./run-folder/prerequisites') as { missingPrerequisites: (env: NodeJS.ProcessEnv) => string[] };

test('on this machine nothing is missing', () => {
  expect(missingPrerequisites(process.env)).toEqual([]);
});

test('each missing program is named with what to install', () => {
  const nowhere = join(__dirname, 'no-such-file');
  const missing = missingPrerequisites({ ...process.env, CSS_PROMTOOL: nowhere, CSS_CHROMIUM: nowhere, CSS_ESO_CRDS: nowhere });
  expect(missing).toEqual([
    `promtool (${nowhere}): apt-get install prometheus, or set CSS_PROMTOOL`,
    `Chromium (${nowhere}): apt-get install chromium, or set CSS_CHROMIUM`,
    `ESO's CRDs (${nowhere}): put ESO 2.9.0's CRDs there, or set CSS_ESO_CRDS`,
  ]);
});
