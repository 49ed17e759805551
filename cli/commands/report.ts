/**
 * `central-secret-store report`: writes the access report, one self-contained HTML page of who has what
 * (tenants × credentials × clusters, with formats, namespaces and own secrets), searchable and filterable,
 * built from the validated catalogue. `--json` writes the page's data instead.
 */
import { writeFileSync } from 'node:fs';
import { Command } from 'commander';
import { CatalogueError } from '../../tenants/lib';
import { catalogueErrorsText, loadCatalogueFolder } from '../catalogue-source';
import { EXIT } from '../exit-codes';
import { catalogueOption, jsonOption, outOption } from '../options';
import { reportData } from '../report-data';
import { reportPage } from '../report-page';

interface ReportOptions {
  readonly catalogue: string;
  readonly out: string;
  readonly json: boolean;
}

export function reportCommand(): Command {
  return new Command('report')
    .description('Write a self-contained HTML page of who has what: tenants × credentials × clusters')
    .addOption(catalogueOption())
    .addOption(outOption('the page to write', 'access-report.html'))
    .addOption(jsonOption("write the page's data as JSON instead of the page"))
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
  const data = reportData(loaded.catalogue, loaded.label);
  const text = options.json ? `${JSON.stringify(data, null, 2)}\n` : reportPage(data);
  writeFileSync(options.out, text);
  const { tenants, namespaces, credentials, clusters } = data;
  console.log(`report: wrote ${options.out} (${Buffer.byteLength(text).toLocaleString('en-US')} bytes): ${tenants.length} tenants, ${namespaces.length} namespaces, ${credentials.length} credentials, ${clusters.length} clusters`);
  return EXIT.ok;
}
