import { type RenderedFormat, copyOf } from './template';

/** One key renamed: `from` in the master becomes `to` in the copy. */
export interface KeyMapping {
  readonly from: string;
  readonly to: string;
}

/**
 * The key mapping of a secrets distributor: a Secret type and a list of from -> to keys (docs/catalogue.md,
 * "Credential kinds and formats").
 */
export function keyMapping(secretType: string, keys: readonly KeyMapping[]): RenderedFormat {
  return { secretType, labels: {}, data: Object.fromEntries(keys.map(({ from, to }) => [to, copyOf(from)])) };
}
