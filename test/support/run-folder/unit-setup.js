/**
 * Before the first unit test: the prerequisites of `npm test` checked (prerequisites.js), so that a fresh
 * machine hears at once what to install, then the run folder (setup.js).
 */
const { missingPrerequisites } = require('./prerequisites');
const setup = require('./setup');

module.exports = async () => {
  const missing = missingPrerequisites();
  if (missing.length > 0)
    throw new Error(`npm test needs, and this machine lacks:\n  - ${missing.join('\n  - ')}\n(bash .ci/run installs them all)`);
  await setup();
  // The command line prints GitHub annotations when GITHUB_ACTIONS=true (as in the pull-request workflow's
  // test job); the tests that spawn it expect its ordinary output unless they ask for annotations.
  delete process.env.GITHUB_ACTIONS;
};
