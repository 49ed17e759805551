import { type RenderedFormat, copyOf } from './template';

/** One key renamed: `from` in the master becomes `to` in the copy. */
export interface KeyMapping {
  readonly from: string;
  readonly to: string;
}

/** The key mapping of the secrets distributor (seed 002): a Secret type and a list of from -> to keys. */
export function keyMapping(secretType: string, keys: readonly KeyMapping[]): RenderedFormat {
  return { secretType, labels: {}, data: Object.fromEntries(keys.map(({ from, to }) => [to, copyOf(from)])) };
}
