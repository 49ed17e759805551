/**
 * Links inside the catalogue folder that lead out of it. Tenant modules may read the catalogue folder, and
 * Node's permission model follows links below a folder it grants (its documentation says so), so one such
 * link anywhere in the folder (`docs/etc -> /etc`) would hand a module everything behind it. Modules are
 * therefore run only in a folder without any.
 */
import { readdirSync, readlinkSync, realpathSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { CATALOGUE_LIMITS } from './limits';
import { isInside } from './source-text';

export interface LinkOut {
  readonly link: string;
  readonly target: string;
}

/**
 * Every link below `root` (a real path) whose target lies outside it, dangling ones by where they point; or
 * `tooMany` when the folder holds more entries than a catalogue folder should and was not walked to its end.
 */
export function linksOutOf(root: string): { links: LinkOut[]; tooMany: boolean } {
  const links: LinkOut[] = [];
  let entries = 0;
  const pending = [root];
  while (pending.length > 0) {
    const dir = pending.pop()!;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (++entries > CATALOGUE_LIMITS.folderEntries) return { links, tooMany: true };
      const path = join(dir, entry.name);
      if (entry.isDirectory()) pending.push(path);
      if (!entry.isSymbolicLink()) continue;
      let target: string;
      try {
        target = realpathSync(path);
      } catch {
        // Dangling: judged by where it points, since that can appear later.
        target = resolve(dirname(path), readlinkSync(path));
      }
      if (!isInside(root, target)) links.push({ link: path, target });
    }
  }
  return { links, tooMany: false };
}
