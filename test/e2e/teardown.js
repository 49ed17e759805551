/**
 * After the end-to-end suite: the run folder goes (run-folder/teardown.js), and every process a test
 * started must already have been stopped by PID (harness/processes.ts). One still running below the test
 * process is named, killed and fails the run: a leak then shows as a red run that says what leaked, not as
 * a jest that waits for it forever. The host guard (harness/host-guard.ts) exits on its own within a second
 * of its cluster stopping, so descendants get a few seconds to go first.
 */
const { readdirSync, readFileSync } = require('node:fs');
const removeRunFolder = require('../support/run-folder/teardown');

const GRACE_MS = 3000;

/** PID, parent PID and command line of every process, from /proc. */
function processTable() {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .flatMap((pid) => {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        // The command name in parentheses may hold spaces: the parent PID is the second field after it.
        const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
        return [{ pid: Number(pid), ppid, command }];
      } catch {
        return []; // gone meanwhile
      }
    });
}

function descendants(root) {
  const table = processTable();
  const found = [];
  let parents = new Set([root]);
  while (parents.size > 0) {
    const children = table.filter((p) => parents.has(p.ppid));
    found.push(...children);
    parents = new Set(children.map((p) => p.pid));
  }
  return found;
}

module.exports = async () => {
  await removeRunFolder();
  const deadline = Date.now() + GRACE_MS;
  let left = descendants(process.pid);
  while (left.length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    left = descendants(process.pid);
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
    `processes the tests started were still running after the last suite (now killed):\n${left.map((p) => `  ${p.pid} ${p.command}`).join('\n')}`,
  );
};
