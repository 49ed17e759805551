/**
 * A small typed client of HashiCorp Vault's HTTP API (undici's fetch, which takes a CA per client) for what
 * the suite needs: KV v2 mounts and secrets, ACL policies, tokens, audit devices, namespaces, and the
 * Kubernetes auth method with its roles and logins. A client addresses one namespace (`in(namespace)`), the
 * root namespace unless told otherwise, as Vault's `X-Vault-Namespace` header does.
 */
import { Agent, fetch } from 'undici';
import { sleep } from './processes';

/** An error answer of Vault's API: its status and Vault's `errors` list. */
export class VaultError extends Error {
  constructor(
    readonly status: number,
    readonly errors: readonly string[],
    what: string,
  ) {
    super(`${what}: HTTP ${status} ${errors.join('; ')}`);
  }
}

/** A KV v2 secret as read: its data and the version it was read at. */
export interface KvSecret {
  readonly data: Record<string, string>;
  readonly version: number;
}

export interface KubernetesAuthConfig {
  /** URL of the API server Vault sends TokenReviews to. */
  readonly kubernetesHost: string;
  /** PEM of the CA that signed the API server's certificate. */
  readonly kubernetesCaCert: string;
  /**
   * A token allowed to create TokenReviews (system:auth-delegator). Without it Vault reviews each login's
   * JWT with that JWT itself, so every ServiceAccount that logs in needs the grant.
   */
  readonly tokenReviewerJwt?: string;
}

export interface KubernetesRole {
  readonly serviceAccountNames: readonly string[];
  readonly serviceAccountNamespaces: readonly string[];
  /** The `aud` a login's JWT must carry (the TokenRequest's audience). */
  readonly audience: string;
  readonly policies: readonly string[];
  /** @default '10m' */
  readonly ttl?: string;
  /**
   * Leave Vault's `default` policy off the tokens (it lets a token look itself up, which ESO's store check
   * does).
   * @default true
   */
  readonly noDefaultPolicy?: boolean;
}

export interface VaultHealth {
  readonly initialized: boolean;
  readonly sealed: boolean;
  readonly standby: boolean;
  readonly version: string;
}

/** What a login returns. */
export interface VaultLogin {
  readonly client: VaultClient;
  readonly policies: readonly string[];
  readonly metadata: Record<string, string>;
}

/** Vault's HTTP API with one token. */
export class VaultClient {
  // A true private field: jest's diffs and util.inspect never show it.
  readonly #token: string | undefined;
  private readonly dispatcher: Agent | undefined;

  /**
   * @param url the server, `http://` or `https://`
   * @param token the Vault token to send
   * @param caPem for `https://`, the CA that signed the server's certificate (the only one trusted)
   */
  constructor(
    readonly url: string,
    token?: string,
    private readonly caPem?: string,
    /** The namespace requests address; absent for the root namespace. */
    readonly namespace?: string,
  ) {
    this.#token = token;
    this.dispatcher = caPem === undefined ? undefined : new Agent({ connect: { ca: caPem } });
  }

  /** The same server with another token, in the same namespace. */
  private withToken(token: string): VaultClient {
    return new VaultClient(this.url, token, this.caPem, this.namespace);
  }

  /** The same server and token, addressing `namespace` (a full path from the root; undefined: the root). */
  in(namespace: string | undefined): VaultClient {
    return new VaultClient(this.url, this.#token, this.caPem, namespace);
  }

  /** Creates a child namespace of this client's namespace. */
  async createNamespace(name: string): Promise<void> {
    await this.request('POST', `sys/namespaces/${name}`, {});
  }

  /** A request to `/v1/<path>`; resolves with the JSON answer (undefined for 204), rejects with a VaultError. */
  async request(method: string, path: string, body?: unknown): Promise<any> {
    const headers: Record<string, string> = {};
    if (this.#token) headers['x-vault-token'] = this.#token;
    if (this.namespace) headers['x-vault-namespace'] = this.namespace;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${this.url}/v1/${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      dispatcher: this.dispatcher,
    });
    const text = await res.text();
    const json = text ? JSON.parse(text) : undefined;
    if (!res.ok) throw new VaultError(res.status, json?.errors ?? [text], `${method} /v1/${path}`);
    return json;
  }

  /** Health as Vault reports it; answers (with a non-2xx status) also while sealed or uninitialised. */
  async health(): Promise<VaultHealth> {
    const res = await fetch(`${this.url}/v1/sys/health`, { dispatcher: this.dispatcher });
    return (await res.json()) as VaultHealth;
  }

  /** Mounts a KV version 2 engine at `mount` and waits until it serves requests. */
  async enableKv2(mount: string): Promise<void> {
    await this.request('POST', `sys/mounts/${mount}`, { type: 'kv', options: { version: '2' } });
    // A new KV v2 mount sets itself up in the background and refuses requests until it is done.
    const deadline = Date.now() + 30_000;
    for (;;) {
      try {
        await this.request('GET', `${mount}/config`);
        return;
      } catch (error) {
        if (Date.now() > deadline) throw error;
        await sleep(100);
      }
    }
  }

  /** Writes a new version of a KV v2 secret; resolves with its version number. */
  async writeKv(mount: string, path: string, data: Readonly<Record<string, string>>): Promise<number> {
    return (await this.request('POST', `${mount}/data/${path}`, { data })).data.version;
  }

  /** Reads a KV v2 secret, the current version unless `version` is given. */
  async readKv(mount: string, path: string, version?: number): Promise<KvSecret> {
    const answer = (await this.request('GET', `${mount}/data/${path}${version === undefined ? '' : `?version=${version}`}`)).data;
    return { data: answer.data, version: answer.metadata.version };
  }

  /** Creates or replaces an ACL policy, written in HCL. */
  async writePolicy(name: string, hcl: string): Promise<void> {
    await this.request('PUT', `sys/policies/acl/${name}`, { policy: hcl });
  }

  /** A client holding a new token with exactly these policies (no `default`). */
  async tokenWith(policies: readonly string[], ttl = '10m'): Promise<VaultClient> {
    const answer = await this.request('POST', 'auth/token/create', { policies, ttl, no_default_policy: true });
    return this.withToken(answer.auth.client_token);
  }

  /**
   * Enables a file audit device: every request and response, one JSON line each, with secret values HMACed
   * (Vault never writes them in clear).
   */
  async enableFileAudit(filePath: string): Promise<void> {
    await this.request('PUT', 'sys/audit/file', { type: 'file', options: { file_path: filePath } });
  }

  /** Enables the Kubernetes auth method at `auth/<mount>` and points it at an API server. */
  async enableKubernetesAuth(mount: string, config: KubernetesAuthConfig): Promise<void> {
    await this.request('POST', `sys/auth/${mount}`, { type: 'kubernetes' });
    await this.request('POST', `auth/${mount}/config`, {
      kubernetes_host: config.kubernetesHost,
      kubernetes_ca_cert: config.kubernetesCaCert,
      token_reviewer_jwt: config.tokenReviewerJwt,
      // Vault runs outside any pod: never fall back to a ServiceAccount token or CA found on the host.
      disable_local_ca_jwt: true,
    });
  }

  /** Creates or replaces a role of the Kubernetes auth method at `auth/<mount>`. */
  async writeKubernetesRole(mount: string, name: string, role: KubernetesRole): Promise<void> {
    await this.request('POST', `auth/${mount}/role/${name}`, {
      bound_service_account_names: role.serviceAccountNames,
      bound_service_account_namespaces: role.serviceAccountNamespaces,
      audience: role.audience,
      token_policies: role.policies,
      token_no_default_policy: role.noDefaultPolicy ?? true,
      token_ttl: role.ttl ?? '10m',
    });
  }

  /** Logs in to the Kubernetes auth method at `auth/<mount>` with a ServiceAccount's JWT. */
  async loginKubernetes(mount: string, role: string, jwt: string): Promise<VaultLogin> {
    const { auth } = await this.request('POST', `auth/${mount}/login`, { role, jwt });
    return { client: this.withToken(auth.client_token), policies: auth.token_policies, metadata: auth.metadata };
  }
}
