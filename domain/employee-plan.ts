/**
 * What the import does to one employee, decided from what Personio says and which JumpCloud
 * user matches, with no request of its own: skip (and why), create (in which state), or change
 * the matched user (the fields that differ, suspend, reactivate). Staging one employee
 * (activities/stage-employee.ts) and planning a page (activities/page-plan.ts: the preview,
 * the approval safeguards, a re-run's fast path) both decide through planEmployee, so a
 * preview shows exactly what applying does. The status rules themselves: status-rules.ts.
 * Deterministic and free of Node built-ins.
 */
import type { DesiredUser } from './jumpcloud-fields.js';
import type { FieldValueChange } from './outcomes.js';
import type { Employee } from './personio-record.js';
import { decideStatusAction, type CreateState, type JumpCloudUserState } from './status-rules.js';
import { diffUser, textChanges, type FieldChange, type UserChange } from './user-diff.js';

/** An employee as a page holds them (the mapped `dynamic_` values only, under `custom`). */
export type PageEmployee = Omit<Employee, 'dynamic'> & {
  /**
   * The values of the `dynamic_<id>` attributes the mapping reads, by key. Absent in pages
   * recorded before the mapping existed; empty with the default mapping.
   */
  custom?: Record<string, unknown>;
};

/**
 * The facts of a JumpCloud user the decision reads (structural: the client's SystemUser is
 * one; tests write them as plain objects). The managed fields are compared by name.
 */
export type JumpCloudUser = Readonly<Record<string, unknown>> & {
  _id: string;
  state?: JumpCloudUserState | undefined;
  suspended?: boolean | undefined;
  employeeIdentifier?: string | null | undefined;
};

/** The JumpCloud user an employee matches: by employeeIdentifier, else by email (adopted). */
export type Match<U extends JumpCloudUser = JumpCloudUser> = { user: U | null } | { conflict: string };

export interface PlanRules {
  createState: CreateState;
  allowReactivation: boolean;
}

export type EmployeePlan<U extends JumpCloudUser = JumpCloudUser> =
  | { kind: 'skip'; reason: string; user: U | null }
  | { kind: 'create'; state: CreateState; desired: DesiredUser }
  | {
      kind: 'change';
      user: U;
      outcome: 'updated' | 'unchanged' | 'suspended' | 'reactivated';
      changes: UserChange[];
      /** Old → new text per field (custom attributes one by one), for the report. */
      valueChanges: FieldValueChange[];
      /** The PUT body: the differing fields, and the new state when it changes. */
      patch: Record<string, unknown>;
      /** A department change: the department the user leaves (its group is left too). */
      leftDepartment: string | null;
    };

/** The decision for one employee: skip (why), create (in which state), or change their user. */
export function planEmployee<U extends JumpCloudUser>(
  employee: Pick<PageEmployee, 'status' | 'emailProblem'>,
  match: Match<U>,
  desired: DesiredUser,
  rules: PlanRules,
): EmployeePlan<U> {
  if ('conflict' in match) return { kind: 'skip', reason: match.conflict, user: null };
  const existing = match.user;
  const decision = decideStatusAction(
    {
      status: employee.status,
      existingState: existing ? stateOf(existing) : null,
      emailProblem: employee.emailProblem,
    },
    rules,
  );
  switch (decision.kind) {
    case 'skip':
    case 'keep-suspended':
      return { kind: 'skip', reason: decision.reason, user: existing };
    case 'create':
      return { kind: 'create', state: decision.state, desired };
    case 'update-or-unchanged':
    case 'suspend':
    case 'reactivate': {
      const user = existing!;
      const changes = diffUser(user, desired.fields, desired.attributes);
      const patch: Record<string, unknown> = Object.fromEntries(changes.map((c) => [c.field, c.to]));
      let outcome: 'updated' | 'unchanged' | 'suspended' | 'reactivated' =
        changes.length > 0 ? 'updated' : 'unchanged';
      if (decision.kind === 'suspend') {
        patch.state = 'SUSPENDED';
        outcome = 'suspended';
      } else if (decision.kind === 'reactivate') {
        patch.state = 'ACTIVATED';
        outcome = 'reactivated';
      }
      const departmentChange = changes.find((c): c is FieldChange => c.field === 'department');
      return {
        kind: 'change',
        user,
        outcome,
        changes,
        valueChanges: textChanges(changes, desired.attributes),
        patch,
        leftDepartment: departmentChange && departmentChange.from !== '' ? departmentChange.from : null,
      };
    }
  }
}

/** Matching by email, given the user found by it (if any): adopt it, or report whose it is. */
export function matchByEmail<U extends JumpCloudUser>(personioId: number, byEmail: U | null): Match<U> {
  if (!byEmail) return { user: null };
  const owner = byEmail.employeeIdentifier;
  if (owner && owner !== String(personioId)) {
    return {
      conflict: `email already belongs to JumpCloud user ${byEmail._id} (employeeIdentifier ${owner}): fix the email in Personio or JumpCloud`,
    };
  }
  return { user: byEmail }; // a user created by hand before the import: adopt it
}

/** A user's state; users written before JumpCloud had `state` say `suspended` only. */
export function stateOf(user: Pick<JumpCloudUser, 'state' | 'suspended'>): JumpCloudUserState {
  if (user.state) return user.state;
  return user.suspended ? 'SUSPENDED' : 'ACTIVATED';
}

/** A field change as plans and reports show it: values as text (custom attributes as JSON). */
export function asValueChange(change: { field: string; from: unknown; to: unknown }): FieldValueChange {
  const text = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));
  return { field: change.field, from: text(change.from), to: text(change.to) };
}

/** The fields a new user is created with (those with a value), as plans and reports name them. */
export function createdFieldNames(desired: DesiredUser): string[] {
  return [
    ...Object.entries(desired.fields)
      .filter(([, value]) => value !== '')
      .map(([field]) => field),
    ...(desired.attributes.values.length > 0 ? ['attributes'] : []),
  ];
}
