import type { Credential, Format } from '../../tenants/lib';
import { masterKeysOf } from '../../tenants/lib';
import { type RenderedFormat, copyOf } from './template';

/** Every master key copied as it is, into an `Opaque` Secret. */
export function opaque(credential: Credential, _format: Extract<Format, { type: 'opaque' }>): RenderedFormat {
  return {
    secretType: 'Opaque',
    labels: {},
    data: Object.fromEntries(masterKeysOf(credential).map((k) => [k, copyOf(k)])),
  };
}
