/**
 * A server of Vault's API in dev mode (in memory, unsealed, one root token) on 127.0.0.1: OpenBao by default,
 * HashiCorp Vault with CSS_VAULT_SERVER=vault (vault-flavour.ts), from test/toolchain/build.sh; `root` is a
 * client (vault-client.ts) holding its root token. With `tls`, the server serves https with a certificate for
 * 127.0.0.1 from a CA dev mode generates (`caPem`), as ESO's vault provider requires. With `auditLog`, a file
 * audit device writes every request and response there from the start.
 *
 * The root token is generated per run and reaches the server through its environment (not its command line,
 * which every user can read); the dev banner that prints it, and the unseal key, are redacted before they
 * reach the log. The server sees none of the host's BAO_* or VAULT_* variables, has a HOME of its own and
 * never stores the token there.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Processes, freePort } from './processes';
import { VaultClient } from './vault-client';
import { type VaultFlavour, vaultFlavour } from './vault-flavour';

/** The environment of a server process: none of the host's variables of the server's own, and a HOME of its own. */
function isolatedEnv(flavour: VaultFlavour, home: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { HOME: home };
  for (const key of Object.keys(process.env)) if (flavour.variablePrefixes.some((prefix) => key.startsWith(prefix))) env[key] = undefined;
  return env;
}

export interface VaultServerOptions {
  /** Serve https (dev mode's own CA and certificate) rather than http. */
  readonly tls?: boolean;
  /** A file audit device writing here, one JSON line per request and response, secret values HMACed. */
  readonly auditLog?: string;
  /** @default - vaultFlavour(): CSS_VAULT_SERVER, else OpenBao */
  readonly flavour?: VaultFlavour;
}

export class VaultServer {
  url = '';
  readonly #rootToken = randomBytes(24).toString('base64url');
  private readonly processes: Processes;
  /** The server's HOME, where it must leave no file. */
  readonly home: string;
  readonly flavour: VaultFlavour;

  /**
   * @param dir the server's folder: its log and its HOME
   * @param tools the cache folder of the flavour's toolchain target (`openbao` or `vault`)
   */
  constructor(
    private readonly dir: string,
    private readonly tools: string,
    private readonly options: VaultServerOptions = {},
  ) {
    this.flavour = options.flavour ?? vaultFlavour();
    this.home = join(dir, 'home');
    mkdirSync(this.home, { recursive: true });
    this.processes = new Processes(dir);
  }

  get binary(): string {
    return join(this.tools, this.flavour.binary);
  }

  /** The token of this run's root: every capability. Never print it. */
  get rootToken(): string {
    return this.#rootToken;
  }

  /** Where dev mode writes its CA, certificate and key when serving https. */
  private get tlsDir(): string {
    return join(this.dir, 'tls');
  }

  /** PEM of the CA that signed the server's certificate (https only). */
  get caPem(): string {
    if (!this.options.tls) throw new Error('VaultServer: caPem of a server without tls');
    return readFileSync(join(this.tlsDir, 'vault-ca.pem'), 'utf8');
  }

  /** A client of this server trusting its CA, holding `token` (none: anonymous). */
  client(token?: string): VaultClient {
    return new VaultClient(this.url, token, this.options.tls ? this.caPem : undefined);
  }

  /** A client holding the root token. */
  get root(): VaultClient {
    return this.client(this.#rootToken);
  }

  /** The configuration file that declares the audit device, for a flavour that takes it only there. */
  private declarativeConfig(): string[] {
    if (!this.options.auditLog || !this.flavour.declarativeAudit) return [];
    const file = join(this.dir, 'audit.hcl');
    writeFileSync(file, `audit "file" "file" {\n  options {\n    file_path = ${JSON.stringify(this.options.auditLog)}\n  }\n}\n`);
    return [`-config=${file}`];
  }

  /** Starts the server and waits until it is unsealed, active and knows the root token. */
  async start(): Promise<void> {
    // Dev mode puts its cluster listener on the next port.
    const port = await freePort(2);
    const tls = this.options.tls ? ['-dev-tls', `-dev-tls-cert-dir=${this.tlsDir}`] : [];
    if (this.options.tls) mkdirSync(this.tlsDir, { recursive: true });
    this.url = `${this.options.tls ? 'https' : 'http'}://127.0.0.1:${port}`;
    this.processes.launch(
      'vault',
      this.binary,
      ['server', '-dev', ...tls, ...this.declarativeConfig(), `-dev-listen-address=127.0.0.1:${port}`, '-dev-no-store-token'],
      { ...isolatedEnv(this.flavour, this.home), [this.flavour.rootTokenVariable]: this.#rootToken },
      (line) => line.replaceAll(this.#rootToken, '<root token>').replace(/^(Unseal Key|Recovery Key): .*/, '$1: <redacted>'),
    );
    // Health turns 200 once unsealed, before dev mode has created the root token, and the token answers
    // before dev mode has printed its banner (redacted in the log): wait for all three.
    await this.processes.waitFor(
      'vault',
      async () => {
        const health = await this.root.health();
        if (!health.initialized || health.sealed || health.standby) return false;
        await this.root.request('GET', 'auth/token/lookup-self');
        return /^Root Token: /m.test(this.log());
      },
      60,
    );
    if (this.options.auditLog && !this.flavour.declarativeAudit) await this.root.enableFileAudit(this.options.auditLog);
  }

  /** What the server's `version` command prints, run with the server's isolated environment. */
  version(): string {
    return execFileSync(this.binary, ['version'], {
      env: { ...process.env, ...isolatedEnv(this.flavour, this.home) },
      encoding: 'utf8',
    }).trim();
  }

  /** The server's log so far. */
  log(): string {
    return readFileSync(join(this.dir, 'vault.log'), 'utf8');
  }

  get pids(): number[] {
    return this.processes.pids;
  }

  stop(): Promise<void> {
    return this.processes.stopAll();
  }
}
