/**
 * npm run synth [-- --catalogue <dir>] [--out <dir>] [--cluster <name>...]
 *
 * Validates the catalogue and writes every cluster's manifests to <out>/<cluster>/. Nothing is written
 * unless the whole catalogue is valid and every cluster synthesizes.
 */
import { Command } from 'commander';
import { synthesizeCluster } from '../plane';
import { CatalogueError, EXAMPLE_CATALOGUE_DIR, clusterNamed, formatIssue, loadCatalogue, validityReport } from '../tenants/lib';
import { OutputFolderError } from './output-folder';
import { writeManifests } from './write-manifests';

const program = new Command()
  .name('synth')
  .description('Synthesize the External Secrets Operator resources of every cluster in a catalogue')
  .option('-c, --catalogue <dir>', 'catalogue folder (clusters.yaml, credentials.yaml, teams/)', EXAMPLE_CATALOGUE_DIR)
  .option('-o, --out <dir>', 'output folder, new, empty or an earlier synth output; one sub-folder per cluster', 'dist')
  .option('--cluster <name...>', 'only these clusters (default: all)')
  .option('--expiry-warning-days <days>', 'warn about tenant secrets that expire within this many days', (v) => Number.parseInt(v, 10), 30)
  .option('--now <timestamp>', 'check validity windows against this time instead of the clock (for reproducible runs)')
  .showHelpAfterError();

function main(): number {
  const options = program.parse().opts<{ catalogue: string; out: string; cluster?: string[]; expiryWarningDays: number; now?: string }>();
  const started = process.hrtime.bigint();
  let catalogue;
  try {
    catalogue = loadCatalogue(options.catalogue);
  } catch (error) {
    if (error instanceof CatalogueError) {
      console.error(error.message);
      return 1;
    }
    throw error;
  }
  const now = options.now ? new Date(options.now) : new Date();
  if (Number.isNaN(now.getTime())) throw new Error(`--now: "${options.now}" is not a timestamp`);
  const validity = validityReport(catalogue, { now, warnWithinDays: options.expiryWarningDays });
  for (const warning of validity.warnings) console.error(`warning: ${formatIssue(warning)}`);
  if (validity.errors.length > 0) {
    console.error(new CatalogueError(validity.errors).message);
    return 1;
  }
  const clusters = options.cluster ?? catalogue.clusters.map((c) => c.name);
  clusters.forEach((name) => clusterNamed(catalogue, name));
  console.log(`catalogue ${options.catalogue}: ${catalogue.clusters.length} clusters, ${catalogue.credentials.length} credentials, ${catalogue.tenants.length} tenants`);

  const manifests = clusters.map((name) => {
    const m = synthesizeCluster(catalogue, name);
    console.log(`  ${name}: ${m.clusterScoped.length} cluster-scoped + ${m.namespaced.length} namespaced objects`);
    return m;
  });
  const result = writeManifests(options.out, manifests);
  if (result.leftBehind) console.error(`warning: the previous output was moved to ${result.leftBehind} and kept, because files synth did not write appeared in it`);
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  console.log(`wrote ${manifests.length} clusters to ${options.out}/ in ${ms.toFixed(0)} ms`);
  return 0;
}

try {
  process.exitCode = main();
} catch (error) {
  console.error(error instanceof OutputFolderError ? `synth: nothing was written: ${error.message}` : `synth: ${(error as Error).message}`);
  process.exitCode = 1;
}
