/**
 * A schedule's run. The import itself runs as a child under the task queue's one import id,
 * `personio-import-<task queue>`, the id `npm run cli -- import` uses too: Temporal lets only
 * one workflow hold an id at a time, so a scheduled import and a manual one never write at
 * the same time, and a run waiting for approval keeps the place until it is decided. A tick
 * that finds the place taken is skipped and says so (its result, its details line in Temporal
 * Web, `schedule list`); it reads and writes nothing, and the watermark stays where it was.
 *
 * The schedule hands each run the last successful run's result (`lastResult`); the child,
 * not being the scheduled workflow, would not see it. So this run decides full or delta
 * from it and tells the child explicitly, then puts the schedule's view back into the
 * result (the reason, and when the last full reconcile was) for the next tick.
 */
import { ApplicationFailure, log, setCurrentDetails, startChild, workflowInfo } from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { parseImportInput } from '../domain/import-input.js';
import { importWorkflowId, type ImportReport } from './import-api.js';
import { importEmployees } from './import-employees.js';
import { resolveSyncWindow } from './sync-window.js';
import { INVALID_IMPORT_INPUT } from '../domain/failure-types.js';

/** What a scheduled run returns: the import's report, or why it was skipped. */
export type ScheduledImportResult =
  ImportReport | { skipped: string; importWorkflowId: string; dryRun?: boolean; sync?: unknown };

export async function scheduledImport(rawInput?: unknown): Promise<ScheduledImportResult> {
  const info = workflowInfo();
  const importId = importWorkflowId(info.taskQueue);
  const parsed = parseImportInput(rawInput);
  if (!parsed.ok) {
    throw ApplicationFailure.create({
      type: INVALID_IMPORT_INPUT,
      message: `The import input is invalid: ${parsed.problems.map((p) => p.message).join('; ')}`,
      nonRetryable: true,
    });
  }
  const window = resolveSyncWindow({
    sync: parsed.input.sync,
    lastResult: info.lastResult,
    now: Date.now(),
    dryRun: parsed.input.dryRun,
  });
  const raw = (rawInput ?? {}) as Record<string, unknown>;
  const childInput = {
    ...raw,
    sync: {
      ...((raw.sync as Record<string, unknown> | undefined) ?? {}),
      mode: window.mode,
      updatedSince: window.updatedSince,
    },
  };
  let child;
  try {
    child = await startChild(importEmployees, {
      workflowId: importId,
      args: [childInput],
      staticSummary: `Scheduled Personio → JumpCloud sync (${window.mode}), started by ${info.workflowId}`,
    });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    const skipped =
      `Skipped: another import holds this task queue's place (${importId}; it may be waiting for ` +
      `approval). This run read and wrote nothing; the next tick tries again.`;
    log.warn('scheduled run skipped: an import is running', { importWorkflowId: importId });
    setCurrentDetails(`**skipped** · ${skipped}`);
    // The last successful run's result stays the next tick's basis (its watermark).
    const previous = (info.lastResult ?? {}) as { dryRun?: boolean; sync?: unknown };
    return {
      skipped,
      importWorkflowId: importId,
      ...(previous.dryRun !== undefined ? { dryRun: previous.dryRun } : {}),
      ...(previous.sync !== undefined ? { sync: previous.sync } : {}),
    };
  }
  setCurrentDetails(`Runs the import as ${importId} (${window.mode}: ${window.why})`);
  const report = await child.result();
  if (!report.sync) return { ...report, importWorkflowId: importId };
  // The child was told its mode; the schedule's reason and reconcile time are this run's.
  const [, ...notes] = report.sync.why.split('; ');
  return {
    ...report,
    importWorkflowId: importId,
    sync: {
      ...report.sync,
      why: [window.why, ...notes].join('; '),
      lastFullReconcileAt:
        report.sync.mode === 'full' ? report.sync.lastFullReconcileAt : window.lastFullReconcileAt,
    },
  };
}
