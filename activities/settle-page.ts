/**
 * Step 3a: read one page, and settle at once every employee stage() would leave as it is:
 * a user already exactly as the import would leave it (isInSync: the same rules as
 * stageEmployee), a suspended user who may not be reactivated, an employee held back, and
 * one with no JumpCloud user who would not be created (a former employee never imported,
 * an email missing). For in-sync users the only work left is the group joins, done here,
 * skipping members the group already lists (activities/group-members.ts; an unlisted
 * existing member is a 409: success). The others go on to stageEmployee, one activity each.
 *
 * Why: a re-run with nothing changed used to cost an activity (3+ history events, a round
 * trip through the server) and a lookup or two per employee; now it costs one batched
 * lookup by id and one by email per 100 employees, and the group joins, so a re-run takes
 * a fraction of the first run (README, Performance). Safe to retry: it writes nothing but
 * idempotent group joins.
 */
import type { HeldBack } from '../domain/directory-scan.js';
import type { EmployeeResult } from '../domain/outcomes.js';
import { groupIdsFor, type ImportGroupIds } from '../domain/page-groups.js';
import { decideStatusAction, type CreateState } from '../domain/status-rules.js';
import type { SystemUser } from '../clients/jumpcloud.js';
import { required, type ImportDeps } from './deps.js';
import { asActivity } from './failures.js';
import { createFetchPageActivities, type FetchedPage, type PageEmployee } from './fetch-page.js';
import { GroupMembers } from './group-members.js';
import { isInSync, stateOf } from './stage-employee.js';

export interface SettlePageRequest extends ImportGroupIds {
  offset: number;
  limit: number;
  heldBack: HeldBack[];
  createState: CreateState;
  allowReactivation: boolean;
  dryRun: boolean;
}

export interface SettledPage extends FetchedPage {
  /** Employees settled here: "unchanged" (group joins done, not in a dry run) or "skipped". */
  settled: EmployeeResult[];
}

/** JumpCloud's page limit for a search. */
const LOOKUP_BATCH = 100;

export function createSettlePageActivities(deps: Partial<ImportDeps>) {
  const pages = createFetchPageActivities(deps);
  const groupMembers = deps.jumpcloud ? new GroupMembers(deps.jumpcloud) : undefined;
  return {
    async fetchAndSettlePage(request: SettlePageRequest): Promise<SettledPage> {
      const page = await pages.fetchEmployeePage(request.offset, request.limit);
      const jumpcloud = required(deps.jumpcloud, 'JumpCloud client');
      return asActivity(async () => {
        const heldBack = new Map(request.heldBack.map((h) => [h.personioId, h.reason]));
        const employees = page.employees.filter((e) => !heldBack.has(e.personioId));
        const byId = await lookUp(
          employees.map((e) => String(e.personioId)),
          (ids) => jumpcloud.findUsersByEmployeeIdentifiers(ids),
        );
        // Employees no user carries the id of are matched by email next (stage() does the
        // same): one batched search tells which of them have no JumpCloud user at all.
        const unmatchedEmails = employees
          .filter((e) => !byId.has(String(e.personioId)) && e.email)
          .map((e) => e.email!);
        const byEmail = await lookUp(
          unmatchedEmails,
          (emails) => jumpcloud.findUsersByEmails(emails),
          (u) => u.email?.toLowerCase(),
        );

        const settled: { result: EmployeeResult; groupIds: string[] }[] = [];
        const rest: FetchedPage['employees'] = [];
        const seen = new Set<number>();
        for (const employee of page.employees) {
          if (seen.has(employee.personioId)) continue; // a repeated record is staged once
          seen.add(employee.personioId);
          const personioId = employee.personioId;
          const reason = heldBack.get(personioId);
          if (reason !== undefined) {
            settled.push({ result: { personioId, outcome: 'skipped', reason }, groupIds: [] });
            continue;
          }
          const users = byId.get(String(personioId)) ?? [];
          const hasEmailMatch = employee.email !== null && byEmail.has(employee.email.toLowerCase());
          const settlement =
            users.length === 1
              ? settleExisting(users[0]!, employee, request)
              : users.length === 0 && !hasEmailMatch
                ? settleAbsent(employee, request)
                : undefined;
          if (settlement) settled.push(settlement);
          else rest.push(employee);
        }
        // The client's concurrency cap and rate limit pace these; each join is idempotent.
        if (!request.dryRun) {
          const members = groupMembers ?? new GroupMembers(jumpcloud);
          await Promise.all(
            settled.map(({ result, groupIds }) => members.join(result.jumpcloudUserId!, groupIds)),
          );
        }
        return {
          employees: rest,
          skipped: page.skipped,
          settled: settled.map((s) => s.result),
          totalElements: page.totalElements,
        };
      });
    },
  };
}

/** Users found for these keys, by key (a batch of 100 per search: JumpCloud's page limit). */
async function lookUp(
  keys: string[],
  search: (batch: string[]) => Promise<SystemUser[]>,
  keyOf: (user: SystemUser) => string | undefined = (user) => user.employeeIdentifier ?? undefined,
): Promise<Map<string, SystemUser[]>> {
  const unique = [...new Set(keys)];
  const found = new Map<string, SystemUser[]>();
  for (let i = 0; i < unique.length; i += LOOKUP_BATCH) {
    for (const user of await search(unique.slice(i, i + LOOKUP_BATCH))) {
      const key = keyOf(user);
      if (key !== undefined) found.set(key, [...(found.get(key) ?? []), user]);
    }
  }
  return found;
}

type Settlement = { result: EmployeeResult; groupIds: string[] };

/**
 * The user carrying this employee's id, when stage() would leave it as it is: in sync
 * (unchanged, only the group joins remain), or suspended with reactivation not allowed.
 */
function settleExisting(
  user: SystemUser,
  employee: PageEmployee,
  request: SettlePageRequest,
): Settlement | undefined {
  const personioId = employee.personioId;
  const decision = decideStatusAction(
    { status: employee.status, existingState: stateOf(user), emailProblem: employee.emailProblem },
    request,
  );
  if (decision.kind === 'keep-suspended')
    return {
      result: { personioId, outcome: 'skipped', reason: decision.reason, jumpcloudUserId: user._id },
      groupIds: [],
    };
  if (
    !isInSync(user, {
      employee,
      createState: request.createState,
      allowReactivation: request.allowReactivation,
    })
  )
    return undefined;
  return {
    result: { personioId, outcome: 'unchanged', jumpcloudUserId: user._id },
    groupIds: groupIdsFor(employee, request),
  };
}

/**
 * No user by id or by email: stage() would create one, or skip the employee (a leaver who
 * was never imported, an email missing). A skip is settled here, so a re-run does not spend
 * an activity on each of the directory's former employees.
 */
function settleAbsent(employee: PageEmployee, request: SettlePageRequest): Settlement | undefined {
  const decision = decideStatusAction(
    { status: employee.status, existingState: null, emailProblem: employee.emailProblem },
    request,
  );
  if (decision.kind !== 'skip') return undefined;
  return {
    result: { personioId: employee.personioId, outcome: 'skipped', reason: decision.reason },
    groupIds: [],
  };
}
