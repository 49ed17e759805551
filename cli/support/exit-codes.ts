/**
 * Exit codes of every command, distinct so that CI can tell a broken catalogue from a failed run, and a change
 * that needs a security review from one that does not.
 */
export const EXIT = {
  /** Done; for `plan`, no review is due (nothing changed, or access only narrowed and no deployer changed). */
  ok: 0,
  /** Bad arguments, a base that is neither a folder nor a git ref, an output that cannot be written, a cluster that cannot be reached; `fleet`: a stack failed. */
  error: 1,
  /** A catalogue does not validate; its errors are printed with file, line and field path. */
  invalidCatalogue: 2,
  /** `plan` only: the change grants something the base did not, or changes a cluster's deployers: a security review is due. */
  accessWidened: 3,
  /** `rotate`, `recover`, `canary`: the deadline passed and something lags (named on the output). */
  lagging: 4,
  /** `rotate`: a rollout failed (a Deployment past its progress deadline), and no further wave began. */
  rolloutFailed: 5,
} as const;

/** The table for `--help`. */
export const EXIT_CODES_HELP = `Exit codes:
  ${EXIT.ok}  done; for plan, access does not widen and no deployer changes
  ${EXIT.error}  an error (arguments, files, git, the cluster)
  ${EXIT.invalidCatalogue}  a catalogue does not validate
  ${EXIT.accessWidened}  plan: access widens or deployers change (a security review is due)
  ${EXIT.lagging}  rotate, recover, canary: the deadline passed with something lagging
  ${EXIT.rolloutFailed}  rotate: a workload's rollout failed, and the waves stopped there`;
