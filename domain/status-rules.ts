// What happens to one employee, given their Personio status and their JumpCloud user (if any).
// Deterministic and free of Node built-ins: workflow code imports this file.
//
// These follow JumpCloud's own Personio import:
// - active/onboarding: created (in the configured state) when missing; an existing user is
//   updated; a SUSPENDED user is reactivated only when reactivation is allowed.
// - leave/inactive: never created; an existing user is suspended; an already suspended user
//   stays as it is.
// Two additions of ours: a user that would be created without a usable e-mail address is
// skipped (JumpCloud requires one), and a STAGED user is left STAGED (activation is an admin's
// decision, and JumpCloud cannot put a user back to STAGED).
import type { EmailProblem, EmployeeStatus } from './personio-record.js';

export type JumpCloudUserState = 'STAGED' | 'ACTIVATED' | 'SUSPENDED';
export type CreateState = 'STAGED' | 'ACTIVATED';

export interface StatusRuleOptions {
  createState: CreateState;
  allowReactivation: boolean;
}

export interface StatusRuleInput {
  status: EmployeeStatus;
  /** null when no JumpCloud user matches the employee. */
  existingState: JumpCloudUserState | null;
  emailProblem?: EmailProblem | undefined;
}

/**
 * The decision. Every kind except `skip` still syncs the managed fields of an existing user
 * (see user-diff.ts); the kind says what happens to the user's state.
 * Suggested outcomes: create → created, update-or-unchanged → updated/unchanged (by the diff),
 * suspend → suspended, reactivate → reactivated, skip and keep-suspended → skipped with `reason`.
 */
export type StatusDecision =
  | { kind: 'create'; state: CreateState }
  | { kind: 'update-or-unchanged' }
  | { kind: 'suspend' }
  | { kind: 'reactivate' }
  | { kind: 'keep-suspended'; reason: string }
  | { kind: 'skip'; reason: string };

export const REACTIVATION_NOT_ALLOWED = 'suspended in JumpCloud; reactivation not allowed (needs an admin)';

export function decideStatusAction(input: StatusRuleInput, options: StatusRuleOptions): StatusDecision {
  const { status, existingState } = input;
  const imported = status === 'active' || status === 'onboarding';

  if (existingState === null) {
    if (!imported) return { kind: 'skip', reason: `status ${status}: not imported` };
    if (input.emailProblem !== undefined)
      return { kind: 'skip', reason: emailProblemReason(input.emailProblem) };
    return { kind: 'create', state: options.createState };
  }

  if (imported) {
    if (existingState !== 'SUSPENDED') return { kind: 'update-or-unchanged' };
    return options.allowReactivation
      ? { kind: 'reactivate' }
      : { kind: 'keep-suspended', reason: REACTIVATION_NOT_ALLOWED };
  }

  return existingState === 'SUSPENDED' ? { kind: 'update-or-unchanged' } : { kind: 'suspend' };
}

export function emailProblemReason(problem: EmailProblem): string {
  return problem === 'missing'
    ? 'email missing in Personio: add it there so the user can be created'
    : 'email invalid in Personio: fix it there so the user can be created';
}
