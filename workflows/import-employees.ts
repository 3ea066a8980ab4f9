/**
 * The import: authenticate → scan the directory → ensure groups → stage every page (a child
 * workflow per page, a window of pages in flight) → link managers → bind groups to
 * applications → notify. The parent carries only cursors, counters and the bounded list of
 * problems, never employee data, and continues as new before its history grows large, so
 * 100,000 employees fit.
 */
import {
  ApplicationFailure,
  CancellationScope,
  ContinueAsNew,
  condition,
  isCancellation,
  continueAsNew,
  metricMeter,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setCurrentDetails,
  setHandler,
  startChild,
  upsertSearchAttributes,
  workflowInfo,
  type ChildWorkflowHandle,
} from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import type { StateSeal } from '../activities/carried-state.js';
import type { EnsuredGroups } from '../activities/groups.js';
import type { DirectoryScan } from '../activities/scan-directory.js';
import type { ManagerLinks } from '../activities/link-managers.js';
import { departmentKey } from '../domain/directory-scan.js';
import {
  parseImportInput,
  groupNameForDepartment,
  type ImportInput,
  type InputProblem,
} from '../domain/import-input.js';
import {
  addOutcomeCounts,
  collectProblems,
  emptyOutcomeCounts,
  MAX_REPORTED_PROBLEMS,
  totalOutcomes,
  type EmployeeResult,
  type ImportPhase,
  type OutcomeCounts,
} from '../domain/outcomes.js';
import {
  importEmployeesFailedKey,
  importEmployeesProcessedKey,
  importPhaseKey,
} from '../domain/search-attributes.js';
import { EMPLOYEES_PROCESSED, IMPORT_DURATION, IMPORTS_FINISHED } from '../domain/metric-names.js';
import { safeguardBreaches, type SafeguardRules } from '../domain/safeguards.js';
import { countsLine, summaryText } from '../domain/summary.js';
import type { GroupRules } from '../domain/page-groups.js';
import { credentialCheck, longRead, notifyCall, shortCall, workerCheck } from './activity-options.js';
import {
  approveUpdate,
  pageWorkflowId,
  planWorkflowId,
  progressQuery,
  rejectUpdate,
  type ApprovalDecisionInput,
  type ApprovalRecord,
  type ImportReport,
  type PageReport,
  type PlanSummary,
  type RunKeyLength,
} from './import-api.js';
import { importPage, type PageRequest } from './import-page.js';
import { heldPages, type HeldPages } from './held-pages.js';
import { stepSealRequest, type PageStep, type PageStepDone } from './directory-page-api.js';
import { nextSyncState, parseDuration, resolveSyncWindow, type SyncWindow } from './sync-window.js';

const { checkCredentials } = proxyActivities<Activities>(credentialCheck);
const { checkImportInput, sealCarriedState, checkCarriedState, digestPlan, verifyApproval } =
  proxyLocalActivities<Activities>(workerCheck);
const { scanDirectory, readDirectory } = proxyActivities<Activities>(longRead);
const {
  countChangedEmployees,
  ensureGroups,
  linkManagersForPage,
  bindGroupsToApplications,
  sendNotification,
} = proxyActivities<Activities>(shortCall);
const { sendEmailNotification, sendWebhookNotification } = proxyActivities<Activities>(notifyCall);

/** Search attributes are updated at most every this many pages (each update is an event). */
const SEARCH_ATTRIBUTE_EVERY_PAGES = 10;

/** Everything the import needs to go on after continue-as-new. */
export interface ImportState {
  startedAt: number;
  phase: ImportPhase;
  scan: DirectoryScan | null;
  groups: EnsuredGroups | null;
  employeesTotal: number;
  nextPageOffset: number;
  pagesDone: number;
  counts: OutcomeCounts;
  problems: EmployeeResult[];
  truncated: boolean;
  nextManagerOffset: number;
  managers: ImportReport['managers'];
  /** The preview pass (runs started before it existed have none). */
  plan?: PlanState;
  approval?: ApprovalRecord | null;
  /** Groups as the preview saw them (missing ones as placeholders), before any is created. */
  planGroups?: EnsuredGroups | null;
  /** Full or delta, decided once at the start (runs started before it existed: full). */
  sync?: SyncWindow;
  /** The safeguards the worker's import policy gave this run (absent before the policy existed). */
  safeguards?: SafeguardRules | null;
  /**
   * The pages this run read once and holds (workflows/directory-page.ts); absent in runs
   * that read each page again where it was needed.
   */
  held?: HeldPages;
  /** Requests this run sent to Personio. */
  personioRequests?: number;
}

interface PlanState extends PlanSummary {
  nextOffset: number;
  /** Offsets of the pages to apply, in order, and how many of them are started. */
  offsetsToApply: number[];
  applyStarted: number;
  /** Offsets of the pages whose managers would change (used when the run creates nobody). */
  offsetsToLink?: number[];
}

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
  const state: ImportState = carried ?? {
    startedAt: Date.now(),
    phase: 'authenticating',
    scan: null,
    groups: null,
    employeesTotal: 0,
    nextPageOffset: 0,
    pagesDone: 0,
    counts: emptyOutcomeCounts(),
    problems: [],
    truncated: false,
    nextManagerOffset: 0,
    managers: { linked: 0, cleared: 0, unchanged: 0, notes: [], notesTruncated: false },
    ...(policySafeguards !== undefined ? { safeguards: policySafeguards } : {}),
  };
  if (state.safeguards !== undefined) input.safeguards = state.safeguards;
  // A scheduled run learns the last successful run's watermark from its result (lastResult).
  state.sync ??= resolveSyncWindow({
    sync: input.sync,
    lastResult: workflowInfo().lastResult,
    now: state.startedAt,
    dryRun: input.dryRun,
  });
  const updatedSince = state.sync.updatedSince;
  const pagesTotal = () => state.held?.offsets.length ?? Math.ceil(state.employeesTotal / input.pageSize);
  const pages = heldPages(workflowInfo().workflowId, workflowInfo().firstExecutionRunId);
  setHandler(progressQuery, () => {
    // While previewing, progress is the preview's; from then on, what was done.
    const planning = state.phase === 'planning' && state.plan ? state.plan : null;
    const counts = planning ? planning.counts : state.counts;
    return {
      phase: state.phase,
      pagesDone: planning ? planning.pagesPlanned : state.pagesDone,
      pagesTotal: state.scan ? pagesTotal() : null,
      employeesProcessed: totalOutcomes(counts),
      employeesTotal: state.scan ? state.employeesTotal : null,
      counts,
      awaitingApproval:
        state.phase === 'awaiting-approval' && state.approval
          ? {
              reasons: state.approval.reasons,
              expiresAt: state.approval.expiresAt,
              ...(state.approval.planDigest ? { planDigest: state.approval.planDigest } : {}),
            }
          : null,
      firstRunId: workflowInfo().firstExecutionRunId,
      ...(state.held
        ? {
            heldPages: state.held.offsets.length,
            pageSize: input.pageSize,
            applyingOffsets: pages.inFlight().step === 'apply' ? pages.inFlight().offsets : [],
          }
        : {}),
    };
  });
  // The safeguards' decision: accepted only while this run waits for one. A run that holds a
  // plan digest takes only a decision signed by a listed approver over that plan (checked on
  // the worker: activities/approval.ts); runs recorded before signed approvals take `by`.
  const decide = (decision: 'approved' | 'rejected') => async (answer: ApprovalDecisionInput) => {
    const waitingOn = state.approval!;
    let by = answer.by.trim();
    let keyId: string | undefined;
    let at = new Date().toISOString();
    if (waitingOn.planDigest !== undefined) {
      const { workflowId, runId, firstExecutionRunId } = workflowInfo();
      const signed = answer.signed!;
      const verdict = await verifyApproval({
        statement: {
          workflowId: signed.workflowId,
          runId: signed.runId,
          planDigest: signed.planDigest,
          decision: signed.decision,
          by,
          at: signed.at,
        },
        signature: signed.signature,
        expected: {
          workflowId,
          runId,
          planDigest: waitingOn.planDigest,
          decision: decision === 'approved' ? 'approve' : 'reject',
        },
        requestedAt: waitingOn.requestedAt,
        now: at,
        firstRunId: firstExecutionRunId,
      });
      if (!verdict.ok)
        throw ApplicationFailure.create({ type: 'ApprovalRefused', message: `refused: ${verdict.reason}` });
      if (state.approval!.decision !== null)
        throw ApplicationFailure.create({
          type: 'ApprovalRefused',
          message: 'refused: this import was decided meanwhile',
        });
      ({ name: by, keyId } = verdict);
      at = signed.at;
    }
    state.approval = {
      ...state.approval!,
      decision,
      by,
      ...(keyId ? { keyId } : {}),
      at,
      comment: answer.comment?.trim() || null,
    };
    // Temporal Web's details line names the approver and key (signed decisions only: runs
    // recorded before replay without this command).
    if (keyId) publish();
    return state.approval;
  };
  const validateDecision = (answer: ApprovalDecisionInput) => {
    if (state.phase !== 'awaiting-approval' || !state.approval || state.approval.decision !== null)
      throw new Error(`this import is not waiting for approval (phase: ${state.phase})`);
    if (typeof answer?.by !== 'string' || answer.by.trim() === '' || answer.by.length > 200)
      throw new Error('`by` must name who decides (1 to 200 characters), e.g. {"by": "jane@example.com"}');
    if (answer.comment !== undefined && (typeof answer.comment !== 'string' || answer.comment.length > 1000))
      throw new Error('`comment` must be text of at most 1000 characters');
    if (state.approval.planDigest !== undefined) {
      const s = answer.signed;
      const text = (v: unknown) => typeof v === 'string' && v.length > 0 && v.length <= 500;
      if (!s || ![s.workflowId, s.runId, s.planDigest, s.decision, s.at, s.signature].every(text))
        throw new Error(
          'a decision must be signed by an approver key: npm run cli -- approve --by NAME --key FILE (see approver-key create)',
        );
    }
  };
  setHandler(approveUpdate, decide('approved'), { validator: validateDecision });
  setHandler(rejectUpdate, decide('rejected'), { validator: validateDecision });

  const enter = (phase: ImportPhase) => {
    state.phase = phase;
    publish();
  };
  const publish = () => {
    upsertSearchAttributes([
      { key: importPhaseKey, value: state.phase },
      { key: importEmployeesProcessedKey, value: totalOutcomes(state.counts) },
      { key: importEmployeesFailedKey, value: state.counts.failed },
    ]);
    const decided = state.approval?.keyId
      ? ` · ${state.approval.decision} by ${state.approval.by} (key ${state.approval.keyId})`
      : '';
    setCurrentDetails(
      `**${state.phase}**${input.dryRun ? ' (dry run)' : ''} · pages ${state.pagesDone}/${state.scan ? pagesTotal() : '?'} · ${countsLine(state.counts)}${decided}`,
    );
  };

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
        const { pageOffsets, personioRequests, ...scan } = await readDirectory({
          importWorkflowId: workflowInfo().workflowId,
          firstRunId: workflowInfo().firstExecutionRunId,
          pageSize: input.pageSize,
          idleTimeoutMs: pageIdleTimeoutMs(input),
        });
        state.scan = scan;
        state.held = { offsets: pageOffsets, planned: 0, released: 0 };
        state.personioRequests = (state.personioRequests ?? 0) + personioRequests;
      } else state.scan = await scanDirectory(input.pageSize);
      state.employeesTotal = changed ?? state.scan.employeesTotal;
      // Every run previews first (patched: runs recorded before replay without it).
      enter(patched('plan-before-apply') ? 'planning' : 'preparing-groups');
    }
    const scan = state.scan!;
    const groupPlan = {
      allEmployeesGroup: input.groups.allEmployeesGroup,
      departmentGroups: input.groups.perDepartment
        ? scan.departments.map((department) => ({
            department,
            groupName: groupNameForDepartment(input.groups.departmentGroupPattern, department),
          }))
        : [],
    };

    if (state.phase === 'planning') {
      // Groups as they are (nothing is created before the plan is approved).
      state.planGroups ??= await ensureGroups(groupPlan, true);
      state.plan ??= {
        counts: emptyOutcomeCounts(),
        importedUsers: 0,
        pagesPlanned: 0,
        pagesToApply: 0,
        nextOffset: 0,
        offsetsToApply: [],
        offsetsToLink: [],
        applyStarted: 0,
      };
      const rules = groupRules(input, state.planGroups, groupPlan);
      const finished = state.held
        ? await planHeldPages(input, state, state.held, scan, rules, pages, publish)
        : await planPages(input, state, scan, rules, publish);
      if (!finished) await continueSealed(rawInput, state);
      if (input.dryRun) {
        state.groups = state.planGroups;
        enter('linking-managers');
      } else {
        const reasons = safeguardBreaches(state.plan, input.safeguards);
        if (reasons.length > 0) {
          const now = Date.now();
          state.approval = {
            reasons,
            requestedAt: new Date(now).toISOString(),
            expiresAt: new Date(now + (parseDuration(input.safeguards!.approvalTimeout) ?? 0)).toISOString(),
            decision: null,
            by: null,
            at: null,
            comment: null,
          };
          // What an approver signs: this run's plan (patched: runs recorded before take `by` alone).
          if (patched('signed-approvals')) {
            const { workflowId, runId, firstExecutionRunId } = workflowInfo();
            state.approval.planDigest = await digestPlan({
              workflowId,
              runId,
              firstExecutionRunId,
              plan: state.plan,
              reasons,
            });
          }
          enter('awaiting-approval');
          await requestApproval(input, state, perChannel);
        } else enter('preparing-groups');
      }
    }

    if (state.phase === 'awaiting-approval') {
      const approval = state.approval!;
      const decided = await condition(
        () => state.approval!.decision !== null,
        Math.max(0, Date.parse(approval.expiresAt) - Date.now()),
      );
      if (!decided)
        state.approval = { ...state.approval!, decision: 'expired', at: new Date().toISOString() };
      if (state.approval!.decision === 'approved') enter('preparing-groups');
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

    const processed = totalOutcomes(state.counts);
    const wanted =
      input.notify.when === 'always' || (input.notify.when === 'auto' && processed > input.notify.threshold);
    if (wanted) {
      enter('notifying');
      const text = summaryText({
        dryRun: input.dryRun,
        employeesTotal: state.employeesTotal,
        counts: state.counts,
        problems: state.problems,
        truncated: state.truncated,
        managersLinked: state.managers.linked + state.managers.cleared,
        managerNotes: state.managers.notes.length,
        groupsCreated: groups.created,
        groupsRefused: groups.refused ?? [],
        bindings: bindings.bound.length,
        missingApplications: bindings.missingApplications,
        durationMs: report.durationMs,
      });
      report.notified = await deliver(perChannel, {
        subject: `Personio import ${input.dryRun ? 'preview' : 'finished'}: ${processed} employees (${state.counts.failed} failed)`,
        text,
        summary: {
          workflowId: workflowInfo().workflowId,
          counts: state.counts,
          employeesTotal: state.employeesTotal,
        },
        email: input.notify.email,
        webhookUrl: input.notify.webhookUrl,
      });
    }
    enter('done');
    metricMeter
      .createCounter(IMPORTS_FINISHED, 'imports', 'finished imports')
      .add(1, { dryRun: String(input.dryRun) });
    metricMeter
      .createHistogram(IMPORT_DURATION, 'float', 's', 'wall time of finished imports')
      .record(report.durationMs / 1000, { dryRun: String(input.dryRun) });
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

/**
 * Sends a notification: each channel an activity of its own with a few attempts, so a retry
 * re-sends only the channel that failed, and a channel that still fails is reported, not fatal
 * (patched: runs recorded before send both in one activity).
 */
type Notification = Parameters<Activities['sendNotification']>[0];
async function deliver(
  perChannel: boolean,
  notification: Notification,
): ReturnType<Activities['sendNotification']> {
  // Runs recorded between the two patches decided here, right before sending.
  if (!perChannel && !patched('notify-per-channel')) return sendNotification(notification);
  const [email, webhook] = await Promise.allSettled([
    sendEmailNotification(notification),
    sendWebhookNotification(notification),
  ]);
  const why = (err: unknown) => {
    let cause = err as Error | undefined;
    while (cause?.cause) cause = cause.cause as Error;
    return (cause?.message ?? 'failed').slice(0, 300);
  };
  const failed: string[] = [];
  if (email.status === 'rejected') failed.push(`email: ${why(email.reason)}`);
  if (webhook.status === 'rejected') failed.push(`webhook: ${why(webhook.reason)}`);
  return {
    emailedTo: email.status === 'fulfilled' ? email.value.emailedTo : [],
    webhook: webhook.status === 'fulfilled' && webhook.value,
    skipped: email.status === 'fulfilled' ? email.value.skipped : [],
    ...(failed.length > 0 ? { failed } : {}),
  };
}

function forgedState(why: string): ApplicationFailure {
  return ApplicationFailure.create({
    type: 'ForgedState',
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
    type: 'InvalidImportInput',
    message: `The import input is invalid: ${problems.map((p) => p.message).join('; ')}${more}`,
    nonRetryable: true,
    details: [problems],
  });
}

/** Workflow metrics are replay-safe (not emitted again on replay), so these counts are exact. */
function countEmployees(counts: OutcomeCounts): void {
  const counter = metricMeter.createCounter(
    EMPLOYEES_PROCESSED,
    'employees',
    'employees finished, by outcome',
  );
  for (const [outcome, n] of Object.entries(counts)) if (n > 0) counter.add(n, { outcome });
}

/**
 * Runs page children, at most `pagesInFlight` at a time, until every page is done (true) or
 * the history is large enough that the caller should continue as new (false). Either way no
 * child is left in flight. After a preview, only the pages it found something to write on
 * are applied (the others' planned outcomes are already counted); before previews existed,
 * every page up to the directory's end.
 */
async function stagePages(
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
          { ...pageRequest(input, state, scan, groups, offset), ...(plan ? { groupRules: rules } : {}) },
        ],
      });
      return { result: child.result() };
    },
    (done) => recordApplied(state, done, publish),
  );
  return !hasNext();
}

/** A page applied: its outcomes join the run's. */
function recordApplied(state: ImportState, done: PageReport, publish: () => void): void {
  state.pagesDone++;
  state.counts = addOutcomeCounts(state.counts, done.counts);
  countEmployees(done.counts);
  ({ problems: state.problems, truncated: state.truncated } = collectProblems(state, done.results));
  // Before previews, the directory may have grown since the scan: read on to its current end.
  if (!state.plan) state.employeesTotal = Math.max(state.employeesTotal, done.totalElements);
  if (state.pagesDone % SEARCH_ATTRIBUTE_EVERY_PAGES === 0) publish();
}

/**
 * The preview: every page planned by a child of its own (one activity: reads only), a
 * window of them at a time. A page with nothing to write is done here (its planned outcomes
 * are the run's); the others are listed to be applied.
 */
async function planPages(
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
          {
            ...pageRequest(input, state, scan, rules, offset),
            dryRun: true,
            groupRules: rules,
            supervisorCycle: scan.supervisorCycle,
            mode: 'plan',
          },
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

/** Pages finish in any order; apply and link them in directory order. */
function sortPlannedOffsets(plan: PlanState): void {
  plan.offsetsToApply.sort((x, y) => x - y);
  plan.offsetsToLink?.sort((x, y) => x - y);
}

/** A page planned: its counts join the plan; with nothing to write, its plan is its outcome. */
function recordPlanned(input: ImportInput, state: ImportState, done: PageReport, publish: () => void): void {
  const plan = state.plan!;
  plan.pagesPlanned++;
  plan.counts = addOutcomeCounts(plan.counts, done.counts);
  plan.importedUsers += done.planned?.importedUsers ?? 0;
  if ((done.planned?.managerChanges ?? 0) > 0) plan.offsetsToLink?.push(done.offset);
  if (done.planned?.writes && !input.dryRun) {
    plan.offsetsToApply.push(done.offset);
    plan.pagesToApply++;
  } else {
    // Nothing to write on this page (or a dry run): its plan is its outcome.
    state.pagesDone++;
    state.counts = addOutcomeCounts(state.counts, done.counts);
    if (!input.dryRun) countEmployees(done.counts);
    ({ problems: state.problems, truncated: state.truncated } = collectProblems(state, done.results));
  }
  if (plan.pagesPlanned % SEARCH_ATTRIBUTE_EVERY_PAGES === 0) publish();
}

/**
 * Walks pages: the offsets of `list` (the position is an index into it), or, without one,
 * every page up to the directory's current end (the position is the next offset). The
 * position lives in the import's state, so it survives continue-as-new.
 */
function pageCursor(
  input: ImportInput,
  state: ImportState,
  list: readonly number[] | null,
  position: { get(): number; set(at: number): void },
): { hasNext: () => boolean; next: () => number } {
  return {
    hasNext: () => position.get() < (list ? list.length : state.employeesTotal),
    next: () => {
      const at = position.get();
      position.set(list ? at + 1 : at + input.pageSize);
      return list ? list[at]! : at;
    },
  };
}

/**
 * Keeps up to `window` pieces of work (page children, manager activities) running while there
 * is more to start and the history has room; hands each finished one to `onDone`. Returns
 * with nothing in flight.
 */
async function runWindow<T>(
  input: ImportInput,
  window: number,
  hasNext: () => boolean,
  /** Starts the next piece; resolves once it is started, with its eventual result. */
  start: () => Promise<{ result: Promise<T> }>,
  onDone: (done: T) => void,
): Promise<void> {
  const inFlight = new Map<number, Promise<{ id: number; page: T }>>();
  const shouldPause = () => historyIsLarge(input);
  let key = 0;
  while (inFlight.size > 0 || (hasNext() && !shouldPause())) {
    while (inFlight.size < window && hasNext() && !shouldPause()) {
      const { result } = await start();
      const id = key++;
      inFlight.set(
        id,
        result.then((page) => ({ id, page })),
      );
    }
    if (inFlight.size === 0) break;
    // One finished piece per turn: removed here, not when it settles, so none is lost when
    // several settle at once.
    const { id, page } = await Promise.race([...inFlight.values()]);
    inFlight.delete(id);
    onDone(page);
  }
}

/** What every page child gets: the page, the scan's answers, the groups, the rules. */
function pageRequest(
  input: ImportInput,
  state: ImportState,
  scan: DirectoryScan,
  groups: Pick<EnsuredGroups, 'allEmployeesGroupId' | 'departmentGroupIds'>,
  offset: number,
): PageRequest {
  return {
    offset,
    limit: input.pageSize,
    heldBack: scan.heldBack,
    idSuffixedUsernames: scan.idSuffixedUsernames,
    allEmployeesGroupId: groups.allEmployeesGroupId,
    departmentGroupIds: groups.departmentGroupIds,
    createState: input.createState,
    allowReactivation: input.allowReactivation,
    dryRun: input.dryRun,
    ...(state.sync?.updatedSince ? { updatedSince: state.sync.updatedSince } : {}),
    ...(input.activation.onHireDate
      ? { activation: { localTime: input.activation.localTime, timeZone: input.activation.timeZone } }
      : {}),
  };
}

/** The import's groups as the page steps need them: ids, names, and the leave rules. */
function groupRules(
  input: ImportInput,
  groups: EnsuredGroups,
  plan: { allEmployeesGroup: string | null; departmentGroups: { department: string; groupName: string }[] },
): GroupRules {
  const groupNames: Record<string, string> = {};
  if (groups.allEmployeesGroupId && plan.allEmployeesGroup)
    groupNames[groups.allEmployeesGroupId] = plan.allEmployeesGroup;
  for (const { department, groupName } of plan.departmentGroups) {
    const id = groups.departmentGroupIds[departmentKey(department)];
    if (id) groupNames[id] = groupName;
  }
  return {
    allEmployeesGroupId: groups.allEmployeesGroupId,
    departmentGroupIds: groups.departmentGroupIds,
    departmentGroupPattern: input.groups.perDepartment ? input.groups.departmentGroupPattern : null,
    removeLeavers: input.groups.removeLeavers,
    groupNames,
  };
}

/** Tells the admin a run waits for them: what it would do, why it paused, how to decide. */
async function requestApproval(input: ImportInput, state: ImportState, perChannel: boolean): Promise<void> {
  const approval = state.approval!;
  const { workflowId } = workflowInfo();
  const text = [
    `A Personio → JumpCloud import is waiting for approval before it writes anything.`,
    `Why: ${approval.reasons.join('; ')}.`,
    `Plan: ${countsLine(state.plan!.counts)} (${state.plan!.importedUsers} employees already in JumpCloud).`,
    `It rejects itself at ${approval.expiresAt} unless someone decides:`,
    `  npm run cli -- approve ${workflowId} --by <approver name> --key <private key file>     (or: reject)`,
    `  temporal workflow update execute --workflow-id ${workflowId} --name approve --input '<the signed decision: README, Approval safeguards>' --codec-endpoint <your codec server, e.g. http://127.0.0.1:8888>`,
    `The full plan: npm run cli -- report ${workflowId} --format csv`,
  ].join('\n');
  await deliver(perChannel, {
    subject: `Personio import needs approval: ${approval.reasons[0] ?? ''}`,
    text,
    summary: { workflowId, awaitingApproval: approval.reasons, counts: state.plan!.counts },
    email: input.notify.email,
    webhookUrl: input.notify.webhookUrl,
  });
}

/** The run's report; `bindings` is null when nothing was applied (rejected at approval). */
function finishedReport(
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

/**
 * Page children carry the whole first run id (two runs started within a minute share its
 * first 8 characters); patched, so runs recorded before replay with the short form.
 */
function runKeyLength(): RunKeyLength {
  return patched('page-ids-whole-run-id') ? 'whole' : 'short';
}

/** Time to continue as new: past the input's event budget, or when the server suggests it. */
function historyIsLarge(input: ImportInput): boolean {
  const info = workflowInfo();
  return info.historyLength > input.continueAsNewAfterEvents || info.continueAsNewSuggested;
}

/** Links managers page by page (one activity each), with the same window and pause rule. */
async function linkManagers(input: ImportInput, state: ImportState, scan: DirectoryScan): Promise<boolean> {
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

/** A page's managers linked: the counts and (a bounded list of) notes join the run's. */
function recordLinks(state: ImportState, links: ManagerLinks): void {
  const m = state.managers;
  m.linked += links.linked;
  m.cleared += links.cleared;
  m.unchanged += links.unchanged;
  const room = MAX_REPORTED_PROBLEMS - m.notes.length;
  m.notes.push(...links.notes.slice(0, Math.max(0, room)));
  m.notesTruncated ||= links.notes.length > room;
}

// ---------------------------------------------------------------------------------------------
// The same steps over the pages this run holds (each read once: workflows/directory-page.ts).

type Pages = ReturnType<typeof heldPages>;

/** A held page's report (the same shape a page child returned). */
function reportOf(done: PageStepDone): PageReport {
  return done.report!;
}

/** The preview over the held pages: every page planned, a window at a time. */
async function planHeldPages(
  input: ImportInput,
  state: ImportState,
  held: HeldPages,
  scan: DirectoryScan,
  rules: GroupRules,
  pages: Pages,
  publish: () => void,
): Promise<boolean> {
  const request = {
    ...pageRequest(input, state, scan, rules, 0),
    dryRun: true,
    groupRules: rules,
    supervisorCycle: scan.supervisorCycle,
    // From the run's one read: no page re-reads an off-page supervisor from Personio.
    supervisorsNotImported: scan.supervisorsNotImported,
    mode: 'plan' as const,
  };
  const seal = await sealStep('plan', request);
  await pages.run({
    step: 'plan',
    // Planning only reads JumpCloud, so twice the window keeps the worker's activity slots busy.
    window: Math.min(2 * input.pagesInFlight, 40),
    hasNext: () => held.planned < held.offsets.length,
    next: () => held.offsets[held.planned++]!,
    command: (offset) => ({ step: 'plan', request: { ...request, offset }, seal }),
    onDone: (done) => recordPlanned(input, state, reportOf(done), publish),
    shouldPause: () => historyIsLarge(input),
  });
  if (held.planned < held.offsets.length) return false;
  sortPlannedOffsets(state.plan!);
  return true;
}

/** Applies the held pages the preview found something to write on. */
async function applyHeldPages(
  input: ImportInput,
  state: ImportState,
  held: HeldPages,
  scan: DirectoryScan,
  groups: EnsuredGroups,
  rules: GroupRules,
  pages: Pages,
  publish: () => void,
): Promise<boolean> {
  const plan = state.plan!;
  const request = { ...pageRequest(input, state, scan, groups, 0), groupRules: rules };
  const seal = await sealStep('apply', request);
  await pages.run({
    step: 'apply',
    window: input.pagesInFlight,
    hasNext: () => plan.applyStarted < plan.offsetsToApply.length,
    next: () => plan.offsetsToApply[plan.applyStarted++]!,
    command: (offset) => ({ step: 'apply', request: { ...request, offset }, seal }),
    onDone: (done) => recordApplied(state, reportOf(done), publish),
    shouldPause: () => historyIsLarge(input),
  });
  return plan.applyStarted >= plan.offsetsToApply.length;
}

/**
 * Links managers on the held pages (all of them when the run creates users, else only those
 * the preview saw a change on), then releases the pages with nothing left to do.
 */
async function linkHeldManagers(
  input: ImportInput,
  state: ImportState,
  held: HeldPages,
  scan: DirectoryScan,
  pages: Pages,
): Promise<boolean> {
  const plan = state.plan!;
  const list = plan.offsetsToLink && plan.counts.created === 0 ? plan.offsetsToLink : held.offsets;
  const request = {
    supervisorCycle: scan.supervisorCycle,
    dryRun: input.dryRun,
    ...(state.sync?.updatedSince ? { updatedSince: state.sync.updatedSince } : {}),
  };
  const seal = await sealStep('link', request);
  await pages.run({
    step: 'link',
    window: input.pagesInFlight,
    hasNext: () => state.nextManagerOffset < list.length,
    next: () => list[state.nextManagerOffset++]!,
    command: () => ({ step: 'link', request, seal }),
    onDone: (done) => recordLinks(state, done.links!),
    shouldPause: () => historyIsLarge(input),
  });
  if (state.nextManagerOffset < list.length) return false;
  // A page ends after its managers; the others are told to end.
  return pages.release(held, new Set(list), () => historyIsLarge(input));
}

/** The worker seals a step's request once; every page checks the seal before it acts. */
function sealStep(step: PageStep, request: unknown): Promise<StateSeal> {
  const { workflowId, firstExecutionRunId } = workflowInfo();
  return sealCarriedState(stepSealRequest(workflowId, firstExecutionRunId, step, request));
}

/**
 * How long a held page waits for its next step before ending by itself: long enough for any
 * approval (the run waits at most the approval timeout), short enough that the pages of a
 * terminated import do not linger.
 */
function pageIdleTimeoutMs(input: ImportInput): number {
  const approval = input.safeguards ? (parseDuration(input.safeguards.approvalTimeout) ?? 0) : 0;
  return approval + 7 * 24 * 3_600_000;
}
