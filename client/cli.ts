/**
 * The client CLI (`npm run cli -- <command>`, or `personio-jumpcloud-sync <command>`).
 * A user's mistake (bad configuration, bad input) prints one clear message, never a stack.
 */
import 'dotenv/config';
import { Command } from 'commander';
import { ConfigError } from '../config/env.js';
import { pingCommand } from './ping-command.js';

const program = new Command()
  .name('personio-jumpcloud-sync')
  .description('Import Personio employees into JumpCloud, durably, on Temporal.')
  .showHelpAfterError();

program
  .command('ping')
  .description('check that a worker answers on the task queue')
  .argument('[message]', 'text to send', 'ping')
  .action(pingCommand);

program.parseAsync().catch((err: unknown) => {
  if (err instanceof ConfigError) console.error(err.message);
  else if (err instanceof Error) console.error(`error: ${err.message}`);
  else console.error(err);
  process.exitCode = 1;
});
