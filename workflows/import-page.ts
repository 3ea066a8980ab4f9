/**
 * One page of the import as a child workflow: fetch the page, then stage each employee with
 * an activity of its own. A page keeps its own small history (a few hundred events for 100
 * employees), can be inspected alone in Temporal Web, and returns the page's full report.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  log,
  patched,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import type { ActivationSettings } from '../activities/activation-time-of.js';
import type { PageEmployee } from '../activities/fetch-page.js';
import type { SettlePageRequest } from '../activities/settle-page.js';
import { cancelActivationTimer, ensureActivationTimer } from './activation-timers.js';
import type { HeldBack } from '../domain/directory-scan.js';
import { countOutcomes, isProblem, type EmployeeResult } from '../domain/outcomes.js';
import { groupIdsFor } from '../domain/page-groups.js';
import type { GroupRules } from '../domain/page-groups.js';
import type { CreateState } from '../domain/status-rules.js';
import { shortCall } from './activity-options.js';
import { pageProgressQuery, type PageReport } from './import-api.js';

const { fetchEmployeePage, fetchAndSettlePage, planPage, stageEmployee } =
  proxyActivities<Activities>(shortCall);

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
  /** The import's groups in full (names, leave rules); absent in runs recorded before. */
  groupRules?: GroupRules;
  /** Read only employees changed since then (a delta run). */
  updatedSince?: string | null;
  /** `plan`: preview the page (reads only); `apply` (the default): stage it. */
  mode?: 'plan' | 'apply';
  /** For the plan's manager changes. */
  supervisorCycle?: number[];
  /** Supervisors this run will not import, from its one read of the directory (held pages). */
  supervisorsNotImported?: number[];
  /** Activation on the hire date (input `activation.onHireDate`): how to time it. */
  activation?: ActivationSettings;
}

export async function importPage(request: PageRequest): Promise<PageReport> {
  // A page takes its groups and rules from its import: started by anyone else (a starter
  // cannot set a parent, and the id is the parent's), it is refused before it reads or writes.
  const { parent, workflowId } = workflowInfo();
  if (!parent || !workflowId.startsWith(`${parent.workflowId}/`))
    throw ApplicationFailure.create({
      type: 'ForgedState',
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
    ? await fetchAndSettlePage(pageActivityRequest(request))
    : { ...(await fetchEmployeePage(request.offset, request.limit)), settled: [] };
  const heldBack = new Map(request.heldBack.map((h) => [h.personioId, h.reason]));
  const idSuffixed = new Set(request.idSuffixedUsernames);

  // Offset paging over a directory that changes mid-run can repeat a record: stage each id once.
  const seen = new Set<number>();
  const employees = page.employees.filter((e) => !seen.has(e.personioId) && seen.add(e.personioId));
  done.push(...page.skipped, ...page.settled);

  const staged = await Promise.all(
    employees.map((employee) =>
      stageOne(employee, {
        heldBackReason: heldBack.get(employee.personioId),
        idSuffixedUsername: idSuffixed.has(employee.personioId),
        groupIds: groupsFor(employee, request),
        createState: request.createState,
        allowReactivation: request.allowReactivation,
        dryRun: request.dryRun,
        ...(request.groupRules ? { groupRules: request.groupRules } : {}),
        ...(request.activation ? { activation: request.activation } : {}),
      }).then((result) => {
        done.push(result);
        return result;
      }),
    ),
  );
  const results = [...page.skipped, ...page.settled, ...staged];
  if (request.activation) await keepActivationTimers(results, request.activation);
  return {
    offset: request.offset,
    results,
    counts: countOutcomes(results),
    totalElements: page.totalElements,
  };
}

/**
 * One durable timer per staged user with a hire date ahead (started, or moved when the date
 * changed); a user suspended before their start (a cancelled hire) has theirs cancelled.
 */
export async function keepActivationTimers(
  results: EmployeeResult[],
  activation: ActivationSettings,
): Promise<void> {
  for (const r of results) {
    if (r.activateAt && r.jumpcloudUserId) {
      await ensureActivationTimer({
        personioId: r.personioId,
        jumpcloudUserId: r.jumpcloudUserId,
        activateAt: r.activateAt,
        localTime: activation.localTime,
        timeZone: activation.timeZone,
      });
    } else if (r.outcome === 'suspended') {
      await cancelActivationTimer(r.personioId, 'the hire was cancelled: suspended before the start date');
    }
  }
}

/** What the page activities (settling, planning) are asked: the page and the rules. */
export function pageActivityRequest(request: PageRequest): SettlePageRequest {
  return {
    offset: request.offset,
    limit: request.limit,
    heldBack: request.heldBack,
    allEmployeesGroupId: request.allEmployeesGroupId,
    departmentGroupIds: request.departmentGroupIds,
    createState: request.createState,
    allowReactivation: request.allowReactivation,
    dryRun: request.dryRun,
    ...(request.groupRules ? { groupRules: request.groupRules } : {}),
    ...(request.updatedSince ? { updatedSince: request.updatedSince } : {}),
    ...(request.activation ? { activation: request.activation } : {}),
  };
}

/** The preview of one page: one activity, reads only. */
async function planOnePage(request: PageRequest): Promise<PageReport> {
  const planned = await planPage({
    ...pageActivityRequest(request),
    dryRun: true,
    groupRules: request.groupRules!,
    idSuffixedUsernames: request.idSuffixedUsernames,
    supervisorCycle: request.supervisorCycle ?? [],
  });
  // The full plan (every employee, every field's old → new value) stays in this child's
  // history, as the activity's result, where `report` reads it; the parent gets the counts and
  // the problems only, so its own history stays small however large the plan.
  return {
    offset: request.offset,
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

export async function stageOne(
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
export function groupsFor(employee: PageEmployee, request: PageRequest): string[] {
  return groupIdsFor(employee, request);
}
