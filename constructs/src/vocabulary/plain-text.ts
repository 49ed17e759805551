/**
 * Text that ends up in manifests, policies or URLs must be what it looks like: a control character (a
 * newline, NUL, ESC) or an invisible formatting character (a zero-width space, a right-to-left override)
 * would make a name match nobody, or someone other than the reviewer read, or split a manifest line. One
 * rule, used for identity names and addresses alike; a pure module (no cdk8s), so the catalogue can use it.
 */

const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;

/** Why a text holds a character a reviewer cannot see, with its code point and 1-based position; undefined when none. */
export function invisibleCharacterProblem(text: string): string | undefined {
  const match = INVISIBLE.exec(text);
  if (!match) return undefined;
  const code = match[0].codePointAt(0)!;
  const what = /\p{Cc}/u.test(match[0]) ? 'control character' : 'invisible character';
  return `holds the ${what} U+${code.toString(16).toUpperCase().padStart(4, '0')} at position ${[...text.slice(0, match.index)].length + 1}`;
}
