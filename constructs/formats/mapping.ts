import type { Credential, Format } from '../../tenants/lib';
import { type RenderedFormat, copyOf } from './template';

/** The key mapping of the secrets distributor (seed 002): a Secret type and a list of from -> to keys. */
export function mapping(_credential: Credential, format: Extract<Format, { type: 'mapping' }>): RenderedFormat {
  return {
    secretType: format.secretType,
    labels: {},
    data: Object.fromEntries(format.keys.map(({ from, to }) => [to, copyOf(from)])),
  };
}
