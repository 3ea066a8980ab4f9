/**
 * The import, as its step list: authenticate → scan (a delta run first asks whether anything
 * changed; the directory is read once, each page held by a workflow of its own) → preview
 * every page → approval (only when the plan breaks a safeguard) → ensure groups → apply the
 * pages with something to write → link managers → bind groups to applications → notify.
 *
 * Each step lives in a file of its own: the state and progress (import-state.ts), approval
 * (import-approval.ts), the page window (page-window.ts) and its two kinds of pages
 * (held-steps.ts; page-children.ts for runs recorded before), the report (import-report.ts)
 * and notifications (import-notify.ts). The import carries only cursors, counters and the
 * bounded list of problems, never employee data, and continues as new before its history
 * grows large, so 100,000 employees fit. Each step checks `state.phase`, so a run continued
 * as new resumes at the step it left.
 */
import {
  ApplicationFailure,
  CancellationScope,
  ContinueAsNew,
  continueAsNew,
  isCancellation,
  patched,
  proxyActivities,
  proxyLocalActivities,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import type { StateSeal } from '../activities/carried-state.js';
import { parseImportInput, type InputProblem } from '../domain/import-input.js';
import type { SafeguardRules } from '../domain/safeguards.js';
import { safeguardBreaches } from '../domain/safeguards.js';
import { credentialCheck, longRead, shortCall, workerCheck } from './activity-options.js';
import type { ImportReport } from './import-api.js';
import { awaitDecision, handleDecisions, openApproval, requestApproval } from './import-approval.js';
import { notificationWanted, notifyFinished } from './import-notify.js';
import { countFinished, finishedReport } from './import-report.js';
import { newImportState, newPlanState, trackProgress, type ImportState } from './import-state.js';
import { heldPages } from './held-pages.js';
import {
  applyHeldPages,
  linkHeldManagers,
  pageIdleTimeoutMs,
  planHeldPages,
  previewSettingsOf,
  recordReadPreview,
} from './held-steps.js';
import { linkManagers, planPages, stagePages } from './page-children.js';
import { groupPlanOf, groupRules } from '../domain/group-plan.js';
import { resolveSyncWindow } from './sync-window.js';
import { FORGED_STATE, INVALID_IMPORT_INPUT } from '../domain/failure-types.js';

const { checkCredentials } = proxyActivities<Activities>(credentialCheck);
const { checkImportInput, sealCarriedState, checkCarriedState } =
  proxyLocalActivities<Activities>(workerCheck);
const { scanDirectory, readDirectory } = proxyActivities<Activities>(longRead);
const { countChangedEmployees, ensureGroups, bindGroupsToApplications } =
  proxyActivities<Activities>(shortCall);

export type { ImportState } from './import-state.js';

export async function importEmployees(
  rawInput?: unknown,
  carried?: ImportState,
  seal?: StateSeal,
  ...extra: unknown[]
): Promise<ImportReport> {
  const parsed = parseImportInput(rawInput);
  if (!parsed.ok) throw invalidInput(parsed.problems);
  // Notifications per channel (patched at the start of a run: a patch decided right after a
  // local activity does not replay reliably; runs recorded before send both in one activity).
  const perChannel = patched('notify-per-channel-v2');
  // The preview plans 40 pages at once (patched at the start of a run, for the same reason;
  // runs recorded before planned twice the apply window at once).
  const widePlanWindow = patched('plan-window-40');
  // A state is only ever carried from this import's previous run, sealed by its worker; a
  // starter's (anyone's) is refused before any of it is used (patched: older runs replay as they ran).
  if ((carried != null || seal != null || extra.length > 0) && patched('sealed-continuation')) {
    const { workflowId, continuedFromExecutionRunId } = workflowInfo();
    if (extra.length > 0)
      throw forgedState(`the import takes one argument (its input); got ${3 + extra.length}`);
    if (!continuedFromExecutionRunId || carried == null)
      throw forgedState('only the import itself passes a second argument, when it continues as new');
    const problem = await checkCarriedState({
      workflowId,
      runId: continuedFromExecutionRunId,
      input: rawInput,
      state: carried,
      seal,
    });
    if (problem !== null) throw forgedState(problem);
  }
  const input = parsed.input;
  // The worker's import policy, checked by the worker itself (the input is anyone's): a first
  // run only, its verdict rides along in the state (patched: older runs replay without it).
  let policySafeguards: SafeguardRules | null | undefined;
  if (!carried && patched('import-policy')) {
    const verdict = await checkImportInput(rawInput);
    if (verdict.problems.length > 0) throw invalidInput(verdict.problems);
    policySafeguards = verdict.safeguards;
  }
  const state: ImportState = carried ?? newImportState(policySafeguards);
  if (state.safeguards !== undefined) input.safeguards = state.safeguards;
  // A scheduled run learns the last successful run's watermark from its result (lastResult).
  state.sync ??= resolveSyncWindow({
    sync: input.sync,
    lastResult: workflowInfo().lastResult,
    now: state.startedAt,
    dryRun: input.dryRun,
  });
  const updatedSince = state.sync.updatedSince;
  const pages = heldPages(workflowInfo().workflowId, workflowInfo().firstExecutionRunId);
  const { enter, publish } = trackProgress(input, state, pages);
  handleDecisions(state, publish);

  try {
    if (state.phase === 'authenticating') {
      publish();
      await checkCredentials();
      enter('scanning');
    }
    if (state.phase === 'scanning') {
      // A delta run first asks whether anything changed: a quiet tick ends here, writing nothing.
      const changed = updatedSince === null ? null : await countChangedEmployees(updatedSince);
      if (changed !== null) state.personioRequests = (state.personioRequests ?? 0) + 1;
      if (changed === 0) {
        enter('done');
        return finishedReport(
          input,
          state,
          { allEmployeesGroupId: null, departmentGroupIds: {}, created: [] },
          null,
        );
      }
      // The whole directory is read even for a delta: a changed email can collide with anyone's.
      // Each page is read once and held for the rest of the run (patched: runs recorded before
      // read each page again for the preview, the apply and the managers).
      if (patched('pages-read-once')) {
        // The read previews every page itself once it has them all (patched: runs recorded
        // before sent each page a plan step; a read that cannot still leaves it to the pages).
        const previewInRead = patched('preview-in-read');
        const { pageOffsets, personioRequests, preview, ...scan } = await readDirectory({
          importWorkflowId: workflowInfo().workflowId,
          firstRunId: workflowInfo().firstExecutionRunId,
          pageSize: input.pageSize,
          idleTimeoutMs: pageIdleTimeoutMs(input),
          ...(previewInRead
            ? { preview: { settings: previewSettingsOf(input), updatedSince: updatedSince ?? null } }
            : {}),
        });
        state.scan = scan;
        state.held = { offsets: pageOffsets, planned: 0, released: 0 };
        state.personioRequests = (state.personioRequests ?? 0) + personioRequests;
        if (preview) recordReadPreview(input, state, state.held, preview, publish);
      } else state.scan = await scanDirectory(input.pageSize);
      state.employeesTotal = changed ?? state.scan.employeesTotal;
      // Every run previews first (patched: runs recorded before replay without it).
      enter(patched('plan-before-apply') ? 'planning' : 'preparing-groups');
    }
    const scan = state.scan!;
    const groupPlan = groupPlanOf(input, scan);

    if (state.phase === 'planning') {
      // Groups as they are (nothing is created before the plan is approved).
      state.planGroups ??= await ensureGroups(groupPlan, true);
      state.plan ??= newPlanState();
      const rules = groupRules(input, state.planGroups, groupPlan);
      const finished = state.held
        ? state.held.plannedInRead ||
          (await planHeldPages(input, state, state.held, scan, rules, pages, publish, widePlanWindow))
        : await planPages(input, state, scan, rules, publish);
      if (!finished) await continueSealed(rawInput, state);
      if (input.dryRun) {
        state.groups = state.planGroups;
        enter('linking-managers');
      } else {
        const reasons = safeguardBreaches(state.plan, input.safeguards);
        if (reasons.length > 0) {
          await openApproval(input, state, reasons);
          enter('awaiting-approval');
          await requestApproval(input, state, perChannel);
        } else enter('preparing-groups');
      }
    }

    if (state.phase === 'awaiting-approval') {
      if (await awaitDecision(state)) enter('preparing-groups');
      else {
        // Rejected or expired: nothing was written; the report carries the plan and who decided.
        if (state.held) await pages.release(state.held, new Set(), () => false);
        enter('rejected');
        return finishedReport(input, state, state.planGroups!, null);
      }
    }

    if (state.phase === 'preparing-groups') {
      state.groups = await ensureGroups(groupPlan, input.dryRun);
      enter('staging');
    }
    const groups = state.groups!;

    if (state.phase === 'staging') {
      const rules = groupRules(input, groups, groupPlan);
      const finished = state.held
        ? await applyHeldPages(input, state, state.held, scan, groups, rules, pages, publish)
        : await stagePages(input, state, scan, groups, rules, publish);
      if (!finished) await continueSealed(rawInput, state);
      enter('linking-managers');
    }
    if (state.phase === 'linking-managers') {
      const finished = state.held
        ? await linkHeldManagers(input, state, state.held, scan, pages)
        : await linkManagers(input, state, scan);
      if (!finished) await continueSealed(rawInput, state);
      enter('binding-groups');
    }

    const groupIds = [groups.allEmployeesGroupId, ...Object.values(groups.departmentGroupIds)].filter(
      (id): id is string => id !== null,
    );
    enter('binding-groups');
    const bindings = await bindGroupsToApplications(input.applications, groupIds, input.dryRun);

    const report = finishedReport(input, state, groups, bindings);
    if (notificationWanted(input, state)) {
      enter('notifying');
      report.notified = await notifyFinished(input, state, groups, bindings, report, perChannel);
    }
    enter('done');
    countFinished(input, report);
    return report;
  } catch (err) {
    // Cancelled (from the CLI or Temporal Web): what was done stays done; say so where people
    // look (the progress query, Temporal Web's details, the phase search attribute).
    if (isCancellation(err)) {
      enter('cancelled');
      // The pages this run holds are told to end (they are not its children, so they would wait).
      const held = state.held;
      if (held) await CancellationScope.nonCancellable(() => pages.stop(held));
    } else if (state.held && !(err instanceof ContinueAsNew)) {
      // Failed for good (a page's step, rejected credentials): its pages have nothing left to do.
      await pages.stop(state.held);
    }
    throw err;
  }
}

function forgedState(why: string): ApplicationFailure {
  return ApplicationFailure.create({
    type: FORGED_STATE,
    message: `Refused: ${why}. Start an import with its input only.`,
    nonRetryable: true,
  });
}

/** Continues as new with the state sealed by the worker (activities/carried-state.ts). */
async function continueSealed(rawInput: unknown, state: ImportState): Promise<never> {
  if (!patched('sealed-continuation')) return continueAsNew<typeof importEmployees>(rawInput, state);
  const { workflowId, runId } = workflowInfo();
  const seal = await sealCarriedState({ workflowId, runId, input: rawInput, state });
  return continueAsNew<typeof importEmployees>(rawInput, state, seal);
}

/** A refused input: every problem named with its field, final (no retry makes it valid). */
function invalidInput(all: InputProblem[]): ApplicationFailure {
  // A hostile input can have thousands of problems: the first ones say enough (and fit a failure).
  const problems = all.slice(0, 20);
  const more = all.length > problems.length ? `; and ${all.length - problems.length} more problems` : '';
  return ApplicationFailure.create({
    type: INVALID_IMPORT_INPUT,
    message: `The import input is invalid: ${problems.map((p) => p.message).join('; ')}${more}`,
    nonRetryable: true,
    details: [problems],
  });
}
