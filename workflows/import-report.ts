/**
 * The import's final report (what the workflow returns: the CLI, schedules and the next
 * scheduled run read it) and the metrics of a finished run. Call from workflow code.
 */
import { metricMeter, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import type { EnsuredGroups } from '../activities/groups.js';
import type { ImportInput } from '../domain/import-input.js';
import { IMPORT_DURATION, IMPORTS_FINISHED } from '../domain/metric-names.js';
import { safeguardBreaches } from '../domain/safeguards.js';
import type { ImportReport } from './import-api.js';
import type { ImportState } from './import-state.js';
import { nextSyncState } from './sync-window.js';

/** The run's report; `bindings` is null when nothing was applied (rejected at approval). */
export function finishedReport(
  input: ImportInput,
  state: ImportState,
  groups: EnsuredGroups,
  bindings: Awaited<ReturnType<Activities['bindGroupsToApplications']>> | null,
): ImportReport {
  const applied = !input.dryRun && bindings !== null;
  return {
    // Rejected at approval: what the plan would have done (nothing was).
    counts: !applied && !input.dryRun && state.plan ? state.plan.counts : state.counts,
    problems: state.problems,
    truncated: state.truncated,
    dryRun: input.dryRun,
    startedAt: new Date(state.startedAt).toISOString(),
    finishedAt: new Date().toISOString(),
    durationMs: Date.now() - state.startedAt,
    employeesTotal: state.employeesTotal,
    pageSize: input.pageSize,
    pages: Math.ceil(state.employeesTotal / input.pageSize),
    firstRunId: workflowInfo().firstExecutionRunId,
    managers: state.managers,
    groups: {
      created: bindings === null ? [] : groups.created,
      bound: bindings?.bound ?? [],
      alreadyBound: bindings?.alreadyBound ?? 0,
      missingApplications: bindings?.missingApplications ?? [],
      refused: groups.refused ?? [],
    },
    notified: null,
    ...(state.plan
      ? {
          plan: {
            counts: state.plan.counts,
            importedUsers: state.plan.importedUsers,
            pagesPlanned: state.plan.pagesPlanned,
            pagesToApply: state.plan.pagesToApply,
            safeguardBreaches: safeguardBreaches(state.plan, input.safeguards),
          },
          approval: state.approval ?? null,
          applied,
        }
      : {}),
    ...(state.sync ? { sync: nextSyncState(state.sync, state.startedAt, state.counts.failed) } : {}),
    ...(state.personioRequests !== undefined ? { personioRequests: state.personioRequests } : {}),
    ...(state.held ? { heldPages: state.held.offsets.length } : {}),
  };
}

/** A finished run's metrics (replay-safe: not emitted again on replay). */
export function countFinished(input: ImportInput, report: ImportReport): void {
  metricMeter
    .createCounter(IMPORTS_FINISHED, 'imports', 'finished imports')
    .add(1, { dryRun: String(input.dryRun) });
  metricMeter
    .createHistogram(IMPORT_DURATION, 'float', 's', 'wall time of finished imports')
    .record(report.durationMs / 1000, { dryRun: String(input.dryRun) });
}
