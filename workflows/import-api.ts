/**
 * The import's public surface, shared by the workflows and every client (CLI, tests,
 * benchmarks): names, queries, and the shapes of progress and reports.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { ManagerNote } from '../activities/link-managers.js';
import type { SyncState } from './sync-window.js';
import type { EmployeeResult, ImportProgress, ImportResult, OutcomeCounts } from '../domain/outcomes.js';
import type { RefusedGroup } from '../domain/group-ownership.js';

export const IMPORT_WORKFLOW_TYPE = 'importEmployees';
/** What a schedule starts: the import under the task queue's one id (workflows/scheduled-import.ts). */
export const SCHEDULED_IMPORT_WORKFLOW_TYPE = 'scheduledImport';

/** One running import per task queue (a task queue's workers hold one Personio/JumpCloud pair). */
export function importWorkflowId(taskQueue: string): string {
  return `personio-import-${taskQueue}`;
}

/**
 * Which part of the first run id names a run's page children. The whole id: run ids are
 * time-ordered (UUIDv7), so their first 8 characters are the same for every run started
 * within about a minute, and a report would collect another run's pages. Runs recorded
 * before this used `short` (patched in workflows/import-employees.ts).
 */
export type RunKeyLength = 'whole' | 'short';

export function runKey(firstRunId: string, length: RunKeyLength = 'whole'): string {
  return length === 'whole' ? firstRunId : firstRunId.slice(0, 8);
}

/** Page children are named after the import's first run, so every run's pages can be found. */
export function pageWorkflowId(
  importWorkflowId: string,
  firstRunId: string,
  offset: number,
  length: RunKeyLength = 'whole',
): string {
  return `${importWorkflowId}/${runKey(firstRunId, length)}/page-${offset}`;
}

/** The preview of a page: the same page, planned before anything is written. */
export function planWorkflowId(
  importWorkflowId: string,
  firstRunId: string,
  offset: number,
  length: RunKeyLength = 'whole',
): string {
  return `${importWorkflowId}/${runKey(firstRunId, length)}/plan-${offset}`;
}

export const progressQuery = defineQuery<ImportProgress>('progress');

/**
 * A page being applied: the employees it has finished so far. The parent counts a page when
 * it finishes; `status` and `cancel` add the pages in flight (or cancelled midway) with this,
 * so their counts move with every employee written.
 */
export interface PageProgress {
  offset: number;
  results: EmployeeResult[];
}
export const pageProgressQuery = defineQuery<PageProgress>('pageProgress');

/** Who decides on a run the safeguards paused, and why (the comment is optional). */
export interface ApprovalDecisionInput {
  by: string;
  comment?: string;
  /** The signed statement (domain/approval-statement.ts) and its base64 Ed25519 signature. */
  signed?: {
    workflowId: string;
    runId: string;
    planDigest: string;
    decision: 'approve' | 'reject';
    at: string;
    signature: string;
  };
}

/** `approve` / `reject` a run waiting for approval (CLI, Temporal Web, `temporal workflow update`). */
export const approveUpdate = defineUpdate<ApprovalRecord, [ApprovalDecisionInput]>('approve');
export const rejectUpdate = defineUpdate<ApprovalRecord, [ApprovalDecisionInput]>('reject');

export interface ApprovalRecord {
  /** The safeguard rules the plan broke. */
  reasons: string[];
  requestedAt: string;
  /** When an undecided request rejects itself. */
  expiresAt: string;
  decision: 'approved' | 'rejected' | 'expired' | null;
  by: string | null;
  at: string | null;
  comment: string | null;
  /** The digest of the plan an approver signs (absent in runs recorded before signed approvals). */
  planDigest?: string;
  /** The key id (APPROVER_KEYS_FILE) of the approver's signature. */
  keyId?: string;
}

export interface PlanSummary {
  /** The planned outcome of every employee read. */
  counts: OutcomeCounts;
  importedUsers: number;
  pagesPlanned: number;
  /** Pages with something to write: only these are applied. */
  pagesToApply: number;
  /** The safeguard rules the plan breaks (a dry run says so; a real run waits for approval). */
  safeguardBreaches?: string[];
}

export interface PageReport {
  offset: number;
  /** Every employee read on this page, each exactly once, with its outcome. */
  results: EmployeeResult[];
  counts: OutcomeCounts;
  /** Personio's total at the time this page was read (the directory may change during a run). */
  totalElements: number;
  /**
   * A planned page (a preview): whether applying it writes anything, its matched users, its
   * manager changes. With `fullPlanInActivity` (a name older runs recorded), `results` holds
   * only the problems; the page tells its whole plan when asked (`pageReportQuery`, which the
   * CLI's report asks: client/report-command.ts), or as its result once it has ended (a held page).
   */
  planned?: { writes: boolean; importedUsers: number; managerChanges?: number; fullPlanInActivity?: boolean };
}

export interface ImportReport extends ImportResult {
  employeesTotal: number;
  pageSize: number;
  pages: number;
  /** Find each page's full report: pageWorkflowId(workflowId, firstRunId, offset) for offset = 0, pageSize, … */
  firstRunId: string;
  managers: {
    linked: number;
    cleared: number;
    unchanged: number;
    notes: ManagerNote[];
    notesTruncated: boolean;
  };
  groups: {
    created: string[];
    bound: { application: string; groupId: string }[];
    alreadyBound: number;
    missingApplications: string[];
    /** Existing groups not adopted (not made by the import, or outside the policy), with the fix. */
    refused?: RefusedGroup[];
  };
  notified: {
    emailedTo: string[];
    webhook: boolean;
    skipped: string[];
    /** Channels that failed after their last attempt (the run completed all the same). */
    failed?: string[];
  } | null;
  /** The preview every run starts with (absent in runs recorded before it existed). */
  plan?: PlanSummary | null;
  /** Set when the safeguards paused the run: the reasons and who decided, when. */
  approval?: ApprovalRecord | null;
  /** false when nothing was written: a dry run, or a run rejected or expired at approval. */
  applied?: boolean;
  /** Which employees this run read, and the watermark the next scheduled run starts from. */
  sync?: SyncState;
  /** A scheduled run's: the workflow id the import ran under (its pages are named after it). */
  importWorkflowId?: string;
  /** A scheduled run's: why it did not run (another import held the task queue's place). */
  skipped?: string;
  /**
   * Requests this run sent to Personio for employees: one per page of the directory, plus a
   * delta run's question whether anything changed (absent in runs that read pages repeatedly).
   */
  personioRequests?: number;
  /**
   * Pages this run read once and held (offsets 0, pageSize, …): each page's report is its
   * directoryPage workflow's (workflows/directory-page-api.ts). Absent in older runs.
   */
  heldPages?: number;
}
