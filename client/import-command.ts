/**
 * `import`: start an import (or attach to the one already running for this task queue's
 * Personio/JumpCloud pair), follow it with a progress bar, and print the summary.
 */
import { WorkflowExecutionAlreadyStartedError, type Client, type WorkflowHandle } from '@temporalio/client';
import type { ImportInput } from '../domain/import-input.js';
import { loadTemporalSettings } from '../config/env.js';
import { countsLine, summaryText } from '../domain/summary.js';
import { EXIT } from './exit-codes.js';
import { importWorkflowId, type ImportReport } from '../workflows/import-api.js';
import { importEmployees } from '../workflows/index.js';
import { importInputFrom, type ImportFlags } from './import-input-options.js';
import { followImport } from './progress.js';
import { planDiffText, writePlanFiles } from './plan-output.js';
import { collectReport, writeReport } from './report-command.js';
import { ensureSearchAttributes } from './search-attributes.js';
import { checkOutputFile, planPrefix } from './output-paths.js';
import { connectClient } from './temporal-client.js';
import { UsageError } from './usage-error.js';
import { workflowLink } from './web-links.js';
import { noWorkerMessage, watchWorkers, workersPolling } from './worker-presence.js';

export interface ImportCommandFlags extends ImportFlags {
  wait: boolean;
  id?: string;
  report?: string;
  /** Where a dry run's plan goes: `<prefix>.json` and `<prefix>.csv`. */
  planOutput?: string;
}

export async function importCommand(flags: ImportCommandFlags): Promise<void> {
  const { raw, input } = importInputFrom(flags);
  // Output paths first: a mistake there must not surface after the import has written.
  if (flags.report) checkOutputFile('--report', flags.report);
  if (flags.planOutput !== undefined && !input.dryRun)
    throw new UsageError("--plan-output writes a preview's plan: use it with --dry-run (or use --report)");
  const planFiles = input.dryRun && flags.wait ? planPrefix(flags.planOutput) : undefined;
  const settings = loadTemporalSettings();
  const { client, close } = await connectClient(settings);
  try {
    const warning = await ensureSearchAttributes(client, settings.namespace);
    if (warning) console.error(`warning: ${warning}`);
    const workflowId = flags.id ?? importWorkflowId(settings.taskQueue);
    const { handle, attached } = await startOrAttach(client, settings.taskQueue, workflowId, raw, input);
    if (attached) await refuseMismatchedAttach(handle, workflowId, input.dryRun);
    console.error(
      attached
        ? `An import is already running for this Personio/JumpCloud pair (${workflowId}): following it instead of starting another.`
        : `Started import ${workflowId}`,
    );
    console.error(`Temporal Web: ${workflowLink(settings.namespace, workflowId)}`);
    const taskQueue = attached ? (await handle.describe()).taskQueue : settings.taskQueue;
    if (!flags.wait) {
      if ((await workersPolling(client, settings.namespace, taskQueue)) === 0)
        console.error(noWorkerMessage(settings.namespace, taskQueue));
      console.log(workflowId);
      return;
    }
    const following = followImport(handle);
    watchWorkers(client, settings.namespace, taskQueue, following);
    const report: ImportReport = await following;
    if (report.dryRun) {
      const { rows } = await collectReport(client, workflowId);
      console.log(`\n${planDiffText(report, rows)}`);
      for (const refused of report.groups.refused ?? []) console.log(`group not used: ${refused.reason}`);
      const files = writePlanFiles(planFiles ?? planPrefix(flags.planOutput), report, rows);
      console.error(`Full plan: ${files.join(', ')}`);
      if (report.notified?.failed?.length) console.log(notificationFailure(report));
    } else {
      console.log(`\n${summaryFromReport(report)}`);
      if (notAppliedLine(report)) {
        console.log(`The full plan: npm run cli -- report ${workflowId} --format csv`);
        process.exitCode = EXIT.notApplied;
      }
    }
    if (flags.report) {
      await writeReport(client, workflowId, flags.report);
      console.error(`Full report: ${flags.report}`);
    }
  } finally {
    await close();
  }
}

/**
 * Starts the import, or attaches to the one already running under the same workflow id (one
 * import per Personio/JumpCloud pair): two starts at the same moment give one run.
 */
export async function startOrAttach(
  client: Client,
  taskQueue: string,
  workflowId: string,
  raw: Record<string, unknown>,
  input: ImportInput,
): Promise<{ handle: WorkflowHandle<typeof importEmployees>; attached: boolean }> {
  try {
    const handle = await client.workflow.start(importEmployees, {
      taskQueue,
      workflowId,
      args: [raw],
      workflowIdConflictPolicy: 'FAIL',
      staticSummary: `Personio → JumpCloud import${input.dryRun ? ' (dry run)' : ''}`,
      staticDetails: `pageSize ${input.pageSize}, createState ${input.createState}, groups ${input.groups.allEmployeesGroup ?? 'none'}${input.groups.perDepartment ? ' + per department' : ''}`,
    });
    return { handle, attached: false };
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    return { handle: client.workflow.getHandle<typeof importEmployees>(workflowId), attached: true };
  }
}

/**
 * Attaching follows the running import as it is: a `--dry-run` must not quietly follow a
 * real run (and a real import must not quietly follow a preview and write nothing).
 */
async function refuseMismatchedAttach(
  handle: WorkflowHandle<typeof importEmployees>,
  workflowId: string,
  dryRun: boolean,
): Promise<void> {
  const summary = await (await handle.describe()).staticSummary();
  const runningDryRun = summary === undefined ? undefined : summary.includes('(dry run)');
  // Unknown (started from Temporal Web, say): a real import follows it as before.
  if (runningDryRun === dryRun || (runningDryRun === undefined && !dryRun)) return;
  const running =
    runningDryRun === undefined
      ? 'an import (started elsewhere)'
      : runningDryRun
        ? 'a preview (dry run)'
        : 'a real import';
  throw new UsageError(
    dryRun
      ? `${running} is already running as ${workflowId}: --dry-run would only follow it, so nothing was previewed. ` +
          `Preview beside it with \`import --dry-run --id ${workflowId}-preview\`, or follow it with \`status\`.`
      : `${running} is already running as ${workflowId}: this import was not started. ` +
          `Start it once that has ended (\`status\` shows where it stands).`,
  );
}

/**
 * Why a run wrote nothing although it was no dry run (rejected or expired at approval), as
 * the line an admin must read first; null when it was applied (or is a dry run).
 */
export function notAppliedLine(report: ImportReport): string | null {
  const approval = report.approval;
  if (report.dryRun || report.applied !== false || !approval?.decision || approval.decision === 'approved')
    return null;
  const why = approval.reasons.join('; ');
  return approval.decision === 'expired'
    ? `Nothing was written: nobody approved the import before its approval request expired at ${approval.at} (it paused because: ${why}).`
    : `Nothing was written: the import was rejected by ${approval.by} at ${approval.at}${approval.comment ? ` ("${approval.comment}")` : ''} (it paused because: ${why}).`;
}

/** A channel that failed after its last attempt: the run completed, the admin was not told. */
function notificationFailure(report: ImportReport): string {
  return `Notification failed: ${report.notified?.failed?.join('; ')}.`;
}

export function summaryFromReport(report: ImportReport): string {
  if (report.skipped) return report.skipped;
  const notApplied = notAppliedLine(report);
  if (notApplied) {
    // The counts are the plan's: say so, so they are not read as what happened.
    return [
      notApplied,
      `What it would have done (not applied): ${report.employeesTotal} employees read; ${countsLine(report.counts)}.`,
    ].join('\n');
  }
  const approval = report.approval;
  const decision =
    approval && approval.decision
      ? `\nApproval: ${approval.decision} by ${approval.by}${approval.keyId ? ` (key ${approval.keyId})` : ''} at ${approval.at}${approval.comment ? ` ("${approval.comment}")` : ''} (${approval.reasons.join('; ')}).`
      : '';
  return (
    summaryText({
      dryRun: report.dryRun,
      employeesTotal: report.employeesTotal,
      counts: report.counts,
      problems: report.problems,
      truncated: report.truncated,
      managersLinked: report.managers.linked + report.managers.cleared,
      managerNotes: report.managers.notes.length,
      groupsCreated: report.groups.created,
      groupsRefused: report.groups.refused ?? [],
      bindings: report.groups.bound.length,
      missingApplications: report.groups.missingApplications,
      durationMs: report.durationMs,
    }) +
    decision +
    (report.notified?.failed?.length ? `\n${notificationFailure(report)}` : '')
  );
}
