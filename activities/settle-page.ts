/**
 * Step 3a: one page, planned at once (activities/page-plan.ts), in one of two ways.
 *
 * - fetchAndSettlePage (applying): every employee stage() would leave as it is is settled
 *   here — a user already as the import would leave it (only missing group joins are sent,
 *   skipping members the group already lists: activities/group-members.ts), a suspended user
 *   who may not be reactivated, an employee held back, one with no JumpCloud user who would
 *   not be created (a former employee never imported, an email missing). The others go on
 *   to stageEmployee, one activity each. Safe to retry: it writes only idempotent joins.
 * - planPage (previewing): the whole page's plan — per employee the outcome, each field's
 *   old → new value, the groups joined and left, the manager change — and whether applying
 *   the page would write anything. Reads only.
 *
 * Why per page: a re-run with nothing changed used to cost an activity (3+ history events,
 * a round trip through the server) and two lookups per employee; now it costs one batched
 * lookup by id and one by email per 100 employees (README, Performance).
 */
import { ApplicationFailure, Context } from '@temporalio/activity';
import { INVALID_IMPORT_INPUT } from '../domain/failure-types.js';
import { withWarnings, type EmployeeResult } from '../domain/outcomes.js';
import { parseEmployee } from '../domain/personio-record.js';
import { groupIdsFor, type GroupRules } from '../domain/page-groups.js';
import type { PageRequest } from '../domain/page-request.js';
import type { JumpCloudClient, SystemUser } from '../clients/jumpcloud.js';
import { required, type ImportDeps } from './deps.js';
import { desiredFieldsFor } from './desired-fields.js';
import { asActivity } from './failures.js';
import { createFetchPageActivities, type FetchedPage, type PageEmployee } from './fetch-page.js';
import { GroupMembers } from './group-members.js';
import type { JumpCloudReadAhead } from './read-ahead.js';
import { activateAtFor } from './activation-time-of.js';
import { asValueChange, createdFieldNames, stateOf } from '../domain/employee-plan.js';
import {
  lookUpSupervisors,
  membershipChanges,
  planPageEmployees,
  type PlannedEmployee,
} from './page-plan.js';
import { baseUsername, usernameCandidate } from '../domain/username.js';

export interface SettledPage extends FetchedPage {
  /** Employees settled here: "unchanged" (group joins done, not in a dry run) or "skipped". */
  settled: EmployeeResult[];
  /**
   * Of the employees left to stage, those this page's batched lookup found no JumpCloud user
   * for (by employeeIdentifier or email): their first staging attempt creates without looking
   * again (StageRequest.knownAbsent, domain/page-request.ts), which halves a first run's JumpCloud requests.
   */
  absent?: number[];
}

export interface PlannedPage {
  /** Every employee of the page once, with the plan's details. */
  results: EmployeeResult[];
  totalElements: number;
  /** Whether applying this page would write anything (users, state, group memberships). */
  writes: boolean;
  /** Employees matched to an existing JumpCloud user: the base of the safeguards' percentages. */
  importedUsers: number;
  /**
   * Users whose manager linking would change today's value, among supervisors who already
   * have a user (a supervisor this run creates is linked only after it exists).
   */
  managerChanges: number;
}

/**
 * What planning and settling pages share on a worker: the page reader, the group members read
 * once, and the plan itself. `plan(request, pageKey)` takes the lookups the scan started for
 * that page (`pageKey`: its workflow id; activities/read-ahead.ts). The directory read plans
 * with it too, in one activity (activities/read-directory.ts).
 */
export function pagePlanning(deps: Partial<ImportDeps>, readAhead?: JumpCloudReadAhead) {
  const pages = createFetchPageActivities(deps);
  const groupMembers = deps.jumpcloud ? new GroupMembers(deps.jumpcloud) : undefined;
  const desiredOf = desiredFieldsFor(deps);

  /** The page, each employee once, split into held back (with the reason) and the rest. */
  async function readPage(request: PageRequest) {
    const page =
      request.page ??
      (await pages.fetchEmployeePage(request.offset, request.limit, request.updatedSince ?? null));
    const reasons = new Map(request.heldBack.map((h) => [h.personioId, h.reason]));
    const heldBack: EmployeeResult[] = [];
    const employees: PageEmployee[] = [];
    const seen = new Set<number>();
    for (const employee of page.employees) {
      if (seen.has(employee.personioId)) continue; // a repeated record is staged once
      seen.add(employee.personioId);
      const reason = reasons.get(employee.personioId);
      if (reason !== undefined)
        heldBack.push({ personioId: employee.personioId, outcome: 'skipped', reason });
      else employees.push(employee);
    }
    return { page, heldBack, employees };
  }

  /** Only reads: a plan is what applying would do, whatever `dryRun` says. */
  async function plan(request: PageRequest, pageKey: string | undefined): Promise<PlannedPage> {
    const jumpcloud = required(deps.jumpcloud, 'JumpCloud client');
    const rules = groupRulesOf(request);
    const { page, heldBack, employees } = await readPage(request);
    return asActivity(async () => {
      const members = groupMembers ?? new GroupMembers(jumpcloud);
      // The lookups the scan started for this page, when this worker read it (read-ahead.ts).
      const found = pageKey ? await readAhead?.take(pageKey, employees) : undefined;
      const planned = await planPageEmployees(jumpcloud, employees, request, desiredOf, found ?? undefined);
      const managers = await plannedManagers(
        jumpcloud,
        planned,
        request.supervisorCycle ?? [],
        supervisorImported(deps, planned, request.heldBack, request.supervisorsNotImported),
        found?.supervisors,
      );
      const idSuffixed = new Set(request.idSuffixedUsernames);
      const names = (ids: string[]) => ids.map((id) => rules.groupNames[id] ?? id);
      let writes = false;
      let importedUsers = 0;
      const results: EmployeeResult[] = [...page.skipped, ...heldBack];
      for (const entry of planned) {
        const { employee, plan } = entry;
        const personioId = employee.personioId;
        const groups = await membershipChanges(members, jumpcloud, entry, rules);
        const planned = managers.get(personioId);
        const manager = planned ? { from: planned.from, to: planned.to } : undefined;
        const extras = {
          ...(groups.join.length > 0 ? { groupsJoined: names(groups.join) } : {}),
          ...(groups.leave.length > 0 ? { groupsLeft: names(groups.leave) } : {}),
          ...(manager ? { manager } : {}),
        };
        writes ||= groups.join.length > 0 || groups.leave.length > 0;
        if (plan.kind === 'skip') {
          if (plan.user) importedUsers++;
          results.push({
            personioId,
            outcome: 'skipped',
            reason: plan.reason,
            ...(plan.user ? { jumpcloudUserId: plan.user._id } : {}),
            ...(manager ? { manager } : {}),
          });
        } else if (plan.kind === 'create') {
          writes = true;
          const fields = Object.entries(plan.desired.fields).filter(([, value]) => value !== '');
          const attributes = plan.desired.attributes.values.map((a) => ({
            field: `attributes.${a.name}`,
            from: '',
            to: a.value,
          }));
          const activateAt = activateAtFor(employee, plan.state, request.activation);
          results.push({
            personioId,
            outcome: 'created',
            changedFields: createdFieldNames(plan.desired),
            changes: [...fields.map(([field, to]) => asValueChange({ field, from: '', to })), ...attributes],
            username: usernameCandidate(
              baseUsername(employee.email, employee.firstName, employee.lastName),
              personioId,
              idSuffixed.has(personioId) ? 1 : 0,
            ),
            ...(activateAt ? { activateAt } : {}),
            ...extras,
          });
        } else {
          importedUsers++;
          // A staged user with a hire date ahead keeps a timer: applying the page starts it, or
          // moves it when the date changed in Personio (in either direction).
          const activateAt =
            plan.outcome === 'suspended'
              ? undefined
              : activateAtFor(employee, stateOf(plan.user), request.activation);
          writes ||= plan.outcome !== 'unchanged' || activateAt !== undefined;
          results.push({
            personioId,
            outcome: plan.outcome,
            jumpcloudUserId: plan.user._id,
            ...(activateAt ? { activateAt } : {}),
            ...(plan.changes.length > 0
              ? {
                  changedFields: plan.changes.map((c) => c.field),
                  changes: plan.valueChanges,
                }
              : {}),
            ...extras,
          });
        }
      }
      const managerChanges = [...managers.values()].filter((m) => m.effective).length;
      // Each row says what was cut or cleaned in that employee's Personio data.
      const onPage = new Map(employees.map((e) => [e.personioId, e]));
      return {
        results: results.map((r) => withWarnings(r, onPage.get(r.personioId) ?? {})),
        totalElements: page.totalElements,
        writes,
        importedUsers,
        managerChanges,
      };
    });
  }

  return { readPage, groupMembers, desiredOf, plan };
}

export type PagePlanner = ReturnType<typeof pagePlanning>['plan'];

/** `planning`: shared with the directory read (activities/index.ts), so both use one worker's caches. */
export function createSettlePageActivities(
  deps: Partial<ImportDeps>,
  readAhead?: JumpCloudReadAhead,
  planning = pagePlanning(deps, readAhead),
) {
  const { readPage, groupMembers, desiredOf } = planning;

  return {
    async fetchAndSettlePage(request: PageRequest): Promise<SettledPage> {
      const jumpcloud = required(deps.jumpcloud, 'JumpCloud client');
      const { page, heldBack, employees } = await readPage(request);
      return asActivity(async () => {
        const settled: { result: EmployeeResult; groupIds: string[] }[] = [];
        const rest: PageEmployee[] = [];
        const absent: number[] = [];
        for (const { employee, plan } of await planPageEmployees(jumpcloud, employees, request, desiredOf)) {
          const personioId = employee.personioId;
          if (plan.kind === 'skip') {
            const jumpcloudUserId = plan.user?._id;
            settled.push({
              result: withWarnings(
                {
                  personioId,
                  outcome: 'skipped',
                  reason: plan.reason,
                  ...(jumpcloudUserId ? { jumpcloudUserId } : {}),
                },
                employee,
              ),
              groupIds: [],
            });
          } else if (plan.kind === 'change' && plan.outcome === 'unchanged' && plan.leftDepartment === null) {
            const activateAt = activateAtFor(employee, stateOf(plan.user), request.activation);
            settled.push({
              result: withWarnings(
                {
                  personioId,
                  outcome: 'unchanged',
                  jumpcloudUserId: plan.user._id,
                  ...(activateAt ? { activateAt } : {}),
                },
                employee,
              ),
              groupIds: groupIdsFor(employee, request),
            });
          } else {
            rest.push(employee);
            if (plan.kind === 'create') absent.push(personioId);
          }
        }
        // The client's concurrency cap and rate limit pace these; each join is idempotent.
        if (!request.dryRun) {
          const members = groupMembers ?? new GroupMembers(jumpcloud);
          const joins = settled.filter(
            ({ result, groupIds }) => result.jumpcloudUserId && groupIds.length > 0,
          );
          await Promise.all(
            joins.map(({ result, groupIds }) => members.join(result.jumpcloudUserId!, groupIds)),
          );
        }
        return {
          employees: rest,
          skipped: page.skipped,
          settled: [...heldBack, ...settled.map((s) => s.result)],
          totalElements: page.totalElements,
          absent,
        };
      });
    },

    /** Only reads: a plan is what applying would do, whatever `dryRun` says. */
    async planPage(request: PageRequest): Promise<PlannedPage> {
      return planning.plan(request, Context.current().info.workflowExecution?.workflowId);
    },
  };
}

/** A plan names groups and the ones a mover or leaver leaves: every plan request carries the rules. */
function groupRulesOf(request: PageRequest): GroupRules {
  if (!request.groupRules)
    throw ApplicationFailure.create({
      type: INVALID_IMPORT_INPUT,
      message: 'a page plan needs the import’s group rules (groupRules); the import sends them',
      nonRetryable: true,
    });
  return request.groupRules;
}

/**
 * Whether this run creates a supervisor's user: decided by their own plan when they are on
 * the page, else by their Personio record (active or onboarding, a usable email, not held
 * back), read once per supervisor and page. Leave and inactive are never created.
 */
function supervisorImported(
  deps: Partial<ImportDeps>,
  planned: readonly PlannedEmployee[],
  heldBack: readonly { personioId: number }[],
  notImported: readonly number[] | undefined,
): (supervisorId: number) => Promise<boolean> {
  const onPage = new Map(planned.map(({ employee, plan }) => [employee.personioId, plan.kind === 'create']));
  const held = new Set(heldBack.map((h) => h.personioId));
  if (notImported) {
    const left = new Set(notImported);
    return (supervisorId) =>
      Promise.resolve(!held.has(supervisorId) && (onPage.get(supervisorId) ?? !left.has(supervisorId)));
  }
  const known = new Map<number, Promise<boolean>>();
  return (supervisorId) => {
    if (held.has(supervisorId)) return Promise.resolve(false);
    const fromPage = onPage.get(supervisorId);
    if (fromPage !== undefined) return Promise.resolve(fromPage);
    let answer = known.get(supervisorId);
    if (!answer) {
      const personio = required(deps.personio, 'Personio client');
      answer = personio.getEmployee(supervisorId).then((raw) => {
        if (raw === null) return false;
        const parsed = parseEmployee(raw);
        return (
          parsed.ok &&
          (parsed.employee.status === 'active' || parsed.employee.status === 'onboarding') &&
          parsed.employee.email !== null
        );
      });
      known.set(supervisorId, answer);
    }
    return answer;
  };
}

/**
 * The manager each planned user would get (step 4 links them once every user exists), where
 * it differs from today's: the supervisor's JumpCloud user id, or `(Personio <id>)` for a
 * supervisor who has no user yet (this run creates it, if it imports them); none in a cycle.
 */
async function plannedManagers(
  jumpcloud: JumpCloudClient,
  planned: readonly PlannedEmployee[],
  supervisorCycle: readonly number[],
  /** Whether this run creates the user of a supervisor who has none yet. */
  willBeCreated: (supervisorId: number) => Promise<boolean>,
  /** The supervisors' users when they were already read (read-ahead.ts). */
  found?: Map<string, SystemUser[]>,
): Promise<Map<number, { from: string | null; to: string | null; effective: boolean }>> {
  const inCycle = new Set(supervisorCycle);
  const supervisors =
    found ??
    (await lookUpSupervisors(
      jumpcloud,
      planned.map(({ employee }) => employee),
    ));
  const changes = new Map<number, { from: string | null; to: string | null; effective: boolean }>();
  for (const { employee, plan } of planned) {
    const user = plan.kind === 'create' ? null : plan.user;
    if (plan.kind === 'skip' && !user) continue; // no user: nothing to link
    const supervisorId = employee.supervisorId;
    // A supervisor without a user who will not get one (on leave, inactive, no email, held
    // back) leaves the manager empty when applied: the plan must say the same.
    const to =
      supervisorId === null || inCycle.has(employee.personioId)
        ? null
        : (supervisors.get(String(supervisorId))?.[0]?._id ??
          ((await willBeCreated(supervisorId)) ? `(Personio ${supervisorId})` : null));
    const from = user?.manager || null;
    // Step 4 leaves the manager empty for a supervisor without a user: that is the change
    // it would write today, unless this run creates the supervisor's user first.
    const linked = to !== null && to.startsWith('(Personio ') ? null : to;
    if (from !== to)
      changes.set(employee.personioId, { from, to, effective: user !== null && from !== linked });
  }
  return changes;
}
