/**
 * What `npm test` needs besides Node and npm, checked before the first test so that a fresh machine hears at
 * once what to install, rather than in a test's failure minutes later (README, beside the test command).
 */
const { spawnSync } = require('node:child_process');
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const ROOT = join(__dirname, '..', '..', '..');

/** Each missing prerequisite with what to do about it. */
function missingPrerequisites(env = process.env) {
  const runs = (command, args) => {
    const result = spawnSync(command, args, { stdio: 'ignore' });
    return !result.error && result.status === 0;
  };
  const missing = [];
  if (!runs('go', ['version']))
    missing.push(
      "Go 1.25 or newer (go on the PATH, with the Go module proxy): the tests build ESO's template renderer and Prometheus's relabelling once",
    );
  const promtool = env.CSS_PROMTOOL ?? 'promtool';
  if (!runs(promtool, ['--version'])) missing.push(`promtool (${promtool}): apt-get install prometheus, or set CSS_PROMTOOL`);
  const chromium = env.CSS_CHROMIUM ?? '/usr/bin/chromium';
  if (!existsSync(chromium)) missing.push(`Chromium (${chromium}): apt-get install chromium, or set CSS_CHROMIUM`);
  if (!existsSync('/usr/bin/pdftotext')) missing.push('pdftotext (/usr/bin/pdftotext): apt-get install poppler-utils');
  const crds = env.CSS_ESO_CRDS ?? join(ROOT, '..', 'shared', 'schemas', 'external-secrets');
  if (!existsSync(crds)) missing.push(`ESO's CRDs (${crds}): put ESO 2.9.0's CRDs there, or set CSS_ESO_CRDS`);
  return missing;
}

module.exports = { missingPrerequisites };
