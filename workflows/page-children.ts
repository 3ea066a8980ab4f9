/**
 * The page steps of runs recorded before pages were held (workflows/held-steps.ts is the
 * current way): a child workflow per page to plan and per page to apply
 * (workflows/import-page.ts), each reading its page from Personio again, and an activity per
 * page to link managers. Kept so those runs replay and finish. Call from workflow code.
 *
 * Each step runs until every page is done (true) or the history is large enough that the
 * caller should continue as new (false); either way nothing is left in flight.
 */
import {
  patched,
  proxyActivities,
  startChild,
  workflowInfo,
  type ChildWorkflowHandle,
} from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import type { EnsuredGroups } from '../activities/groups.js';
import type { DirectoryScan } from '../activities/scan-directory.js';
import type { ImportInput } from '../domain/import-input.js';
import type { GroupRules } from '../domain/page-groups.js';
import { pageRequest } from '../domain/page-request.js';
import { shortCall } from './activity-options.js';
import { pageWorkflowId, planWorkflowId, type RunKeyLength } from './import-api.js';
import { importPage } from './import-page.js';
import {
  recordApplied,
  recordLinks,
  recordPlanned,
  sortPlannedOffsets,
  type ImportState,
} from './import-state.js';
import { pageCursor, runWindow } from './page-window.js';

const { linkManagersForPage } = proxyActivities<Activities>(shortCall);

/**
 * The preview: every page planned by a child of its own (one activity: reads only), a
 * window of them at a time. A page with nothing to write is done here (its planned outcomes
 * are the run's); the others are listed to be applied.
 */
export async function planPages(
  input: ImportInput,
  state: ImportState,
  scan: DirectoryScan,
  rules: GroupRules,
  publish: () => void,
): Promise<boolean> {
  const plan = state.plan!;
  const { workflowId, firstExecutionRunId } = workflowInfo();
  // Previews only read, so twice the window keeps the worker's activity slots busy.
  await runWindow(
    input,
    Math.min(2 * input.pagesInFlight, 40),
    () => plan.nextOffset < state.employeesTotal,
    async () => {
      const offset = plan.nextOffset;
      plan.nextOffset += input.pageSize;
      const child: ChildWorkflowHandle<typeof importPage> = await startChild(importPage, {
        workflowId: planWorkflowId(workflowId, firstExecutionRunId, offset, runKeyLength()),
        args: [
          pageRequest(input, scan, rules, {
            offset,
            groupRules: rules,
            updatedSince: state.sync?.updatedSince,
            mode: 'plan',
          }),
        ],
      });
      return { result: child.result() };
    },
    (done) => {
      recordPlanned(input, state, done, publish);
      // The directory may have grown since the scan: read on to its current end.
      state.employeesTotal = Math.max(state.employeesTotal, done.totalElements);
    },
  );
  if (plan.nextOffset < state.employeesTotal) return false;
  sortPlannedOffsets(plan);
  return true;
}

/**
 * Runs page children, at most `pagesInFlight` at a time. After a preview, only the pages it
 * found something to write on are applied (the others' planned outcomes are already
 * counted); before previews existed, every page up to the directory's end.
 */
export async function stagePages(
  input: ImportInput,
  state: ImportState,
  scan: DirectoryScan,
  groups: EnsuredGroups,
  rules: GroupRules,
  publish: () => void,
): Promise<boolean> {
  const { workflowId, firstExecutionRunId } = workflowInfo();
  const plan = state.plan;
  const { hasNext, next } = plan
    ? pageCursor(input, state, plan.offsetsToApply, {
        get: () => plan.applyStarted,
        set: (at) => (plan.applyStarted = at),
      })
    : pageCursor(input, state, null, {
        get: () => state.nextPageOffset,
        set: (at) => (state.nextPageOffset = at),
      });
  await runWindow(
    input,
    input.pagesInFlight,
    hasNext,
    async () => {
      const offset = next();
      const child: ChildWorkflowHandle<typeof importPage> = await startChild(importPage, {
        workflowId: pageWorkflowId(workflowId, firstExecutionRunId, offset, runKeyLength()),
        args: [
          pageRequest(input, scan, groups, {
            offset,
            ...(plan ? { groupRules: rules } : {}),
            updatedSince: state.sync?.updatedSince,
          }),
        ],
      });
      return { result: child.result() };
    },
    (done) => recordApplied(state, done, publish),
  );
  return !hasNext();
}

/** Links managers page by page (one activity each), with the same window and pause rule. */
export async function linkManagers(
  input: ImportInput,
  state: ImportState,
  scan: DirectoryScan,
): Promise<boolean> {
  // After a preview that creates nobody, only the pages it saw a manager change on are linked
  // (a re-run with nothing to do links none); otherwise every page, as new users need managers.
  // `nextManagerOffset` then counts pages of that list, not employees.
  const plan = state.plan;
  const only = plan?.offsetsToLink && plan.counts.created === 0 ? plan.offsetsToLink : null;
  const { hasNext, next } = pageCursor(input, state, only, {
    get: () => state.nextManagerOffset,
    set: (at) => (state.nextManagerOffset = at),
  });
  await runWindow(
    input,
    input.pagesInFlight,
    hasNext,
    () => {
      const offset = next();
      const result = linkManagersForPage({
        offset,
        limit: input.pageSize,
        supervisorCycle: scan.supervisorCycle,
        dryRun: input.dryRun,
        ...(state.sync?.updatedSince ? { updatedSince: state.sync.updatedSince } : {}),
      });
      return Promise.resolve({ result });
    },
    (links) => recordLinks(state, links),
  );
  return !hasNext();
}

/**
 * Page children carry the whole first run id (two runs started within a minute share its
 * first 8 characters); patched, so runs recorded before replay with the short form.
 */
function runKeyLength(): RunKeyLength {
  return patched('page-ids-whole-run-id') ? 'whole' : 'short';
}
