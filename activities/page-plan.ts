/**
 * A page of employees planned at once: two batched JumpCloud searches (by employeeIdentifier,
 * then by email for the rest) stand in for stage()'s two lookups per employee, and
 * planEmployee decides, so the outcome is stage()'s by construction. Reads only.
 */
import type { JumpCloudClient, SystemUser } from '../clients/jumpcloud.js';
import { madeByImport } from '../domain/group-ownership.js';
import { groupNameForDepartment } from '../domain/import-input.js';
import { groupIdsFor, groupsToLeave, type GroupRules } from '../domain/page-groups.js';
import type { PageEmployee } from './fetch-page.js';
import type { GroupMembers } from './group-members.js';
import {
  matchByEmail,
  planEmployee,
  type EmployeePlan,
  type Match,
  type PlanRules,
} from '../domain/employee-plan.js';
import type { DesiredFieldsOf } from './desired-fields.js';

/** JumpCloud's page limit for a search. */
const LOOKUP_BATCH = 100;

export interface PlannedEmployee {
  employee: PageEmployee;
  plan: EmployeePlan<SystemUser>;
}

/** A page's JumpCloud users: by employeeIdentifier, then by email for the employees not found so. */
export interface PageUsers {
  byId: Map<string, SystemUser[]>;
  byEmail: Map<string, SystemUser[]>;
}

export async function lookUpPageUsers(
  jumpcloud: JumpCloudClient,
  employees: readonly PageEmployee[],
): Promise<PageUsers> {
  const byId = await lookUp(
    employees.map((e) => String(e.personioId)),
    (ids) => jumpcloud.findUsersByEmployeeIdentifiers(ids),
    (user) => user.employeeIdentifier ?? undefined,
  );
  const unmatchedEmails = employees
    .filter((e) => !byId.has(String(e.personioId)) && e.email)
    .map((e) => e.email!);
  const byEmail = await lookUp(
    unmatchedEmails,
    (emails) => jumpcloud.findUsersByEmails(emails),
    (user) => user.email?.toLowerCase(),
  );
  return { byId, byEmail };
}

/** The users of these supervisors (Personio ids), by employeeIdentifier. */
export function lookUpSupervisors(
  jumpcloud: JumpCloudClient,
  employees: readonly PageEmployee[],
): Promise<Map<string, SystemUser[]>> {
  return lookUp(
    employees.flatMap((e) => (e.supervisorId === null ? [] : [String(e.supervisorId)])),
    (ids) => jumpcloud.findUsersByEmployeeIdentifiers(ids),
    (user) => user.employeeIdentifier ?? undefined,
  );
}

/**
 * Plans each employee of the page. `found`: the page's users when they were already read
 * (activities/read-ahead.ts); else they are looked up here.
 */
export async function planPageEmployees(
  jumpcloud: JumpCloudClient,
  employees: readonly PageEmployee[],
  rules: PlanRules,
  desiredFieldsOf: DesiredFieldsOf,
  found?: PageUsers,
): Promise<PlannedEmployee[]> {
  const { byId, byEmail } = found ?? (await lookUpPageUsers(jumpcloud, employees));
  return employees.map((employee) => {
    const found = byId.get(String(employee.personioId))?.[0];
    const match: Match<SystemUser> = found
      ? { user: found }
      : employee.email
        ? matchByEmail(employee.personioId, byEmail.get(employee.email.toLowerCase())?.[0] ?? null)
        : { user: null };
    return { employee, plan: planEmployee(employee, match, desiredFieldsOf(employee), rules) };
  });
}

/** Users found for these keys, by key, a batch of 100 per search. */
export async function lookUp(
  keys: readonly string[],
  search: (batch: string[]) => Promise<SystemUser[]>,
  keyOf: (user: SystemUser) => string | undefined,
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

/** The import's groups this changed user leaves (ids), resolving old department groups by name. */
export async function groupIdsToLeave(
  jumpcloud: JumpCloudClient,
  plan: Extract<EmployeePlan<SystemUser>, { kind: 'change' }>,
  employee: PageEmployee,
  rules: GroupRules,
): Promise<string[]> {
  const { ids, names } = groupsToLeave(
    {
      outcome: plan.outcome,
      leftDepartment: plan.leftDepartment,
      userDepartment: typeof plan.user.department === 'string' ? plan.user.department : null,
    },
    employee,
    rules,
    groupNameForDepartment,
  );
  // A group of that name the import did not make is someone else's: never left.
  for (const name of names) {
    const group = await jumpcloud.findGroup(name);
    if (group && madeByImport(group)) ids.push(group.id);
  }
  return ids;
}

/** The joins and leaves a plan shows: only memberships that would change. */
export async function membershipChanges(
  members: GroupMembers,
  jumpcloud: JumpCloudClient,
  planned: PlannedEmployee,
  rules: GroupRules,
): Promise<{ join: string[]; leave: string[] }> {
  const { employee, plan } = planned;
  if (plan.kind === 'skip') return { join: [], leave: [] };
  const wanted = groupIdsFor(employee, rules);
  if (plan.kind === 'create') return { join: wanted, leave: [] };
  const leave = await members.memberOf(
    plan.user._id,
    await groupIdsToLeave(jumpcloud, plan, employee, rules),
  );
  const join = plan.outcome === 'suspended' ? [] : await members.missing(plan.user._id, wanted);
  return { join, leave };
}
