/**
 * The import's page steps over the pages it read once and holds (workflows/directory-page.ts):
 * plan every page, apply those with something to write, link managers, then release the
 * pages with nothing left to do. Each step's request is sealed once by the worker; the pages
 * check the seal before they act. Call from workflow code.
 *
 * Each step runs until every page of its list has answered (true) or the history is large
 * enough to continue as new (false); where it stands lives in the import's state.
 */
import { proxyLocalActivities, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import type { StateSeal } from '../activities/carried-state.js';
import type { EnsuredGroups } from '../activities/groups.js';
import type { DirectoryScan } from '../activities/scan-directory.js';
import type { PreviewSettings, ReadPreview } from '../activities/read-preview.js';
import type { ImportInput } from '../domain/import-input.js';
import type { GroupRules } from '../domain/page-groups.js';
import { pageRequest } from '../domain/page-request.js';
import { workerCheck } from './activity-options.js';
import { stepSealRequest, type PageStep, type PageStepDone } from './directory-page-api.js';
import type { heldPages, HeldPages } from './held-pages.js';
import type { PageReport } from './import-api.js';
import {
  newPlanState,
  recordApplied,
  recordLinks,
  recordPlanned,
  sortPlannedOffsets,
  type ImportState,
} from './import-state.js';
import { historyIsLarge } from './page-window.js';
import { parseDuration } from './sync-window.js';

const { sealCarriedState } = proxyLocalActivities<Activities>(workerCheck);

type Pages = ReturnType<typeof heldPages>;

/** A held page's report (the same shape a page child returned). */
function reportOf(done: PageStepDone): PageReport {
  return done.report!;
}

/** The preview over the held pages: every page planned, a window at a time. */
export async function planHeldPages(
  input: ImportInput,
  state: ImportState,
  held: HeldPages,
  scan: DirectoryScan,
  rules: GroupRules,
  pages: Pages,
  publish: () => void,
  /** 40 pages at once (runs recorded before: twice the apply window); decided by the import. */
  widePlanWindow: boolean,
): Promise<boolean> {
  const request = pageRequest(input, scan, rules, {
    offset: 0,
    groupRules: rules,
    updatedSince: state.sync?.updatedSince,
    mode: 'plan',
  });
  // Planning only reads: each page waits mostly on its Temporal round trips (seal check,
  // activity, answer), so 40 at once keep JumpCloud's rate busy, where the apply window
  // (pagesInFlight) left it idle for much of a large preview.
  const window = widePlanWindow ? 40 : Math.min(2 * input.pagesInFlight, 40);
  const seal = await sealStep('plan', request);
  await pages.run({
    step: 'plan',
    window,
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

/** What the directory read needs of the input to preview every page itself (activities/read-preview.ts). */
export function previewSettingsOf(input: ImportInput): PreviewSettings {
  const { pageSize, createState, allowReactivation, dryRun, activation, groups } = input;
  return { pageSize, createState, allowReactivation, dryRun, activation, groups };
}

/**
 * The preview the directory read made: recorded as the pages' answers to a plan step would
 * have been, in directory order, so the planning step has nothing left to ask.
 */
export function recordReadPreview(
  input: ImportInput,
  state: ImportState,
  held: HeldPages,
  preview: ReadPreview,
  publish: () => void,
): void {
  state.planGroups = preview.planGroups;
  state.plan = newPlanState();
  for (const report of preview.reports) recordPlanned(input, state, report, publish);
  sortPlannedOffsets(state.plan);
  held.planned = held.offsets.length;
  held.plannedInRead = true;
}

/** Applies the held pages the preview found something to write on. */
export async function applyHeldPages(
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
  const request = pageRequest(input, scan, groups, {
    offset: 0,
    groupRules: rules,
    updatedSince: state.sync?.updatedSince,
  });
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
export async function linkHeldManagers(
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
export function pageIdleTimeoutMs(input: ImportInput): number {
  const approval = input.safeguards ? (parseDuration(input.safeguards.approvalTimeout) ?? 0) : 0;
  return approval + 7 * 24 * 3_600_000;
}
