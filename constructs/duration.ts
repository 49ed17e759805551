import { canonicalGoDuration } from '../tenants/lib';

/**
 * A duration prop in the canonical Go form ESO stores (`5m` -> `5m0s`). ESO rewrites any other spelling when
 * it updates the object and then owns the field, so the next server-side apply would conflict with it.
 */
export function goDurationProp(owner: string, prop: string, value: string): string {
  try {
    return canonicalGoDuration(value);
  } catch (error) {
    throw new Error(`${owner}: ${prop} ${(error as Error).message}`);
  }
}
