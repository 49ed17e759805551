/**
 * A vault the shared cases (backends.e2e.test.ts) run against, as ESO's own e2e framework runs its cases
 * against every provider: the Key Vault stand-in, OpenBao with a KV mount per tenant, OpenBao with a namespace
 * per tenant. Every backend serves the same catalogue (backend-catalogue.ts): tenants `data` and
 * `data-science` (one's name a prefix of the other's), the shared credentials `registry` (docker-registry, both
 * tenants) and `rotation` (generic, `data` only), and one own secret per tenant; it differs only in where the
 * values live and how the cluster logs in.
 */
import type { Catalogue } from '../../../tenants/lib';
import type { KubeObject } from '../../support/kube-client';
import type { NodeSuite } from './node-suite';

/** The shared credentials' values: credential -> key -> value. */
export type SharedValues = Readonly<Record<string, Readonly<Record<string, string>>>>;
/** The tenants' own secrets: tenant -> secret -> key -> value. */
export type OwnValues = Readonly<Record<string, Readonly<Record<string, Readonly<Record<string, string>>>>>>;

/** What the vault said of a read that a tenant's login made of another tenant's space. */
export interface ForeignReadRefusal {
  /** The policies of the token that asked. */
  readonly policies: readonly string[];
  /** The vault's own error. */
  readonly error: string;
}

export interface BackendUnderTest {
  /** As the test titles name it. */
  readonly name: string;

  /**
   * Starts the vault on 127.0.0.1 (its folder: `dir`), writes the shared catalogue for it into
   * `dir/catalogue` and loads it.
   */
  start(dir: string): Promise<Catalogue>;

  /** Host addresses (host:port) the pods must reach: relayed into the pods' network by the suite. */
  readonly addresses: readonly string[];

  /** The synthesized objects, with the node's adaptations for this backend (node-adaptations.ts). */
  adapt(objects: readonly KubeObject[], suite: NodeSuite, masterRefreshInterval: string): KubeObject[];

  /**
   * Sets the vault up as the stack would for the cluster, once the cluster runs (spaces, policies and
   * logins), and writes every value.
   */
  configure(suite: NodeSuite, shared: SharedValues, own: OwnValues): Promise<void>;

  /** Writes a new value of a shared credential, as a rotation in the vault does. */
  rotate(credential: string, values: Readonly<Record<string, string>>): Promise<void>;

  /** Reads of one shared credential's master from the vault since the last `rotate`. */
  masterReadsSinceRotation(credential: string): number;

  /**
   * Makes a store of tenant `reader`'s login aimed at tenant `owner`'s space read `secret`, and returns the
   * vault's own refusal. Undefined for a vault that knows no identity per tenant (the Key Vault stand-in,
   * where store conditions and admission alone keep tenants apart).
   */
  readonly foreignRead?: (suite: NodeSuite, reader: string, owner: string, secret: string) => Promise<ForeignReadRefusal>;

  stop(): Promise<void>;
}
