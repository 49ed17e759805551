/**
 * The product's command line: `central-secret-store <command>`. Every command is a subcommand with its own
 * `--help`; `npm run <command>` is a shortcut for each.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { recoverCommand } from './commands/recover';
import { releaseFinalizersCommand } from './commands/release-finalizers';
import { rotateCommand } from './commands/rotate';
import { schemaCommand } from './commands/schema';
import { synthCommand } from './commands/synth';

export function program(): Command {
  const { version } = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8'));
  return new Command('central-secret-store')
    .description('Hand every tenant namespace exactly the credentials it may have, on every cluster')
    .version(version)
    .showHelpAfterError()
    .addCommand(synthCommand())
    .addCommand(schemaCommand())
    .addCommand(releaseFinalizersCommand())
    .addCommand(rotateCommand())
    .addCommand(recoverCommand());
}

if (require.main === module) {
  program()
    .parseAsync(process.argv)
    .catch((error: Error) => {
      console.error(`central-secret-store: ${error.message}`);
      process.exitCode = 1;
    });
}
