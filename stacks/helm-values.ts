/**
 * Helm values laid over others the way Helm lays a values file over a chart's own: maps merge key by key,
 * anything else (a list, a scalar, null) replaces what lies below it. Helm then reads a null as "remove the
 * chart's default", so an overlay can take a value out, not only change it.
 */
export function overlaidValues(
  base: Readonly<Record<string, unknown>>,
  overlay: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(overlay)) {
    const below = merged[key];
    merged[key] = isMap(below) && isMap(value) ? overlaidValues(below, value) : value;
  }
  return merged;
}

const isMap = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
