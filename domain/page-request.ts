// What a page of the import is asked to do (plan or apply), in one shape from the import's
// step to the page activities (settle, plan), built in one place; staging one employee takes
// a narrowing of it (StageRequest) so each employee's activity carries only its own answers.
import type { ActivationSettings } from './activation-time.js';
import type { HeldBack } from './directory-scan.js';
import type { PageEmployee } from './employee-plan.js';
import type { ImportInput } from './import-input.js';
import type { EmployeeResult } from './outcomes.js';
import { groupIdsFor, type GroupRules, type ImportGroupIds } from './page-groups.js';
import type { CreateState } from './status-rules.js';

/** One page of employees as read, every record validated (a malformed one is a `skipped` row). */
export interface FetchedPage {
  employees: PageEmployee[];
  skipped: EmployeeResult[];
  totalElements: number;
}

/**
 * The page as a run reads it: a delta run (`updatedSince`) plans and applies only the employees
 * changed since its watermark; a full run, all of them.
 */
export function pageChangedSince(page: FetchedPage, updatedSince: string | null | undefined): FetchedPage {
  if (!updatedSince) return page;
  const since = Date.parse(updatedSince);
  return {
    ...page,
    employees: page.employees.filter(
      (e) => e.lastModifiedAt === null || !(Date.parse(e.lastModifiedAt) < since),
    ),
    // A malformed record has no trustworthy modification time: a full run reports it.
    skipped: [],
  };
}

/** What a page is asked to do (plan or apply), by a held page's step or a page child. */
export interface PageRequest extends ImportGroupIds {
  offset: number;
  limit: number;
  heldBack: HeldBack[];
  idSuffixedUsernames: number[];
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
  /**
   * Supervisors this run will not import, from its one read of the directory (held pages):
   * the plan asks it instead of reading off-page supervisors from Personio again.
   */
  supervisorsNotImported?: number[];
  /** Activation on the hire date (input `activation.onHireDate`): how to time it. */
  activation?: ActivationSettings;
  /**
   * The page as the run read it (workflows/directory-page.ts holds it), given to the page
   * activities so nothing is read from Personio. Absent in runs that read each page where it
   * was needed, and in the step the import sends (the page adds it).
   */
  page?: FetchedPage;
}

/**
 * The request for a page: the input's settings, the directory scan's answers, the import's
 * groups. A plan (`mode: 'plan'`) only reads, and gets what the plan's manager changes need.
 */
export function pageRequest(
  input: Pick<ImportInput, 'pageSize' | 'createState' | 'allowReactivation' | 'dryRun' | 'activation'>,
  scan: Pick<PageRequest, 'heldBack' | 'idSuffixedUsernames' | 'supervisorCycle' | 'supervisorsNotImported'>,
  groups: ImportGroupIds,
  step: { offset: number; groupRules?: GroupRules; updatedSince?: string | null; mode?: 'plan' },
): PageRequest {
  return {
    offset: step.offset,
    limit: input.pageSize,
    heldBack: scan.heldBack,
    idSuffixedUsernames: scan.idSuffixedUsernames,
    allEmployeesGroupId: groups.allEmployeesGroupId,
    departmentGroupIds: groups.departmentGroupIds,
    createState: input.createState,
    allowReactivation: input.allowReactivation,
    dryRun: step.mode === 'plan' || input.dryRun,
    ...(step.updatedSince ? { updatedSince: step.updatedSince } : {}),
    ...(input.activation.onHireDate
      ? { activation: { localTime: input.activation.localTime, timeZone: input.activation.timeZone } }
      : {}),
    ...(step.groupRules ? { groupRules: step.groupRules } : {}),
    ...(step.mode === 'plan'
      ? {
          supervisorCycle: scan.supervisorCycle ?? [],
          // From the run's one read: no page re-reads an off-page supervisor from Personio.
          ...(scan.supervisorsNotImported ? { supervisorsNotImported: scan.supervisorsNotImported } : {}),
          mode: 'plan' as const,
        }
      : {}),
  };
}

/** Staging one employee: the page's rules it needs, and this employee's own answers. */
export interface StageRequest extends Pick<
  PageRequest,
  'createState' | 'allowReactivation' | 'dryRun' | 'groupRules' | 'activation'
> {
  employee: PageEmployee;
  /** Set when the directory scan held this employee back (e.g. a shared email). */
  heldBackReason?: string;
  /** Start with the id-suffixed username (another employee shares the base). */
  idSuffixedUsername: boolean;
  /** The import's groups this employee belongs in (the activity decides whether they join). */
  groupIds: string[];
  /**
   * The page's batched lookup, just before, found no JumpCloud user for this employee: the
   * first attempt creates without looking again. A retry looks, since an earlier attempt may
   * have created the user before it was cut off.
   */
  knownAbsent?: boolean;
}

/**
 * Each employee's stage request on a page. `absent`: the employees the page's batched lookup
 * found no JumpCloud user for.
 */
export function stageRequests(
  request: PageRequest,
  employees: readonly PageEmployee[],
  absent: readonly number[] = [],
): StageRequest[] {
  const heldBack = new Map(request.heldBack.map((h) => [h.personioId, h.reason]));
  const idSuffixed = new Set(request.idSuffixedUsernames);
  const notFound = new Set(absent);
  return employees.map((employee) => ({
    employee,
    ...(notFound.has(employee.personioId) ? { knownAbsent: true } : {}),
    heldBackReason: heldBack.get(employee.personioId),
    idSuffixedUsername: idSuffixed.has(employee.personioId),
    groupIds: groupIdsFor(employee, request),
    createState: request.createState,
    allowReactivation: request.allowReactivation,
    dryRun: request.dryRun,
    ...(request.groupRules ? { groupRules: request.groupRules } : {}),
    ...(request.activation ? { activation: request.activation } : {}),
  }));
}
