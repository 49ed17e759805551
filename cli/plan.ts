/**
 * npm run plan -- --base <git ref | folder> [--catalogue <dir>] [--json] [--out <file>]
 *                 [--expiring-within-days <n>] [--now <timestamp>]
 *
 * Who gains or loses which secret, where: compares the catalogue with a base and prints the access plan,
 * Markdown for a pull-request comment or JSON for machines. The exit code says whether access widened (see
 * EXIT), so a repository can require a security review for exactly those changes.
 */
import { writeFileSync } from 'node:fs';
import { Command } from 'commander';
import { type Catalogue, CatalogueError, EXAMPLE_CATALOGUE_DIR, loadCatalogue } from '../tenants/lib';
import { planAccess } from './access-plan';
import { CatalogueSourceError, loadCatalogueAt } from './catalogue-at-ref';
import { catalogueErrorsText, folderLabel, parseDays, parseNow, runCommand } from './command-options';
import { EXIT } from './exit-codes';
import { planMarkdown } from './plan-markdown';

interface PlanCommandOptions {
  readonly base: string;
  readonly catalogue: string;
  readonly json: boolean;
  readonly out?: string;
  readonly expiringWithinDays: number;
  readonly now?: Date;
}

export function planCommand(): Command {
  return new Command('plan')
    .description('Who gains or loses which secret, where: compare the catalogue with a base (a git ref or a folder)')
    .requiredOption('-b, --base <ref|dir>', 'the catalogue before the change: a folder if one exists there, else a git ref (origin/main) of the same catalogue folder')
    .option('-c, --catalogue <dir>', 'the catalogue after the change', EXAMPLE_CATALOGUE_DIR)
    .option('--json', 'print JSON instead of Markdown', false)
    .option('-o, --out <file>', 'write the plan to this file instead of standard output')
    .option('--expiring-within-days <days>', 'list own secrets that expire within this many days', parseDays, 30)
    .option('--now <timestamp>', 'measure expiry from this time instead of the clock', parseNow)
    .showHelpAfterError()
    .action((options: PlanCommandOptions) => {
      process.exitCode = runPlan(options);
    });
}

function runPlan(options: PlanCommandOptions): number {
  const base = load('the base catalogue', () => loadCatalogueAt(options.base, options.catalogue));
  const head = load('the catalogue', () => ({ label: folderLabel(options.catalogue), catalogue: loadCatalogue(options.catalogue) }));
  // Both are loaded first, so that the errors of both are printed at once.
  if (typeof base === 'number' || typeof head === 'number') return Math.max(...[base, head].filter((r) => typeof r === 'number'));

  const plan = planAccess(base.catalogue, head.catalogue, {
    baseLabel: base.label,
    headLabel: head.label,
    now: options.now ?? new Date(),
    expiringWithinDays: options.expiringWithinDays,
  });
  const text = options.json ? `${JSON.stringify(plan, null, 2)}\n` : planMarkdown(plan);
  if (options.out) {
    writeFileSync(options.out, text);
    console.log(`plan: wrote ${options.out}: access ${plan.widened ? 'widens' : 'does not widen'} (${plan.added.length} added, ${plan.removed.length} removed)`);
  } else {
    process.stdout.write(text);
  }
  return plan.widened ? EXIT.accessWidened : EXIT.ok;
}

/** The loaded catalogue, or the exit code after printing why it could not be loaded. */
function load(which: string, read: () => { readonly label: string; readonly catalogue: Catalogue }): { readonly label: string; readonly catalogue: Catalogue } | number {
  try {
    return read();
  } catch (error) {
    if (error instanceof CatalogueError) {
      console.error(`plan: ${catalogueErrorsText(which, error)}`);
      return EXIT.invalidCatalogue;
    }
    if (error instanceof CatalogueSourceError) {
      console.error(`plan: ${error.message}`);
      return EXIT.error;
    }
    throw error;
  }
}

if (require.main === module) runCommand(planCommand());
