/**
 * `central-secret-store plan`: who gains or loses which secret, where. Compares the catalogue with a base (a
 * git ref or a folder) and prints the access plan, Markdown for a pull-request comment or JSON for machines.
 * The exit code says whether access widened (EXIT), so a repository can require a security review for exactly
 * those changes.
 */
import { Command, Option } from 'commander';
import { CatalogueError, catalogueWarnings } from '../../tenants/lib';
import { planAccess } from '../review/access-plan';
import { type LoadedCatalogue, catalogueErrorsText, loadCatalogueAt, loadCatalogueFolder } from '../review/catalogue-source';
import { annotating, diagnosticsOf, printAnnotations } from '../support/diagnostics';
import { EXIT, EXIT_CODES_HELP } from '../support/exit-codes';
import { catalogueOption, expiryWarningDaysOption, githubOption, jsonOption, nowOption, outOption } from '../support/options';
import { checkOutputFile, outputStep, writeOutputFile } from '../support/output-file';
import { planMarkdown } from '../review/plan-markdown';

interface PlanOptions {
  readonly base: string;
  readonly catalogue: string;
  readonly json: boolean;
  readonly github?: boolean;
  readonly out?: string;
  readonly force: boolean;
  readonly expiryWarningDays: number;
  readonly now?: Date;
}

export function planCommand(): Command {
  return new Command('plan')
    .description('Who gains or loses which secret, where: compare the catalogue with a base (a git ref or a folder)')
    .addOption(
      new Option(
        '-b, --base <ref|dir>',
        'the catalogue before the change: a folder if one exists there, else the same catalogue folder at this git ref (origin/main)',
      ).makeOptionMandatory(),
    )
    .addOption(catalogueOption())
    .addOption(jsonOption('the plan as JSON instead of Markdown, with every catalogue error and warning (diagnostics)'))
    .addOption(githubOption())
    .addOption(outOption('write the plan to this file instead of standard output: a new file, or a plan written before'))
    .addOption(new Option('--force', 'overwrite the --out file even if it is not a plan').default(false))
    .addOption(expiryWarningDaysOption())
    .addOption(nowOption())
    .addHelpText('after', `\n${EXIT_CODES_HELP}`)
    .action((options: PlanOptions) => {
      process.exitCode = plan(options);
    });
}

function plan(options: PlanOptions): number {
  // The output path first: a path that cannot take the plan is refused before anything is loaded or printed.
  if (options.out)
    outputStep('plan', () =>
      checkOutputFile(options.out!, { force: options.force, ours: isPlan, what: 'a plan', suggestion: 'access-plan.md' }),
    );
  // Both are loaded before either is judged, so that the errors of both are printed at once.
  const base = load('the base catalogue', () => loadCatalogueAt(options.base, options.catalogue));
  const head = load('the catalogue', () => loadCatalogueFolder(options.catalogue));
  if (base instanceof CatalogueError || head instanceof CatalogueError) {
    const diagnostics = diagnosticsOf([base, head].flatMap((loaded) => (loaded instanceof CatalogueError ? loaded.issues : [])));
    if (options.json) console.log(JSON.stringify({ diagnostics }, null, 2));
    else if (annotating(options)) printAnnotations(diagnostics);
    return EXIT.invalidCatalogue;
  }
  // The head's warnings, the catalogue the change makes: the base's were the base's to fix.
  const diagnostics = diagnosticsOf([], catalogueWarnings(head.catalogue));
  if (annotating(options)) printAnnotations(diagnostics);

  const accessPlan = planAccess(base.catalogue, head.catalogue, {
    baseLabel: base.label,
    headLabel: head.label,
    now: options.now ?? new Date(),
    expiringWithinDays: options.expiryWarningDays,
  });
  const text = options.json ? `${JSON.stringify({ diagnostics, ...accessPlan }, null, 2)}\n` : planMarkdown(accessPlan);
  if (options.out) {
    outputStep('plan', () => writeOutputFile(options.out!, text));
    const security =
      accessPlan.securityChanges.length > 0
        ? `, ${accessPlan.securityChanges.length} security ${accessPlan.securityChanges.length === 1 ? 'change' : 'changes'}`
        : '';
    console.log(
      `plan: wrote ${options.out}: access ${accessPlan.widened ? 'widens' : 'does not widen'} (${accessPlan.added.length} added, ${accessPlan.removed.length} removed${security})`,
    );
  } else {
    process.stdout.write(text);
  }
  return accessPlan.reviewNeeded ? EXIT.accessWidened : EXIT.ok;
}

/** The loaded catalogue, or its errors after printing them. */
function load(which: string, read: () => LoadedCatalogue): LoadedCatalogue | CatalogueError {
  try {
    return read();
  } catch (error) {
    if (!(error instanceof CatalogueError)) throw error;
    console.error(`plan: ${catalogueErrorsText(which, error)}`);
    return error;
  }
}

/** Whether a file's text is a plan this command wrote: its Markdown, or its JSON. */
function isPlan(text: string): boolean {
  if (text.startsWith('## Access plan')) return true;
  try {
    const json = JSON.parse(text);
    return (
      typeof json === 'object' &&
      json !== null &&
      typeof json.widened === 'boolean' &&
      Array.isArray(json.added) &&
      Array.isArray(json.removed)
    );
  } catch {
    return false;
  }
}
