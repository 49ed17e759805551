/**
 * Bare git repositories for the suite's git servers, made with git's plumbing and isolated from the
 * machine's and the user's git configuration.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/** Environment for git commands of the suite: no system or global configuration, a fixed identity. */
export function isolatedGitEnv(home: string): Record<string, string> {
  return {
    ...(process.env as Record<string, string>),
    HOME: home,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_AUTHOR_NAME: 'css-e2e',
    GIT_AUTHOR_EMAIL: 'css-e2e@localhost',
    GIT_COMMITTER_NAME: 'css-e2e',
    GIT_COMMITTER_EMAIL: 'css-e2e@localhost',
  };
}

/** Creates `<root>/<name>.git` with one commit on main holding one file; returns the commit's hash. */
export function bareRepository(root: string, name: string, file: { path: string; content: string }): string {
  const gitDir = join(root, `${name}.git`);
  const env = isolatedGitEnv(root);
  const git = (args: string[], input?: string) => execFileSync('git', args, { env, input, encoding: 'utf8' }).trim();
  git(['init', '--quiet', '--bare', '--initial-branch=main', gitDir]);
  const blob = git(['--git-dir', gitDir, 'hash-object', '-w', '--stdin'], file.content);
  const tree = git(['--git-dir', gitDir, 'mktree'], `100644 blob ${blob}\t${file.path}\n`);
  const commit = git(['--git-dir', gitDir, 'commit-tree', tree, '-m', 'initial']);
  git(['--git-dir', gitDir, 'update-ref', 'refs/heads/main', commit]);
  return commit;
}
