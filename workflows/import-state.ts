/**
 * The import's state: what it carries across continue-as-new (cursors, counters, the bounded
 * list of problems, never employee data), how a finished page's report joins it, and how the
 * state is shown (the progress query, the search attributes, Temporal Web's details line).
 * Call from workflow code.
 */
import {
  metricMeter,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { EnsuredGroups } from '../activities/groups.js';
import type { ManagerLinks } from '../activities/link-managers.js';
import type { DirectoryScan } from '../activities/scan-directory.js';
import type { ImportInput } from '../domain/import-input.js';
import { EMPLOYEES_PROCESSED } from '../domain/metric-names.js';
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
import type { SafeguardRules } from '../domain/safeguards.js';
import {
  importEmployeesFailedKey,
  importEmployeesProcessedKey,
  importPhaseKey,
} from '../domain/search-attributes.js';
import { countsLine } from '../domain/summary.js';
import type { HeldPages, heldPages } from './held-pages.js';
import {
  progressQuery,
  type ApprovalRecord,
  type ImportReport,
  type PageReport,
  type PlanSummary,
} from './import-api.js';
import type { SyncWindow } from './sync-window.js';

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

export interface PlanState extends PlanSummary {
  nextOffset: number;
  /** Offsets of the pages to apply, in order, and how many of them are started. */
  offsetsToApply: number[];
  applyStarted: number;
  /** Offsets of the pages whose managers would change (used when the run creates nobody). */
  offsetsToLink?: number[];
}

/** A first run's state; `safeguards` is the policy's verdict (undefined: runs recorded before it). */
export function newImportState(safeguards: SafeguardRules | null | undefined): ImportState {
  return {
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
    ...(safeguards !== undefined ? { safeguards } : {}),
  };
}

/** The preview's state before its first page. */
export function newPlanState(): PlanState {
  return {
    counts: emptyOutcomeCounts(),
    importedUsers: 0,
    pagesPlanned: 0,
    pagesToApply: 0,
    nextOffset: 0,
    offsetsToApply: [],
    offsetsToLink: [],
    applyStarted: 0,
  };
}

export interface Progress {
  /** Moves the run to `phase` and publishes it. */
  enter: (phase: ImportPhase) => void;
  /** Publishes the state: search attributes and Temporal Web's details line. */
  publish: () => void;
  /** Pages in this run: those it holds, else the directory's size in pages. */
  pagesTotal: () => number;
}

/** Answers the progress query from the state, and publishes it where people look. */
export function trackProgress(
  input: ImportInput,
  state: ImportState,
  pages: ReturnType<typeof heldPages>,
): Progress {
  const pagesTotal = () => state.held?.offsets.length ?? Math.ceil(state.employeesTotal / input.pageSize);
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
  return {
    enter: (phase) => {
      state.phase = phase;
      publish();
    },
    publish,
    pagesTotal,
  };
}

/** A page planned: its counts join the plan; with nothing to write, its plan is its outcome. */
export function recordPlanned(
  input: ImportInput,
  state: ImportState,
  done: PageReport,
  publish: () => void,
): void {
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

/** Pages finish in any order; apply and link them in directory order. */
export function sortPlannedOffsets(plan: PlanState): void {
  plan.offsetsToApply.sort((x, y) => x - y);
  plan.offsetsToLink?.sort((x, y) => x - y);
}

/** A page applied: its outcomes join the run's. */
export function recordApplied(state: ImportState, done: PageReport, publish: () => void): void {
  state.pagesDone++;
  state.counts = addOutcomeCounts(state.counts, done.counts);
  countEmployees(done.counts);
  ({ problems: state.problems, truncated: state.truncated } = collectProblems(state, done.results));
  // Before previews, the directory may have grown since the scan: read on to its current end.
  if (!state.plan) state.employeesTotal = Math.max(state.employeesTotal, done.totalElements);
  if (state.pagesDone % SEARCH_ATTRIBUTE_EVERY_PAGES === 0) publish();
}

/** A page's managers linked: the counts and (a bounded list of) notes join the run's. */
export function recordLinks(state: ImportState, links: ManagerLinks): void {
  const m = state.managers;
  m.linked += links.linked;
  m.cleared += links.cleared;
  m.unchanged += links.unchanged;
  const room = MAX_REPORTED_PROBLEMS - m.notes.length;
  m.notes.push(...links.notes.slice(0, Math.max(0, room)));
  m.notesTruncated ||= links.notes.length > room;
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
