/**
 * The product's command line: `central-secret-store <command>`. Every command is a subcommand with its own
 * `--help`; `npm run <command>` is a shortcut for each.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { resolveCatalogueFolder } from './support/catalogue-folder';
import { canaryCommand } from './commands/canary';
import { fleetCommand } from './commands/fleet';
import { initCommand } from './commands/init';
import { planCommand } from './commands/plan';
import { recoverCommand } from './commands/recover';
import { releaseFinalizersCommand } from './commands/release-finalizers';
import { reportCommand } from './commands/report';
import { rotateCommand } from './commands/rotate';
import { schemaCommand } from './commands/schema';
import { synthCommand } from './commands/synth';
import { EXIT, EXIT_CODES_HELP } from './support/exit-codes';

export function program(): Command {
  const { version } = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8'));
  return new Command('central-secret-store')
    .description('Hand every tenant namespace exactly the credentials it may have, on every cluster')
    .version(version)
    .showHelpAfterError()
    .addHelpText('after', `\n${EXIT_CODES_HELP}`)
    .hook('preAction', (_, command) => findCatalogue(command))
    .addCommand(initCommand())
    .addCommand(synthCommand())
    .addCommand(planCommand())
    .addCommand(reportCommand())
    .addCommand(schemaCommand())
    .addCommand(releaseFinalizersCommand())
    .addCommand(rotateCommand())
    .addCommand(recoverCommand())
    .addCommand(canaryCommand())
    .addCommand(fleetCommand());
}

/**
 * Gives a command that reads a catalogue the folder to read when `--catalogue` was not given (see
 * catalogue-folder.ts), or stops it with what to do, before it reads anything.
 */
function findCatalogue(command: Command): void {
  if (!command.options.some((option) => option.attributeName() === 'catalogue')) return;
  if (command.getOptionValue('catalogue') !== undefined) return;
  command.setOptionValueWithSource('catalogue', resolveCatalogueFolder(undefined), 'default');
}

/** Runs the command line; anything a command throws is an error, named by the program, with exit code 1. */
export function run(argv: readonly string[]): void {
  program()
    .parseAsync([...argv])
    .catch((error: Error) => {
      console.error(`central-secret-store: ${error.message}`);
      process.exitCode = EXIT.error;
    });
}

if (require.main === module) run(process.argv);
