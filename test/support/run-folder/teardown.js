/** Removes the run's temporary folder (see setup.js). */
const { rmSync } = require('node:fs');

module.exports = async () => {
  if (process.env.CSS_TEST_TMP) rmSync(process.env.CSS_TEST_TMP, { recursive: true, force: true });
};
