/**
 * `central-secret-store report`: writes the access report, one self-contained HTML page of who has what
 * (tenants × credentials × clusters, with formats, namespaces and own secrets), searchable and filterable,
 * built from the validated catalogue. `--json` writes the page's data instead. The page says when it was generated
 * and from which commit of the catalogue's git repository (`--now` and `--commit` fix them, for reproducible
 * output).
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { CatalogueError } from '../../tenants/lib';
import { catalogueErrorsText, loadCatalogueFolder } from '../catalogue-source';
import { EXIT } from '../exit-codes';
import { catalogueOption, jsonOption, nowOption, outOption } from '../options';
import { type ReportSource, reportData } from '../report-data';
import { reportPage } from '../report-page';

interface ReportOptions {
  readonly catalogue: string;
  readonly out: string;
  readonly json: boolean;
  readonly now?: Date;
  readonly commit?: string;
}

export function reportCommand(): Command {
  return new Command('report')
    .description('Write a self-contained HTML page of who has what: tenants × credentials × clusters')
    .addOption(catalogueOption())
    .addOption(outOption('the page to write', 'access-report.html'))
    .addOption(jsonOption("write the page's data as JSON instead of the page"))
    .addOption(Object.assign(nowOption(), { description: 'the generation time the page states, instead of the clock (for reproducible output)' }))
    .addOption(new Option('--commit <id>', "the catalogue commit the page states, instead of git's (\"none\": none)").default(undefined, "git rev-parse HEAD in the catalogue's folder"))
    .action((options: ReportOptions) => {
      process.exitCode = report(options);
    });
}

function report(options: ReportOptions): number {
  let loaded;
  try {
    loaded = loadCatalogueFolder(options.catalogue);
  } catch (error) {
    if (!(error instanceof CatalogueError)) throw error;
    console.error(`report: ${catalogueErrorsText('the catalogue', error)}`);
    return EXIT.invalidCatalogue;
  }
  const data = reportData(loaded.catalogue, loaded.label, reportSource(options));
  const text = options.json ? `${JSON.stringify(data, null, 2)}\n` : reportPage(data);
  writeFileSync(options.out, text);
  const { tenants, namespaces, credentials, clusters } = data;
  console.log(`report: wrote ${options.out} (${Buffer.byteLength(text).toLocaleString('en-US')} bytes): ${tenants.length} tenants, ${namespaces.length} namespaces, ${credentials.length} credentials, ${clusters.length} clusters`);
  return EXIT.ok;
}

/** When, and from which commit of the catalogue's repository: given, or the clock and git's answer. */
function reportSource(options: ReportOptions): ReportSource {
  const generatedAt = options.now ?? new Date();
  if (options.commit !== undefined) return { generatedAt, commit: options.commit === 'none' ? null : options.commit, uncommittedChanges: false };
  const git = (...args: string[]) => execFileSync('git', ['-C', options.catalogue, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  try {
    const commit = git('rev-parse', '--verify', 'HEAD');
    return { generatedAt, commit, uncommittedChanges: git('status', '--porcelain', '--', '.') !== '' };
  } catch {
    // Not a git repository, git missing, or a repository without a commit yet.
    return { generatedAt, commit: null, uncommittedChanges: false };
  }
}
