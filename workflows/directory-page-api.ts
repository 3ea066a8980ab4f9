/**
 * How the import talks to the pages it read: each page of the directory, read once from
 * Personio, is held by a workflow of its own (workflows/directory-page.ts) for the whole run.
 * The import sends it the next step (plan, apply, link managers, release) and the page
 * answers with a signal when the step is done. Shared by the workflows, the directory read
 * activity that starts the pages, and the CLI's report.
 */
import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { SealRequest, StateSeal } from '../activities/carried-state.js';
import type { ManagerLinks } from '../activities/link-managers.js';
import type { DirectoryEntry } from '../domain/directory-scan.js';
import { countOutcomes, isProblem, type EmployeeResult } from '../domain/outcomes.js';
import type { PlannedPage } from '../activities/settle-page.js';
import { runKey, type PageReport } from './import-api.js';
import type { FetchedPage, PageRequest } from '../domain/page-request.js';

export const DIRECTORY_PAGE_WORKFLOW_TYPE = 'directoryPage';

/** A page as read: `…/read-<offset>` beside the run's other pages, named after its first run. */
export function directoryPageWorkflowId(
  importWorkflowId: string,
  firstRunId: string,
  offset: number,
): string {
  return `${importWorkflowId}/${runKey(firstRunId, 'whole')}/read-${offset}`;
}

/** The slim facts of one employee the directory checks need (duplicate emails, cycles, usernames). */
export interface PageEntry extends DirectoryEntry {
  /** '' when the employee would not be created (only they compete for a username). */
  baseUsername: string;
}

export interface DirectoryPageInput {
  /** The import to answer (its workflow id: signals reach whichever run is current). */
  importWorkflowId: string;
  /** The import's first run: its steps are sealed for it. */
  firstRunId: string;
  offset: number;
  /** The page exactly as read (malformed records already turned into `skipped`). */
  page: FetchedPage;
  /** What the directory checks need from this page (the read activity rebuilds from it on retry). */
  entries: PageEntry[];
  /** A page nobody sends a step to for this long ends by itself (an import that was terminated). */
  idleTimeoutMs: number;
  /**
   * The worker's seal over all of the above (activities/carried-state.ts): a page started by
   * anyone else, or with a page of their making, is refused before it does anything.
   */
  seal?: StateSeal;
}

/** What a held page's seal covers: the page as read, for that page of that import. */
export function pageSealRequest(pageWorkflowId: string, input: DirectoryPageInput): SealRequest {
  const { seal: _seal, ...sealed } = input;
  return { workflowId: pageWorkflowId, runId: 'directory-page', input: null, state: sealed };
}

/**
 * What a step's seal covers: the step and its request, for the import's run (the offset is
 * the page's own, so one seal serves every page of a step).
 */
export function stepSealRequest(
  importWorkflowId: string,
  firstRunId: string,
  step: PageStep | 'planned',
  request: unknown,
): SealRequest {
  const { offset: _offset, ...rest } = (request ?? {}) as Record<string, unknown>;
  return { workflowId: importWorkflowId, runId: firstRunId, input: `page-step:${step}`, state: rest };
}

/** The next step for a page, sealed by the import's worker (a forged step is ignored). */
export type PageCommand =
  | { step: 'plan'; request: PageRequest; seal: StateSeal }
  | { step: 'apply'; request: PageRequest; seal: StateSeal }
  | { step: 'link'; request: LinkStepRequest; seal: StateSeal }
  | { step: 'planned'; request: PlannedStepRequest; seal: StateSeal }
  | { step: 'release' };

/**
 * The page's plan, made by the directory read itself (activities/read-directory.ts) once the
 * whole directory was read: the page keeps it for the report and answers nothing (the import
 * got the counts from the read). `pageOffset` is sealed with it: a plan fits only its page.
 */
export interface PlannedStepRequest {
  pageOffset: number;
  results: EmployeeResult[];
  writes: boolean;
}

export interface LinkStepRequest {
  supervisorCycle: number[];
  dryRun: boolean;
  updatedSince?: string | null;
}

export type PageStep = 'plan' | 'apply' | 'link';

/** A page's answer: the same report a page child returned before pages were held. */
export interface PageStepDone {
  offset: number;
  step: PageStep;
  report?: PageReport;
  links?: ManagerLinks;
  /** The step failed for good: the import fails with this cause. */
  failure?: { type: string; message: string };
}

/** What a page did in its run: its full plan and, when applied, every employee's outcome. */
export interface HeldPageReport {
  offset: number;
  /** Every employee of the page once, as planned (the preview's detail). */
  planned: EmployeeResult[] | null;
  /** Whether applying the page would write anything (a page without writes is done when planned). */
  plannedWrites?: boolean;
  /** Every employee of the page once, as applied; null when the page was not applied. */
  applied: EmployeeResult[] | null;
  links: ManagerLinks | null;
}

export const pageCommandSignal = defineSignal<[PageCommand]>('pageCommand');
export const pageStepDoneSignal = defineSignal<[PageStepDone]>('pageStepDone');
/** The directory checks' facts of this page (the read activity asks on a retry, instead of Personio). */
export const pageEntriesQuery = defineQuery<PageEntry[]>('pageEntries');
/** The page's plan and outcomes so far (the CLI's report of a run still waiting or running). */
export const pageReportQuery = defineQuery<HeldPageReport>('pageReport');

/**
 * What the import is told of a planned page: the counts, the problems and what applying it
 * would do; the full plan stays with the page (`pageReportQuery`), so the import's history
 * stays small however large the plan.
 */
export function plannedPageReport(offset: number, planned: PlannedPage): PageReport {
  return {
    offset,
    results: planned.results.filter(isProblem),
    counts: countOutcomes(planned.results),
    totalElements: planned.totalElements,
    planned: {
      writes: planned.writes,
      importedUsers: planned.importedUsers,
      managerChanges: planned.managerChanges,
      fullPlanInActivity: true,
    },
  };
}
