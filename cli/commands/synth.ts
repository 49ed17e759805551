/**
 * `central-secret-store synth`: validates a catalogue and writes every cluster's manifests to <out>/<cluster>/.
 * Nothing is written unless the whole catalogue is valid and every cluster synthesizes.
 */
import { Command } from 'commander';
import { synthesizeCluster } from '../../plane';
import { CatalogueError, catalogueWarnings, clusterNamed, formatIssue, loadCatalogue, validityReport } from '../../tenants/lib';
import { type Diagnostic, annotating, diagnosticsOf, printAnnotations } from '../support/diagnostics';
import { EXIT } from '../support/exit-codes';
import { catalogueOption, expiryWarningDaysOption, githubOption, jsonOption, nowOption, outOption } from '../support/options';
import { OutputFolderError } from '../support/output-folder';
import { checkManifestsFolder, writeManifests } from '../support/write-manifests';

interface SynthOptions {
  readonly catalogue: string;
  readonly out: string;
  readonly cluster?: string[];
  readonly expiryWarningDays: number;
  readonly now?: Date;
  readonly json: boolean;
  readonly github?: boolean;
}

export function synthCommand(): Command {
  return new Command('synth')
    .description('Validate a catalogue and write the External Secrets Operator resources of every cluster')
    .addOption(catalogueOption())
    .addOption(outOption('output folder: new, empty or an earlier synth output; one sub-folder per cluster', 'dist'))
    .option('--cluster <name...>', 'only these clusters (default: all)')
    .addOption(expiryWarningDaysOption())
    .addOption(nowOption())
    .addOption(jsonOption('print the summary and every catalogue error and warning (diagnostics) as JSON on stdout'))
    .addOption(githubOption())
    .action((options: SynthOptions) => {
      process.exitCode = synth(options);
    });
}

function synth(options: SynthOptions): number {
  const started = process.hrtime.bigint();
  // The output folder first: one that would be refused is refused before anything is synthesized or printed.
  try {
    checkManifestsFolder(options.out);
  } catch (error) {
    if (!(error instanceof OutputFolderError)) throw error;
    console.error(`synth: nothing was written: ${error.message}`);
    return EXIT.error;
  }
  let catalogue;
  try {
    catalogue = loadCatalogue(options.catalogue);
  } catch (error) {
    if (!(error instanceof CatalogueError)) throw error;
    console.error(error.message);
    report(options, diagnosticsOf(error.issues));
    return EXIT.invalidCatalogue;
  }
  const validity = validityReport(catalogue, { now: options.now ?? new Date(), warnWithinDays: options.expiryWarningDays });
  const warnings = [...catalogueWarnings(catalogue), ...validity.warnings];
  for (const warning of warnings) console.error(`warning: ${formatIssue(warning)}`);
  const diagnostics = diagnosticsOf(validity.errors, warnings);
  if (validity.errors.length > 0) {
    console.error(new CatalogueError(validity.errors).message);
    report(options, diagnostics);
    return EXIT.invalidCatalogue;
  }
  if (annotating(options)) printAnnotations(diagnostics);
  const clusters = options.cluster ?? catalogue.clusters.map((c) => c.name);
  clusters.forEach((name) => clusterNamed(catalogue, name));
  const log = (line: string) => (options.json ? undefined : console.log(line));
  log(
    `catalogue ${options.catalogue}: ${catalogue.clusters.length} clusters, ${catalogue.credentials.length} credentials, ${catalogue.tenants.length} tenants`,
  );
  const manifests = clusters.map((name) => {
    const m = synthesizeCluster(catalogue, name);
    log(`  ${name}: ${m.clusterScoped.length} cluster-scoped + ${m.namespaced.length} namespaced objects`);
    return m;
  });
  let result;
  try {
    result = writeManifests(options.out, manifests);
  } catch (error) {
    if (!(error instanceof OutputFolderError)) throw error;
    console.error(`synth: nothing was written: ${error.message}`);
    return EXIT.error;
  }
  if (result.leftBehind)
    console.error(
      `warning: the previous output was moved to ${result.leftBehind} and kept, because files synth did not write appeared in it`,
    );
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (options.json) {
    const summary = {
      diagnostics,
      folder: result.folder,
      clusters: manifests.map((m) => ({ cluster: m.cluster, clusterScoped: m.clusterScoped.length, namespaced: m.namespaced.length })),
    };
    console.log(JSON.stringify(summary, null, 2));
  } else {
    log(`wrote ${manifests.length} clusters to ${options.out}/ in ${ms.toFixed(0)} ms`);
  }
  return EXIT.ok;
}

/** A catalogue that does not validate, for machines: its diagnostics as JSON, or as annotations. */
function report(options: SynthOptions, diagnostics: readonly Diagnostic[]): void {
  if (options.json) console.log(JSON.stringify({ diagnostics }, null, 2));
  else if (annotating(options)) printAnnotations(diagnostics);
}
