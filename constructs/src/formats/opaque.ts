import { type RenderedFormat, copyOf } from './template';

/** Every master key copied as it is, into an `Opaque` Secret. */
export function opaque(masterKeys: readonly string[]): RenderedFormat {
  return { secretType: 'Opaque', labels: {}, data: Object.fromEntries(masterKeys.map((k) => [k, copyOf(k)])) };
}
