/**
 * The import's public surface, shared by the workflows and every client (CLI, tests,
 * benchmarks): names, queries, and the shapes of progress and reports.
 */
import { defineQuery } from '@temporalio/workflow';
import type { ManagerNote } from '../activities/link-managers.js';
import type { EmployeeResult, ImportProgress, ImportResult, OutcomeCounts } from '../domain/outcomes.js';

export const IMPORT_WORKFLOW_TYPE = 'importEmployees';

/** One running import per task queue (a task queue's workers hold one Personio/JumpCloud pair). */
export function importWorkflowId(taskQueue: string): string {
  return `personio-import-${taskQueue}`;
}

/** Page children are named after the import's first run, so every run's pages can be found. */
export function pageWorkflowId(importWorkflowId: string, firstRunId: string, offset: number): string {
  return `${importWorkflowId}/${firstRunId.slice(0, 8)}/page-${offset}`;
}

export const progressQuery = defineQuery<ImportProgress>('progress');

export interface PageReport {
  offset: number;
  /** Every employee read on this page, each exactly once, with its outcome. */
  results: EmployeeResult[];
  counts: OutcomeCounts;
  /** Personio's total at the time this page was read (the directory may change during a run). */
  totalElements: number;
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
  };
  notified: { emailedTo: string[]; webhook: boolean; skipped: string[] } | null;
}
