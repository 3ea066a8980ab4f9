/**
 * One page of the import as a child workflow: fetch the page, then stage each employee with
 * an activity of its own. A page keeps its own small history (a few hundred events for 100
 * employees), can be inspected alone in Temporal Web, and returns the page's full report.
 */
import { ActivityFailure, ApplicationFailure, log, patched, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import type { PageEmployee } from '../activities/fetch-page.js';
import type { HeldBack } from '../domain/directory-scan.js';
import { countOutcomes, type EmployeeResult } from '../domain/outcomes.js';
import { groupIdsFor } from '../domain/page-groups.js';
import type { CreateState } from '../domain/status-rules.js';
import { shortCall } from './activity-options.js';
import type { PageReport } from './import-api.js';

const { fetchEmployeePage, fetchAndSettlePage, stageEmployee } = proxyActivities<Activities>(shortCall);

export interface PageRequest {
  offset: number;
  limit: number;
  heldBack: HeldBack[];
  idSuffixedUsernames: number[];
  allEmployeesGroupId: string | null;
  departmentGroupIds: Record<string, string>;
  createState: CreateState;
  allowReactivation: boolean;
  dryRun: boolean;
}

export async function importPage(request: PageRequest): Promise<PageReport> {
  // Employees whose JumpCloud user is already as desired (a re-run's usual case) are settled
  // by the page activity in one batch (activities/settle-page.ts); only the rest get an
  // activity each. Patched, so pages recorded before this change replay the old way.
  const page = patched('settle-unchanged-per-page')
    ? await fetchAndSettlePage({
        offset: request.offset,
        limit: request.limit,
        heldBack: request.heldBack,
        allEmployeesGroupId: request.allEmployeesGroupId,
        departmentGroupIds: request.departmentGroupIds,
        createState: request.createState,
        allowReactivation: request.allowReactivation,
        dryRun: request.dryRun,
      })
    : { ...(await fetchEmployeePage(request.offset, request.limit)), settled: [] };
  const heldBack = new Map(request.heldBack.map((h) => [h.personioId, h.reason]));
  const idSuffixed = new Set(request.idSuffixedUsernames);

  // Offset paging over a directory that changes mid-run can repeat a record: stage each id once.
  const seen = new Set<number>();
  const employees = page.employees.filter((e) => !seen.has(e.personioId) && seen.add(e.personioId));

  const staged = await Promise.all(
    employees.map((employee) =>
      stageOne(employee, {
        heldBackReason: heldBack.get(employee.personioId),
        idSuffixedUsername: idSuffixed.has(employee.personioId),
        groupIds: groupsFor(employee, request),
        createState: request.createState,
        allowReactivation: request.allowReactivation,
        dryRun: request.dryRun,
      }),
    ),
  );
  const results = [...page.skipped, ...page.settled, ...staged];
  return {
    offset: request.offset,
    results,
    counts: countOutcomes(results),
    totalElements: page.totalElements,
  };
}

async function stageOne(
  employee: PageEmployee,
  options: Omit<Parameters<Activities['stageEmployee']>[0], 'employee'>,
): Promise<EmployeeResult> {
  try {
    const result = await stageEmployee({ employee, ...options });
    // Ids and outcome only: names and emails stay out of logs. `log` adds the workflow id and
    // is silent on replay, so a line is written once.
    log.info('employee staged', { personioId: result.personioId, outcome: result.outcome });
    return result;
  } catch (err) {
    // JumpCloud refused this one user (a validation error): report it and carry on.
    // Rejected credentials end the whole import instead.
    const cause = err instanceof ActivityFailure ? err.cause : undefined;
    if (cause instanceof ApplicationFailure && cause.type === 'RequestRejected') {
      log.warn('employee failed', { personioId: employee.personioId });
      return { personioId: employee.personioId, outcome: 'failed', reason: cause.message };
    }
    throw err;
  }
}

/** Only employees who are (or stay) in JumpCloud join groups; the activity decides that. */
function groupsFor(employee: PageEmployee, request: PageRequest): string[] {
  return groupIdsFor(employee, request);
}
