/**
 * Debian's sshd on 127.0.0.1 serving git repositories to one public key, and nothing else: the key's
 * authorized_keys entry forces git-shell, which runs only git-upload-pack, git-receive-pack and
 * git-upload-archive. Host key, configuration, authorized keys and PID file are in the server's folder.
 *
 * sshd insists on its privilege separation folder /run/sshd, a hard-coded path; it runs in a mount namespace
 * of its own with a private tmpfs on /run, so the folder never appears on the host.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Processes, freePort, listening } from './processes';

export interface SshKeyPair {
  readonly privateKeyFile: string;
  readonly publicKey: string;
}

/** A new ed25519 key pair without passphrase, as `<dir>/<name>` and `<dir>/<name>.pub`. */
export function sshKeyPair(dir: string, name: string): SshKeyPair {
  mkdirSync(dir, { recursive: true });
  const privateKeyFile = join(dir, name);
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', name, '-f', privateKeyFile]);
  return { privateKeyFile, publicKey: readFileSync(`${privateKeyFile}.pub`, 'utf8').trim() };
}

export class SshGitServer {
  port = 0;
  /** A known_hosts file naming the server's host key (at `[127.0.0.1]:<port>`) and nothing else. */
  readonly knownHosts: string;
  private readonly processes: Processes;
  private readonly authorizedKeys: string;

  constructor(private readonly dir: string) {
    mkdirSync(dir, { recursive: true });
    this.processes = new Processes(dir);
    this.knownHosts = join(dir, 'known_hosts');
    this.authorizedKeys = join(dir, 'authorized_keys');
  }

  /** Serves the repositories on disk (ssh://root@127.0.0.1:<port>/<absolute path>) to `authorizedKey`. */
  async start(authorizedKey: string): Promise<void> {
    this.port = await freePort();
    const hostKey = sshKeyPair(this.dir, 'host_ed25519');
    writeFileSync(this.knownHosts, `[127.0.0.1]:${this.port} ${hostKey.publicKey}\n`);
    this.authorize(authorizedKey);
    const config = join(this.dir, 'sshd_config');
    writeFileSync(
      config,
      [
        `ListenAddress 127.0.0.1:${this.port}`,
        `HostKey ${hostKey.privateKeyFile}`,
        `PidFile ${join(this.dir, 'sshd.pid')}`,
        `AuthorizedKeysFile ${this.authorizedKeys}`,
        // The machine's only user; the forced git-shell is all the key can run.
        'AllowUsers root',
        'PermitRootLogin prohibit-password',
        'PubkeyAuthentication yes',
        'PasswordAuthentication no',
        'KbdInteractiveAuthentication no',
        'UsePAM no',
        // The folder is under /tmp, which is world-writable: sshd's ownership checks would refuse every key.
        'StrictModes no',
        'AllowTcpForwarding no',
        'AllowAgentForwarding no',
        'X11Forwarding no',
        'PermitTTY no',
        // No login records, no messages: nothing written outside the folder.
        'PrintMotd no',
        'PrintLastLog no',
        'LogLevel VERBOSE',
        '',
      ].join('\n'),
    );
    this.processes.launch('sshd', 'unshare', [
      '--mount',
      '--propagation',
      'private',
      '--',
      'sh',
      '-c',
      'mount -t tmpfs -o mode=0755 css-e2e-sshd /run && mkdir -m 0755 /run/sshd && exec /usr/sbin/sshd -D -e -f "$0"',
      config,
    ]);
    await this.processes.waitFor('sshd', () => listening(this.port));
  }

  /** From now on only `publicKey` may log in (and only to git-shell). */
  authorize(publicKey: string): void {
    const next = `${this.authorizedKeys}.next`;
    writeFileSync(next, `restrict,command="git-shell -c \\"$SSH_ORIGINAL_COMMAND\\"" ${publicKey}\n`, { mode: 0o600 });
    renameSync(next, this.authorizedKeys);
  }

  /** The URL of a repository on disk. */
  repositoryUrl(gitDir: string): string {
    return `ssh://root@127.0.0.1:${this.port}${gitDir}`;
  }

  /** GIT_SSH_COMMAND for a client with this key that trusts only this server's host key. */
  sshCommand(privateKeyFile: string): string {
    return `ssh -F /dev/null -i ${privateKeyFile} -o IdentitiesOnly=yes -o BatchMode=yes -o StrictHostKeyChecking=yes -o UserKnownHostsFile=${this.knownHosts} -o GlobalKnownHostsFile=/dev/null`;
  }

  get pids(): number[] {
    return this.processes.pids;
  }

  stop(): Promise<void> {
    return this.processes.stopAll();
  }
}
