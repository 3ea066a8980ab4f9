/**
 * The client CLI (`npm run cli -- <command>`, or `personio-jumpcloud-sync <command>`).
 * A user's mistake (bad configuration, bad input) prints one clear message, never a stack.
 */
import 'dotenv/config';
import { CancelledFailure, TerminatedFailure, WorkflowFailedError } from '@temporalio/client';
import { Command, Option } from 'commander';
import { ConfigError } from '../config/env.js';
import { approvalCommand } from './approval-command.js';
import { registerApproverKeyCommands } from './approver-key-command.js';
import { EXIT } from './exit-codes.js';
import { cancelCommand } from './cancel-command.js';
import { rootCauseMessage } from './failure-message.js';
import { importCommand } from './import-command.js';
import { registerMappingCommands } from './mapping-command.js';
import { pingCommand } from './ping-command.js';
import { reportCommand } from './report-command.js';
import { registerScheduleCommands } from './schedule-command.js';
import { statusCommand } from './status-command.js';
import { installTerminalSafety } from './terminal-safe.js';
import { UsageError } from './usage-error.js';
import { registerWebhookCommands } from './webhooks-command.js';
import { accessErrorMessage } from './access-error.js';

installTerminalSafety();

const program = new Command()
  .name('personio-jumpcloud-sync')
  .description('Import Personio employees into JumpCloud, durably, on Temporal.')
  .showHelpAfterError();

program
  .command('import')
  .description('start an import (or follow the one already running) with a progress bar')
  .option('--input <file>', 'import options as a JSON file')
  .option('--input-json <json>', 'import options as JSON, e.g. \'{"pageSize":50}\'')
  .option('--dry-run', 'compute the plan without writing to JumpCloud')
  .option('--page-size <n>', 'employees per Personio page (1..100)')
  .addOption(
    new Option('--create-state <state>', 'state of new users').choices([
      'STAGED',
      'ACTIVATED',
      'staged',
      'activated',
    ]),
  )
  .option('--allow-reactivation', 'reactivate suspended users who are active in Personio again')
  .option('--per-department-groups', 'also put users into one group per department')
  .addOption(new Option('--notify <when>', 'send the summary').choices(['auto', 'always', 'never']))
  .option('--email <address...>', 'email the summary to these addresses')
  .option('--report <file>', 'write the full per-employee report (.csv or .json) when done')
  .option(
    '--plan-output <prefix>',
    'with --dry-run: write the plan to <prefix>.json and <prefix>.csv (default: ~/.local/state/personio-jumpcloud-sync/plans/plan-<time>)',
  )
  .option('--id <workflowId>', 'workflow id (default: one per task queue, so one import runs at a time)')
  .option('--no-wait', 'print the workflow id and the Temporal Web link, then exit')
  .action(importCommand);

program
  .command('status')
  .argument('[workflowId]')
  .description('show where an import stands')
  .action(statusCommand);

program
  .command('report')
  .argument('[workflowId]')
  .description('the complete per-employee report of a finished import')
  .addOption(new Option('--format <format>', 'output format').choices(['csv', 'json']).default('csv'))
  .option('--output <file>', 'write to a file instead of stdout')
  .action(reportCommand);

for (const decision of ['approve', 'reject'] as const) {
  program
    .command(decision)
    .argument('[workflowId]')
    .description(
      decision === 'approve'
        ? 'let an import the safeguards paused go on and write its changes'
        : 'end an import the safeguards paused, writing nothing',
    )
    .option('--by <name>', "the approver's name, as listed in the worker's APPROVER_KEYS_FILE")
    .option(
      '--key <file>',
      "the approver's private key (approver-key create); the decision is signed with it",
    )
    .option('--comment <text>', 'why; goes into the report')
    .action(approvalCommand(decision));
}

program
  .command('cancel')
  .argument('[workflowId]')
  .description('cancel a running import')
  .action(cancelCommand);

program
  .command('ping')
  .description('check that a worker answers on the task queue')
  .argument('[message]', 'text to send', 'ping')
  .action(pingCommand);

registerScheduleCommands(program);
registerMappingCommands(program);
registerWebhookCommands(program);
registerApproverKeyCommands(program);

program.parseAsync().catch(async (err: unknown) => {
  const access =
    err instanceof ConfigError || err instanceof UsageError ? null : await accessErrorMessage(err);
  if (err instanceof ConfigError || err instanceof UsageError) {
    console.error(err.message);
    process.exitCode = 2;
  } else if (
    err instanceof WorkflowFailedError &&
    (err.cause instanceof CancelledFailure || err.cause instanceof TerminatedFailure)
  ) {
    console.error(
      `The import was ${err.cause instanceof CancelledFailure ? 'cancelled' : 'terminated'} before it finished; ` +
        'what was written stays written. `status` shows how far it got, `report` what it did.',
    );
    process.exitCode = EXIT.cancelled;
  } else if (access) {
    console.error(access);
    process.exitCode = 1;
  } else if (err instanceof WorkflowFailedError) {
    console.error(`The import stopped: ${rootCauseMessage(err)}`);
    process.exitCode = EXIT.failed;
  } else if (err instanceof Error) {
    console.error(`error: ${err.message}`);
    process.exitCode = 1;
  } else {
    console.error(err);
    process.exitCode = 1;
  }
});
