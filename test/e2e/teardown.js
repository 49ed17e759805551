/**
 * After the end-to-end suite: the run folder goes (run-folder/teardown.js), and every process a test
 * started must already have been stopped by PID (harness/processes.ts). One still running below the test
 * process is named, killed and fails the run: a leak then shows as a red run that says what leaked, not as
 * a jest that waits for it forever. The host guard (harness/host-guard.ts) exits on its own within a second
 * of its cluster stopping, so descendants get a few seconds to go first.
 */
const removeRunFolder = require('../support/run-folder/teardown');
// TypeScript: jest compiles what its global hooks require, as it does the tests.
const { descendantsOf } = require('../support/process-tree');

const GRACE_MS = 3000;

module.exports = async () => {
  await removeRunFolder();
  const deadline = Date.now() + GRACE_MS;
  let left = descendantsOf(process.pid);
  while (left.length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    left = descendantsOf(process.pid);
  }
  if (left.length === 0) return;
  for (const { pid } of left) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone meanwhile
    }
  }
  throw new Error(
    `processes the tests started were still running after the last suite (now killed):\n${left.map((p) => `  ${p.pid} ${p.cmdline.split('\0').join(' ').trim()}`).join('\n')}`,
  );
};
