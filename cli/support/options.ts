/** The options every command that takes them spells and documents the same way. */
import { InvalidArgumentError, Option } from 'commander';

/** `--catalogue`; without it the command line finds the folder itself (catalogue-folder.ts, main.ts). */
export const catalogueOption = () =>
  new Option('-c, --catalogue <dir>', 'catalogue folder (clusters.yaml, credentials.yaml, teams/)').default(
    undefined,
    "the current folder if it holds clusters.yaml; in the product's repository root, its tenants/",
  );

export const kubeconfigOption = () =>
  new Option('--kubeconfig <file>', 'kubeconfig: tokens, client certificates and exec plugins (kubelogin) all work').default(
    undefined,
    '$KUBECONFIG, else ~/.kube/config',
  );

export const contextOption = () => new Option('--context <name>', 'kubeconfig context').default(undefined, 'its current context');

export const jsonOption = (what = 'print the result as JSON on stdout') => new Option('--json', what).default(false);

/** `--out`; without a default value, the command writes to standard output unless it is given. */
export const outOption = (what: string, value?: string) => {
  const option = new Option('-o, --out <path>', what);
  return value === undefined ? option : option.default(value);
};

/** `--now`: the time validity windows are checked against, for reproducible runs; the clock by default. */
export const nowOption = () =>
  new Option('--now <timestamp>', 'check validity windows against this time instead of the clock (for reproducible runs)').argParser(
    (text) => {
      const now = new Date(text);
      if (Number.isNaN(now.getTime())) throw new InvalidArgumentError(`"${text}" is not a timestamp such as 2026-01-31T00:00:00Z`);
      return now;
    },
  );

/** `--expiry-warning-days`: how far ahead tenant secrets' expiry is reported. */
export const expiryWarningDaysOption = () =>
  new Option('--expiry-warning-days <days>', 'report tenant secrets that expire within this many days').default(30).argParser((text) => {
    if (!/^\d+$/.test(text)) throw new InvalidArgumentError(`"${text}" is not a whole number of days`);
    return Number(text);
  });

/** `--github`: catalogue errors and warnings as GitHub Actions annotations too (diagnostics.ts). */
export const githubOption = () =>
  new Option(
    '--github',
    'also print catalogue errors and warnings as GitHub Actions annotations (::error file=…,line=…::…) on stdout',
  ).default(undefined, 'when GITHUB_ACTIONS=true, unless --json');

/** `--report`: the run's audit record (audit.ts) as JSON. */
export const reportOption = () =>
  new Option(
    '--report <file>',
    "also write the run's audit record (who ran what, when, on which objects, how it ended; never a value) as JSON",
  );

/** Parses a count option that must be a whole number of at least 1 (`--parallel`, `--max-concurrent-rollouts`). */
export function countOfAtLeastOne(text: string): number {
  if (!/^[1-9]\d*$/.test(text)) throw new InvalidArgumentError(`"${text}" is not a whole number of at least 1`);
  return Number(text);
}
