/**
 * Exit codes of `npm run plan` and `npm run report`, distinct so that CI can tell a broken catalogue from a
 * change that needs a security review.
 */
export const EXIT = {
  /** Done; for `plan`, no access widened (nothing changed, or access only narrowed). */
  ok: 0,
  /** Bad arguments, a base that is neither a folder nor a git ref, a file that cannot be written. */
  error: 1,
  /** A catalogue (base or head) does not validate; its errors are printed with file, line and field path. */
  invalidCatalogue: 2,
  /** `plan` only: the change grants something the base did not. */
  accessWidened: 3,
} as const;
