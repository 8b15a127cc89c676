/**
 * `psabridge`: the one command-line entry. Each subcommand lives in its own file under
 * `commands/` and registers itself on the program here.
 */
import { Command } from 'commander';
import { demoCommand } from './commands/demo.js';
import { doctorCommand } from './commands/doctor.js';
import { serveCommand } from './commands/serve.js';
import { registerSandboxCommand } from './commands/sandbox.js';
import { userCommand } from './commands/user.js';
import { workerCommand } from './commands/worker.js';

const program = new Command()
  .name('psabridge')
  .description('Backup problems become ConnectWise Manage service tickets.')
  .showHelpAfterError();

program.addCommand(demoCommand());
program.addCommand(serveCommand());
program.addCommand(userCommand());
program.addCommand(doctorCommand());
program.addCommand(workerCommand());
registerSandboxCommand(program);

await program.parseAsync(process.argv);
