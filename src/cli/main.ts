/**
 * `psabridge`: the one command-line entry. Each subcommand lives in its own file under
 * `commands/` and registers itself on the program here.
 */
import { Command } from 'commander';

const program = new Command()
  .name('psabridge')
  .description('Backup problems become ConnectWise Manage service tickets.')
  .showHelpAfterError();

await program.parseAsync(process.argv);
