/**
 * What the import would do to one employee, decided from what Personio says and which
 * JumpCloud user matches, with no request of its own. stage() (one employee, as an activity)
 * and the page planner (a page at a time: the preview, the approval safeguards and a
 * re-run's fast path) both decide through this one function, so a preview shows exactly
 * what applying does.
 */
import type { SystemUser } from '../clients/jumpcloud.js';
import type { DesiredUser } from '../domain/jumpcloud-fields.js';
import type { FieldValueChange } from '../domain/outcomes.js';
import { decideStatusAction, type CreateState, type JumpCloudUserState } from '../domain/status-rules.js';
import { diffUser, textChanges, type FieldChange, type UserChange } from '../domain/user-diff.js';
import type { PageEmployee } from './fetch-page.js';

/** The JumpCloud user an employee matches: by employeeIdentifier, else by email (adopted). */
export type Match = { user: SystemUser | null } | { conflict: string };

export interface PlanRules {
  createState: CreateState;
  allowReactivation: boolean;
}

export type EmployeePlan =
  | { kind: 'skip'; reason: string; user: SystemUser | null }
  | { kind: 'create'; state: CreateState; desired: DesiredUser }
  | {
      kind: 'change';
      user: SystemUser;
      outcome: 'updated' | 'unchanged' | 'suspended' | 'reactivated';
      changes: UserChange[];
      /** Old → new text per field (custom attributes one by one), for the report. */
      valueChanges: FieldValueChange[];
      /** The PUT body: the differing fields, and the new state when it changes. */
      patch: Record<string, unknown>;
      /** A department change: the department the user leaves (its group is left too). */
      leftDepartment: string | null;
    };

export function planEmployee(
  employee: PageEmployee,
  match: Match,
  desired: DesiredUser,
  rules: PlanRules,
): EmployeePlan {
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
        leftDepartment:
          departmentChange && typeof departmentChange.from === 'string' && departmentChange.from !== ''
            ? departmentChange.from
            : null,
      };
    }
  }
}

/** Matching by email, given the user found by it (if any): adopt it, or report whose it is. */
export function matchByEmail(personioId: number, byEmail: SystemUser | null): Match {
  if (!byEmail) return { user: null };
  const owner = byEmail.employeeIdentifier;
  if (owner && owner !== String(personioId)) {
    return {
      conflict: `email already belongs to JumpCloud user ${byEmail._id} (employeeIdentifier ${owner}): fix the email in Personio or JumpCloud`,
    };
  }
  return { user: byEmail }; // a user created by hand before the import: adopt it
}

export function stateOf(user: SystemUser): JumpCloudUserState {
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
