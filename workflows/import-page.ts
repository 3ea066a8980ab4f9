/**
 * One page of the import as a child workflow, in runs recorded before pages were read once
 * and held (workflows/directory-page.ts; started by workflows/page-children.ts): plan the
 * page (one activity, reads only), or fetch it, settle the unchanged and stage each other
 * employee with an activity of its own (workflows/page-staging.ts). A page keeps its own
 * small history, can be inspected alone in Temporal Web, and returns the page's full report
 * (a plan: the counts and problems, and its whole plan when asked, `pageReportQuery`).
 */
import { ApplicationFailure, patched, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import { countOutcomes, type EmployeeResult } from '../domain/outcomes.js';
import { shortCall } from './activity-options.js';
import { pageReportQuery, plannedPageReport, type HeldPageReport } from './directory-page-api.js';
import { pageProgressQuery, type PageReport } from './import-api.js';
import type { PageRequest } from '../domain/page-request.js';
import { stagePage } from './page-staging.js';
import { FORGED_STATE } from '../domain/failure-types.js';

const { fetchEmployeePage, fetchAndSettlePage, planPage } = proxyActivities<Activities>(shortCall);

export async function importPage(request: PageRequest): Promise<PageReport> {
  // A page takes its groups and rules from its import: started by anyone else (a starter
  // cannot set a parent, and the id is the parent's), it is refused before it reads or writes.
  const { parent, workflowId } = workflowInfo();
  if (!parent || !workflowId.startsWith(`${parent.workflowId}/`))
    throw ApplicationFailure.create({
      type: FORGED_STATE,
      message: 'Refused: a page runs only as a child of its import (start importEmployees instead)',
      nonRetryable: true,
    });
  if (request.mode === 'plan') return planOnePage(request);
  // Every employee finished so far, for `status` and `cancel` while the page is in flight
  // (a query: nothing enters the history).
  const done: EmployeeResult[] = [];
  setHandler(pageProgressQuery, () => ({ offset: request.offset, results: done }));
  // Employees whose JumpCloud user is already as desired (a re-run's usual case) are settled
  // by the page activity in one batch (activities/settle-page.ts); only the rest get an
  // activity each. Patched, so pages recorded before this change replay the old way.
  const page = patched('settle-unchanged-per-page')
    ? await fetchAndSettlePage(request)
    : { ...(await fetchEmployeePage(request.offset, request.limit)), settled: [] };
  // Offset paging over a directory that changes mid-run can repeat a record: stage each id once.
  const seen = new Set<number>();
  const employees = page.employees.filter((e) => !seen.has(e.personioId) && seen.add(e.personioId));
  // (Only held pages trust the page's lookup for absent users: this path stages as it did.)
  const results = await stagePage({ skipped: page.skipped, settled: page.settled, employees }, request, done);
  return {
    offset: request.offset,
    results,
    counts: countOutcomes(results),
    totalElements: page.totalElements,
  };
}

/** The preview of one page: one activity, reads only. */
async function planOnePage(request: PageRequest): Promise<PageReport> {
  // The full plan (every employee, every field's old → new value) is this page's answer when
  // asked, as a held page's is (`report` asks it, also of a page that has ended: the worker
  // replays it); the parent gets the counts and the problems only, so its own history stays
  // small however large the plan. A query adds nothing to the history: runs recorded before
  // it answer too.
  const held: HeldPageReport = { offset: request.offset, planned: null, applied: null, links: null };
  setHandler(pageReportQuery, () => held);
  const planned = await planPage({ ...request, dryRun: true });
  held.planned = planned.results;
  held.plannedWrites = planned.writes;
  return plannedPageReport(request.offset, planned);
}
