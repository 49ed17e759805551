import type { Cluster, Credential, Environment, Tenant } from './schema';

/** Where each part of a catalogue was read from, so that cross-file errors can name the right file. */
export interface CatalogueSources {
  readonly clusters: string;
  readonly credentials: string;
  /** Tenant name -> file. */
  readonly tenants: Readonly<Record<string, string>>;
}

/** A loaded, validated catalogue. Every list is sorted by name, so everything derived from it is stable. */
export interface Catalogue {
  readonly environments: readonly Environment[];
  readonly clusters: readonly Cluster[];
  readonly credentials: readonly Credential[];
  readonly tenants: readonly Tenant[];
  readonly sources: CatalogueSources;
}
