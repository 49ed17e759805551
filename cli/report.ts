/**
 * npm run report -- [--catalogue <dir>] [--out <file>] [--json]
 *
 * Writes the access report: one self-contained HTML page of who has what (tenants × credentials × clusters,
 * with formats, namespaces and own secrets), searchable and filterable, built from the validated catalogue.
 * `--json` writes the page's data instead.
 */
import { writeFileSync } from 'node:fs';
import { Command } from 'commander';
import { CatalogueError, EXAMPLE_CATALOGUE_DIR, loadCatalogue } from '../tenants/lib';
import { catalogueErrorsText, folderLabel, runCommand } from './command-options';
import { EXIT } from './exit-codes';
import { reportData } from './report-data';
import { reportPage } from './report-page';

interface ReportCommandOptions {
  readonly catalogue: string;
  readonly out: string;
  readonly json: boolean;
}

export function reportCommand(): Command {
  return new Command('report')
    .description('Write a self-contained HTML page of who has what: tenants × credentials × clusters')
    .option('-c, --catalogue <dir>', 'catalogue folder (clusters.yaml, credentials.yaml, teams/)', EXAMPLE_CATALOGUE_DIR)
    .option('-o, --out <file>', 'the page to write', 'access-report.html')
    .option('--json', "write the page's data as JSON instead of the page", false)
    .showHelpAfterError()
    .action((options: ReportCommandOptions) => {
      process.exitCode = runReport(options);
    });
}

function runReport(options: ReportCommandOptions): number {
  let catalogue;
  try {
    catalogue = loadCatalogue(options.catalogue);
  } catch (error) {
    if (!(error instanceof CatalogueError)) throw error;
    console.error(`report: ${catalogueErrorsText('the catalogue', error)}`);
    return EXIT.invalidCatalogue;
  }
  const data = reportData(catalogue, folderLabel(options.catalogue));
  const text = options.json ? `${JSON.stringify(data, null, 2)}\n` : reportPage(data);
  writeFileSync(options.out, text);
  console.log(`report: wrote ${options.out} (${Buffer.byteLength(text).toLocaleString('en-US')} bytes): ${data.tenants.length} tenants, ${data.namespaces.length} namespaces, ${data.credentials.length} credentials, ${data.clusters.length} clusters`);
  return EXIT.ok;
}

if (require.main === module) runCommand(reportCommand());
