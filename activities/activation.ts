/**
 * The activation on the hire date (workflows/activate-on-hire-date.ts): when the timer fires,
 * look again before acting. Weeks pass between staging a new hire and their first day; in that
 * time the hire may be withdrawn in Personio, the date moved, or the user changed by hand in
 * JumpCloud. Only a user who is still STAGED, of an employee who is still hired for that date,
 * is activated.
 */
import type { JumpCloudClient, SystemUser } from '../clients/jumpcloud.js';
import { ApiError } from '../clients/api-error.js';
import { ActivationTimeError, activationInstant, calendarDate } from '../domain/activation-time.js';
import { parseEmployee, type Employee } from '../domain/personio-record.js';
import { required, type ImportDeps, type PersonioReader } from './deps.js';
import { asActivity } from './failures.js';
import { stateOf } from '../domain/employee-plan.js';

/** The defaults of the import input's `activation` (domain/import-input.ts). */
export const DEFAULT_ACTIVATION_LOCAL_TIME = '09:00';
export const DEFAULT_ACTIVATION_TIME_ZONE = 'Europe/Berlin';

export interface ActivationCheck {
  personioId: number;
  jumpcloudUserId: string;
  /** The instant the workflow waited for (ISO 8601). */
  activateAt: string;
  /** How activateAt was derived from the hire date; needed to tell whether the date moved later. */
  localTime?: string;
  timeZone?: string;
}

export type ActivationDecision =
  | { kind: 'activated'; jumpcloudUserId: string }
  | { kind: 'already-active'; jumpcloudUserId: string }
  | { kind: 'cancelled'; reason: string }
  /** The hire date moved later: wait until this instant, then check again. */
  | { kind: 'wait'; activateAt: string };

export function createActivationActivities(deps: Partial<ImportDeps>) {
  return {
    async activateIfStillHired(check: ActivationCheck): Promise<ActivationDecision> {
      const personio = required(deps.personio, 'Personio client');
      const jumpcloud = required(deps.jumpcloud, 'JumpCloud client');
      return asActivity(() => activateIfStillHired(personio, jumpcloud, check));
    },
  };
}

export async function activateIfStillHired(
  personio: PersonioReader,
  jumpcloud: JumpCloudClient,
  check: ActivationCheck,
): Promise<ActivationDecision> {
  const hire = decideFromPersonio(await personio.getEmployee(check.personioId), check);
  if (hire) return hire;

  // By employeeIdentifier, as the import finds its users: the one user of this employee, even if
  // an admin deleted and a later import recreated it under a new id.
  const user = await jumpcloud.findUser('employeeIdentifier', String(check.personioId));
  const decision = decideFromJumpCloud(user);
  if (decision.kind !== 'activate') return decision;
  try {
    await jumpcloud.activateUser(decision.userId);
  } catch (err) {
    // Suspended between our read and the activation (JumpCloud answers 400): that is an answer.
    if (!(err instanceof ApiError && err.status === 400)) throw err;
    const again = decideFromJumpCloud(
      await jumpcloud.findUser('employeeIdentifier', String(check.personioId)),
    );
    if (again.kind === 'activate') throw err;
    return again;
  }
  return { kind: 'activated', jumpcloudUserId: decision.userId };
}

/** What Personio says about the hire now; undefined when it still stands for this date. */
export function decideFromPersonio(raw: unknown, check: ActivationCheck): ActivationDecision | undefined {
  if (raw === null) return { kind: 'cancelled', reason: 'employee no longer in Personio' };
  const parsed = parseEmployee(raw);
  // A record we cannot read (no status, say) is not a reason to give a person access.
  if (!parsed.ok) return { kind: 'cancelled', reason: `Personio record unreadable: ${parsed.reason}` };
  const employee = parsed.employee;
  if (employee.status === 'leave' || employee.status === 'inactive' || terminatedBeforeStart(employee)) {
    return { kind: 'cancelled', reason: 'terminated before the start date' };
  }
  const due = employee.hireDate ? activationFor(employee.hireDate, check) : null;
  // Only later counts: a date moved earlier has come already, so the user is activated now.
  if (due !== null && Date.parse(due) > Date.parse(check.activateAt) && Date.parse(due) > Date.now()) {
    return { kind: 'wait', activateAt: due };
  }
  return undefined;
}

/**
 * The activation instant of the hire date Personio has now. A date that names no real day
 * (2026-02-30 passes Personio's shape check) tells nothing about a move: null, keep the plan.
 */
function activationFor(hireDate: string, check: ActivationCheck): string | null {
  try {
    return activationInstant(
      hireDate,
      check.localTime ?? DEFAULT_ACTIVATION_LOCAL_TIME,
      check.timeZone ?? DEFAULT_ACTIVATION_TIME_ZONE,
    );
  } catch (err) {
    if (err instanceof ActivationTimeError) return null;
    throw err;
  }
}

/** A termination date before the hire date: the hire was withdrawn (Personio's usual way). */
function terminatedBeforeStart(employee: Employee): boolean {
  const terminated = calendarDate(employee.terminationDate);
  const hired = calendarDate(employee.hireDate);
  return terminated !== null && hired !== null && terminated < hired;
}

type JumpCloudDecision = Exclude<ActivationDecision, { kind: 'wait' }> | { kind: 'activate'; userId: string };

export function decideFromJumpCloud(user: SystemUser | null): JumpCloudDecision {
  if (!user) return { kind: 'cancelled', reason: 'JumpCloud user no longer exists' };
  switch (stateOf(user)) {
    case 'STAGED':
      return { kind: 'activate', userId: user._id };
    case 'ACTIVATED':
      return { kind: 'already-active', jumpcloudUserId: user._id };
    case 'SUSPENDED':
      // Someone suspended the user on purpose; an activation would undo that.
      return { kind: 'cancelled', reason: 'JumpCloud user is suspended' };
  }
}
