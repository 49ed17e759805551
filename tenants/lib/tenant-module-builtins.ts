/**
 * The Node built-ins a tenant module may use: pure computation, plus `fs` and `path` to read files of the
 * catalogue (the permission model keeps reads inside it). Not `os` (host name, user, network interfaces), not
 * `net`, `http`, `dns` and the like (Node 20's permission model does not restrict the network), not `vm`, `v8`,
 * `module`, `worker_threads`, `child_process` or `process`, which reach past the sandbox's other rules.
 * Checked when a module is compiled (with the line of the import) and again when it runs (for `require(name)`
 * computed at run time).
 */
export const ALLOWED_BUILTINS: ReadonlySet<string> = new Set([
  'assert',
  'buffer',
  'events',
  'fs',
  'path',
  'querystring',
  'string_decoder',
  'url',
  'util',
]);

/** The built-in's name without `node:` if it is one a module may use, else undefined. */
export function allowedBuiltin(id: string): string | undefined {
  const name = id.replace(/^node:/, '');
  return ALLOWED_BUILTINS.has(name) ? name : undefined;
}

export function builtinRefusal(id: string): string {
  return `a tenant module may not import "${id}"; it may import files of the catalogue and these built-in modules: ${[...ALLOWED_BUILTINS].join(', ')}`;
}
