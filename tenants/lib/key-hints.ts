/**
 * What a misspelt or misplaced key should have been. The schemas are strict, so a typo (`reqests`) is an
 * unknown field; naming the field it was probably meant to be, or the fields allowed there, saves a trip to
 * the reference (docs/catalogue.md). The allowed fields are read from the zod schema at the path.
 */
import leven from 'leven';
import type { z } from 'zod';

/** The keys an object at `path` (inside data validated by `schema`) may have; [] when none is known. */
export function keysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let nodes: unknown[] = [schema];
  for (const segment of path) nodes = nodes.flatMap((node) => children(node, segment));
  return [...new Set(nodes.flatMap((node) => objectsOf(node).flatMap((o) => Object.keys(o))))];
}

/** The allowed key a misspelt `key` is closest to, if it is close enough to be a typo rather than another word. */
export function closestKey(key: string, allowed: readonly string[]): string | undefined {
  // Up to a third of the word's letters, at least one: `reqests` and `request` are typos of `requests`,
  // `colour` is not a typo of `name`.
  const limit = Math.max(1, Math.floor(key.length / 3));
  let best: { key: string; distance: number } | undefined;
  for (const candidate of allowed) {
    const distance = leven(key.toLowerCase(), candidate.toLowerCase());
    if (distance <= limit && (best === undefined || distance < best.distance)) best = { key: candidate, distance };
  }
  return best?.key;
}

/** `a`, `a and b`, `a, b and c`. */
export function listed(words: readonly string[]): string {
  return words.length <= 1 ? words.join('') : `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`;
}

interface Def {
  readonly type: string;
  readonly shape?: Record<string, unknown>;
  readonly innerType?: unknown;
  readonly in?: unknown;
  readonly element?: unknown;
  readonly valueType?: unknown;
  readonly options?: readonly unknown[];
  readonly left?: unknown;
  readonly right?: unknown;
  readonly getter?: () => unknown;
}

const defOf = (node: unknown): Def | undefined => (node as { _zod?: { def?: Def } })?._zod?.def;

/** The node itself with wrappers (optional, default, pipes, refinements, unions, lazies) opened up. */
function unwrapped(node: unknown, depth = 0): unknown[] {
  const def = defOf(node);
  if (!def || depth > 20) return [];
  switch (def.type) {
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'catch':
    case 'nonoptional':
      return unwrapped(def.innerType, depth + 1);
    case 'pipe':
      return unwrapped(def.in, depth + 1);
    case 'lazy':
      return unwrapped(def.getter?.(), depth + 1);
    case 'union':
      return (def.options ?? []).flatMap((o) => unwrapped(o, depth + 1));
    case 'intersection':
      return [...unwrapped(def.left, depth + 1), ...unwrapped(def.right, depth + 1)];
    default:
      return [node];
  }
}

function objectsOf(node: unknown): Record<string, unknown>[] {
  return unwrapped(node).flatMap((n) => {
    const def = defOf(n);
    return def?.type === 'object' && def.shape ? [def.shape] : [];
  });
}

function children(node: unknown, segment: PropertyKey): unknown[] {
  return unwrapped(node).flatMap((n) => {
    const def = defOf(n)!;
    if (def.type === 'object' && def.shape && typeof segment === 'string' && segment in def.shape) return [def.shape[segment]];
    if (def.type === 'array' && typeof segment === 'number') return [def.element];
    if (def.type === 'record') return [def.valueType];
    return [];
  });
}

/** What a schema node expects, in a word: "a list", "a mapping", "text"... for "missing field" messages. */
export function expectedAt(schema: z.ZodType, path: readonly PropertyKey[]): string | undefined {
  let nodes: unknown[] = [schema];
  for (const segment of path) nodes = nodes.flatMap((node) => children(node, segment));
  const types = new Set(nodes.flatMap((n) => unwrapped(n)).map((n) => defOf(n)?.type));
  if (types.size !== 1) return undefined;
  const type = [...types][0];
  return { array: 'a list', object: 'a mapping', record: 'a mapping', string: 'text', number: 'a number', boolean: 'true or false' }[
    type as string
  ];
}
