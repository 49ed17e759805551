/**
 * Whether a text an author wrote looks like a secret value rather than a name: a token of a known kind, a
 * long run of hexadecimal digits, or a long random-looking run of letters and digits. The catalogue never
 * holds a secret value, so such a text is refused where a name belongs, and no message repeats it: `quoted`
 * is how every catalogue error shows what an author wrote.
 */

/** Tokens recognisable by how they start. */
const TOKEN_SHAPES: readonly (readonly [RegExp, string])[] = [
  [/^gh[pousr]_[A-Za-z0-9]{20,}/, 'starts like a GitHub token'],
  [/^github_pat_[A-Za-z0-9_]{20,}/, 'starts like a GitHub token'],
  [/^glpat-[A-Za-z0-9_-]{16,}/, 'starts like a GitLab token'],
  [/^xox[abprs]-[A-Za-z0-9-]{10,}/, 'starts like a Slack token'],
  [/^(AKIA|ASIA)[0-9A-Z]{16}/, 'starts like an AWS access key'],
  [/^hv[sbr]\.[A-Za-z0-9_-]{20,}/, 'starts like a HashiCorp Vault token'],
  [/^sk[-_](live[-_]|test[-_]|proj-)?[A-Za-z0-9]{20,}/, 'starts like an API secret key'],
  [/^eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/, 'is a JSON Web Token'],
  [/-----BEGIN [A-Z ]+-----/, 'holds a PEM block'],
  [/(AccountKey|SharedAccessKey|SharedAccessSignature|[?&]sig)=/i, 'holds an Azure key or signature'],
];

const HEX_RUN = /[0-9a-fA-F]{32,}/g;
/** Runs of the characters tokens and base64 keys are made of. */
const TOKEN_RUN = /[A-Za-z0-9+/=_.-]{24,}/g;
const MIN_RANDOM_RUN = 24;

/** Bits per character of a text's own character distribution (Shannon entropy). */
function entropy(text: string): number {
  const counts = new Map<string, number>();
  for (const c of text) counts.set(c, (counts.get(c) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) bits -= (n / text.length) * Math.log2(n / text.length);
  return bits;
}

/**
 * Whether a run reads as random rather than as words: both cases, many distinct characters, and lower-case
 * letters in short runs, or in runs with few vowels (words are runs of four or more letters, a third of
 * them vowels; a random token changes case every second character or so). A heuristic: over random
 * letters and digits it misses about one token of 32 or more characters in 200 (the tests measure it).
 */
function looksRandom(run: string): boolean {
  const chars = run.replace(/[^A-Za-z0-9]/g, '');
  if (chars.length < MIN_RANDOM_RUN || !/[A-Z]/.test(chars) || !/[a-z]/.test(chars)) return false;
  const lower = chars.match(/[a-z]+/g)!;
  const meanLowerRun = lower.reduce((sum, r) => sum + r.length, 0) / lower.length;
  const vowels = (chars.match(/[aeiou]/g) ?? []).length / lower.join('').length;
  return entropy(chars) >= 3.7 && (meanLowerRun <= 2.5 || (meanLowerRun <= 3.5 && vowels < 0.3));
}

/** Why a text looks like a secret value rather than a name, or undefined when it does not. */
export function secretLikeReason(text: string): string | undefined {
  for (const [shape, reason] of TOKEN_SHAPES) if (shape.test(text)) return reason;
  const hex = Math.max(0, ...[...text.matchAll(HEX_RUN)].map((m) => m[0].length));
  if (hex > 0) return `${hex} hexadecimal digits in a row, like a key or hash`;
  if ([...text.matchAll(TOKEN_RUN)].some((m) => looksRandom(m[0]))) return 'random-looking letters and digits, like a token or key';
  return undefined;
}

/** How a catalogue error shows a text an author wrote: in quotes, or, when it looks like a secret, by its length and why. */
export function quoted(text: string): string {
  const reason = secretLikeReason(text);
  return reason === undefined ? `"${text}"` : `(a value of ${[...text].length} characters, not shown: ${reason})`;
}

/** Why a text written where a name belongs is refused as a secret value, or undefined when it reads as a name. */
export function secretInsteadOfNameProblem(text: string): string | undefined {
  const reason = secretLikeReason(text);
  return reason === undefined
    ? undefined
    : `looks like a secret value, not a name (${[...text].length} characters: ${reason}); put the value in the vault and name it here`;
}
