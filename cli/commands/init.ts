/**
 * `central-secret-store init <folder>`: writes a starter catalogue to a new or empty folder, for an organisation
 * that keeps its catalogue apart from the product (a catalogue repository of its own), and says what to do
 * next. It never overwrites: a folder holding anything is refused, and the files appear all at once or not
 * at all (written beside the folder, then moved into place).
 */
import { mkdirSync, mkdtempSync, readdirSync, renameSync, rmdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { Command } from 'commander';
import { EXIT } from '../support/exit-codes';
import { starterCatalogue } from '../support/starter-catalogue';

export function initCommand(): Command {
  return new Command('init')
    .description(
      'Write a starter catalogue (one environment, cluster, credential, and a YAML and a TypeScript tenant) to a new or empty folder',
    )
    .argument('<folder>', 'where to write it: a new or empty folder')
    .action((folder: string) => {
      init(folder);
      process.exitCode = EXIT.ok;
    });
}

function init(folder: string): void {
  const target = resolve(folder);
  const problem = folderProblem(target);
  if (problem) throw new Error(`init: ${folder} ${problem}`);
  mkdirSync(dirname(target), { recursive: true });
  const scratch = mkdtempSync(join(dirname(target), `.${basename(target)}.init-`));
  const files = starterCatalogue();
  try {
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(scratch, path)), { recursive: true });
      writeFileSync(join(scratch, path), text);
    }
    // Checked again just before the move: a folder that filled up meanwhile is still never overwritten.
    const late = folderProblem(target);
    if (late) throw new Error(`init: ${folder} ${late}`);
    if (exists(target)) rmdirSync(target);
    renameSync(scratch, target);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  const shown = folder.replace(/\/+$/, '');
  console.log(
    [
      `init: wrote a starter catalogue to ${shown}/: ${Object.keys(files)
        .filter((f) => !f.startsWith('schema/'))
        .join(', ')}, and schema/ for editors`,
      '',
      'Next:',
      `  1. Put your vault, Entra tenant and clusters in ${shown}/clusters.yaml, your credentials' Key Vault secret names in credentials.yaml, and a file per tenant in teams/.`,
      `  2. central-secret-store synth --catalogue ${shown}        # validate, and write every cluster's manifests to dist/`,
      `  3. central-secret-store plan --catalogue ${shown} --base <git ref or folder>   # who gains or loses which secret`,
      `  4. In the product's repository, per cluster stack: pulumi config set central-secret-store:catalogue <path to ${basename(target)}>`,
      '  Keep the catalogue in git, and run plan on every pull request (README: Use it for your organisation).',
    ].join('\n'),
  );
}

/** Why `target` cannot receive a starter catalogue, or undefined. */
function folderProblem(target: string): string | undefined {
  if (!exists(target)) return undefined;
  if (!statSync(target).isDirectory()) return 'is a file, not a folder: give a new or empty folder';
  const entries = readdirSync(target).sort();
  if (entries.length === 0) return undefined;
  const shown = entries.slice(0, 5).join(', ') + (entries.length > 5 ? `, and ${entries.length - 5} more` : '');
  return `is not empty (it holds ${shown}); init never overwrites anything: give a new or empty folder`;
}

function exists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}
