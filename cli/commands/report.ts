/**
 * `central-secret-store report`: writes the access report, one self-contained HTML page of who has what
 * (tenants × credentials × clusters, with formats, namespaces and own secrets), searchable and filterable,
 * built from the validated catalogue. `--json` writes the page's data instead. The page says when it was generated
 * and from which commit of the catalogue's git repository (`--now` and `--commit` fix them, for reproducible
 * output).
 */
import { execFileSync } from 'node:child_process';
import { Command, Option } from 'commander';
import { CatalogueError, catalogueWarnings } from '../../tenants/lib';
import { catalogueErrorsText, loadCatalogueFolder } from '../review/catalogue-source';
import { EXIT } from '../support/exit-codes';
import { annotating, diagnosticsOf, printAnnotations } from '../support/diagnostics';
import { catalogueOption, githubOption, jsonOption, nowOption, outOption } from '../support/options';
import { checkOutputFile, outputStep, writeOutputFile } from '../support/output-file';
import { type ReportSource, reportData } from '../review/report-data';
import { REPORT_GENERATOR, reportPage } from '../review/report-page';

interface ReportOptions {
  readonly catalogue: string;
  readonly out: string;
  readonly force: boolean;
  readonly json: boolean;
  readonly github?: boolean;
  readonly now?: Date;
  readonly commit?: string;
}

export function reportCommand(): Command {
  return new Command('report')
    .description('Write a self-contained HTML page of who has what: tenants × credentials × clusters')
    .addOption(catalogueOption())
    .addOption(outOption('the page to write', 'access-report.html'))
    .addOption(new Option('--force', 'overwrite the --out file even if it is not a report').default(false))
    .addOption(jsonOption("write the page's data as JSON instead of the page; catalogue errors as diagnostics on stdout"))
    .addOption(githubOption())
    .addOption(
      Object.assign(nowOption(), { description: 'the generation time the page states, instead of the clock (for reproducible output)' }),
    )
    .addOption(
      new Option('--commit <id>', 'the catalogue commit the page states, instead of git\'s ("none": none)').default(
        undefined,
        "git rev-parse HEAD in the catalogue's folder",
      ),
    )
    .action((options: ReportOptions) => {
      process.exitCode = report(options);
    });
}

function report(options: ReportOptions): number {
  // The output path first: a path that cannot take the page is refused before anything is loaded or printed.
  outputStep('report', () =>
    checkOutputFile(options.out, { force: options.force, ours: isReport, what: 'a report', suggestion: 'access-report.html' }),
  );
  let loaded;
  try {
    loaded = loadCatalogueFolder(options.catalogue);
  } catch (error) {
    if (!(error instanceof CatalogueError)) throw error;
    console.error(`report: ${catalogueErrorsText('the catalogue', error)}`);
    const diagnostics = diagnosticsOf(error.issues);
    if (options.json) console.log(JSON.stringify({ diagnostics }, null, 2));
    else if (annotating(options)) printAnnotations(diagnostics);
    return EXIT.invalidCatalogue;
  }
  const diagnostics = diagnosticsOf([], catalogueWarnings(loaded.catalogue));
  if (annotating(options)) printAnnotations(diagnostics);
  const data = reportData(loaded.catalogue, loaded.label, reportSource(options));
  const text = options.json ? `${JSON.stringify(data, null, 2)}\n` : reportPage(data);
  outputStep('report', () => writeOutputFile(options.out, text));
  const counts = {
    tenants: data.tenants.length,
    namespaces: data.namespaces.length,
    credentials: data.credentials.length,
    clusters: data.clusters.length,
  };
  const bytes = Buffer.byteLength(text);
  if (options.json) console.log(JSON.stringify({ diagnostics, wrote: options.out, bytes, ...counts }, null, 2));
  else
    console.log(
      `report: wrote ${options.out} (${bytes.toLocaleString('en-US')} bytes): ${counts.tenants} tenants, ${counts.namespaces} namespaces, ${counts.credentials} credentials, ${counts.clusters} clusters`,
    );
  return EXIT.ok;
}

/** When, and from which commit of the catalogue's repository: given, or the clock and git's answer. */
function reportSource(options: ReportOptions): ReportSource {
  const generatedAt = options.now ?? new Date();
  if (options.commit !== undefined)
    return { generatedAt, commit: options.commit === 'none' ? null : options.commit, uncommittedChanges: false };
  const git = (...args: string[]) =>
    execFileSync('git', ['-C', options.catalogue, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  try {
    const commit = git('rev-parse', '--verify', 'HEAD');
    return { generatedAt, commit, uncommittedChanges: git('status', '--porcelain', '--', '.') !== '' };
  } catch {
    // Not a git repository, git missing, or a repository without a commit yet.
    return { generatedAt, commit: null, uncommittedChanges: false };
  }
}

/** Whether a file's text is a report this command wrote: its page, or its JSON data. */
function isReport(text: string): boolean {
  if (text.startsWith('<!doctype html>') && text.includes(`<meta name="generator" content="${REPORT_GENERATOR}">`)) return true;
  try {
    const json = JSON.parse(text);
    return (
      typeof json === 'object' &&
      json !== null &&
      typeof json.catalogue === 'string' &&
      Array.isArray(json.tenants) &&
      Array.isArray(json.namespaces)
    );
  } catch {
    return false;
  }
}
