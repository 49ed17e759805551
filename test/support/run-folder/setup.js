/**
 * One temporary folder per test run for every folder the tests make (test/support/temp-dir.ts), removed by
 * teardown.js after the last test, so a run leaves nothing behind in /tmp.
 */
const { mkdtempSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

module.exports = async () => {
  process.env.CSS_TEST_TMP = mkdtempSync(join(tmpdir(), 'css-test-run-'));
};
