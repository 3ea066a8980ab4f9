/**
 * Step 3: one employee into JumpCloud, as one activity (visible and retried on its own).
 *
 * Match by employeeIdentifier (the Personio id), then by email; create as STAGED (or the
 * input's state), update only the fields that differ, suspend/reactivate per the status
 * rules, and join the import's groups. Safe to retry at any point: every write is preceded
 * by a lookup, "already exists" answers become lookups, and what an earlier attempt planned
 * is kept in the heartbeat so a retry reports "created"/"updated", not "unchanged".
 */
import { Context } from '@temporalio/activity';
import { heartbeat } from './heartbeat.js';
import { ApiError } from '../clients/api-error.js';
import type { JumpCloudClient, SystemUser } from '../clients/jumpcloud.js';
import { desiredJumpCloudFields } from '../domain/jumpcloud-fields.js';
import type { EmployeeResult, Outcome } from '../domain/outcomes.js';
import { decideStatusAction, type CreateState } from '../domain/status-rules.js';
import { diffUser, type FieldChange } from '../domain/user-diff.js';
import { baseUsername, usernameCandidate } from '../domain/username.js';
import { required, type ImportDeps } from './deps.js';
import { asActivity } from './failures.js';
import type { PageEmployee } from './fetch-page.js';

export interface StageRequest {
  employee: PageEmployee;
  /** Set when the directory scan held this employee back (e.g. a shared email). */
  heldBackReason?: string;
  /** Start with the id-suffixed username (another employee shares the base). */
  idSuffixedUsername: boolean;
  /** The import's groups this employee belongs in. */
  groupIds: string[];
  createState: CreateState;
  allowReactivation: boolean;
  dryRun: boolean;
}

/** What an attempt was about to do, kept in the heartbeat for the next attempt. */
export interface Plan {
  outcome: Outcome;
  changedFields?: string[];
}

const MAX_USERNAME_ATTEMPTS = 5;

export function createStageActivities(deps: Partial<ImportDeps>) {
  return {
    async stageEmployee(request: StageRequest): Promise<EmployeeResult> {
      const jumpcloud = required(deps.jumpcloud, 'JumpCloud client');
      return asActivity(() => stage(jumpcloud, request));
    },
  };
}

/**
 * Where an attempt's plan is kept for the next attempt. In the activity: its heartbeat
 * details (the default). The benchmark's plain-loop baseline runs outside Temporal and
 * has no retry to inform, so it passes `noPlanMemory`; nothing else changes.
 */
export interface PlanMemory {
  previous(): Plan | undefined;
  planned(plan: Plan): void;
}

const heartbeatPlanMemory: PlanMemory = { previous: previousPlan, planned };
export const noPlanMemory: PlanMemory = { previous: () => undefined, planned: () => {} };

export async function stage(
  jumpcloud: JumpCloudClient,
  request: StageRequest,
  plans: PlanMemory = heartbeatPlanMemory,
): Promise<EmployeeResult> {
  const { employee } = request;
  const personioId = employee.personioId;
  if (request.heldBackReason) return { personioId, outcome: 'skipped', reason: request.heldBackReason };

  const match = await findExisting(jumpcloud, employee);
  if ('conflict' in match) return { personioId, outcome: 'skipped', reason: match.conflict };
  const existing = match.user;

  const decision = decideStatusAction(
    {
      status: employee.status,
      existingState: existing ? stateOf(existing) : null,
      emailProblem: employee.emailProblem,
    },
    { createState: request.createState, allowReactivation: request.allowReactivation },
  );
  const desired = desiredJumpCloudFields({ ...employee, dynamic: {} });
  const previous = plans.previous();

  switch (decision.kind) {
    case 'skip':
    case 'keep-suspended':
      return {
        personioId,
        outcome: 'skipped',
        reason: decision.reason,
        ...(existing ? { jumpcloudUserId: existing._id } : {}),
      };

    case 'create': {
      if (request.dryRun) return { personioId, outcome: 'created', changedFields: Object.keys(desired) };
      plans.planned({ outcome: 'created' });
      const created = await createUser(jumpcloud, request, desired, decision.state);
      if ('conflict' in created) return { personioId, outcome: 'skipped', reason: created.conflict };
      await joinGroups(jumpcloud, created.user._id, request);
      return { personioId, outcome: 'created', jumpcloudUserId: created.user._id };
    }

    case 'update-or-unchanged':
    case 'suspend':
    case 'reactivate': {
      const user = existing!;
      const changes = diffUser(user, desired);
      const patch: Record<string, unknown> = Object.fromEntries(changes.map((c) => [c.field, c.to]));
      let outcome: Outcome = changes.length > 0 ? 'updated' : 'unchanged';
      if (decision.kind === 'suspend') {
        patch.state = 'SUSPENDED';
        outcome = 'suspended';
      } else if (decision.kind === 'reactivate') {
        patch.state = 'ACTIVATED';
        outcome = 'reactivated';
      }
      const changedFields = fieldNames(changes);
      if (Object.keys(patch).length > 0 && !request.dryRun) {
        plans.planned({ outcome, changedFields });
        await jumpcloud.updateUser(user._id, patch);
      }
      if (outcome !== 'suspended' && !request.dryRun) await joinGroups(jumpcloud, user._id, request);
      // Nothing left to do, but an earlier attempt did it (and crashed before reporting): report that.
      if (outcome === 'unchanged' && previous && previous.outcome !== 'unchanged') {
        return {
          personioId,
          outcome: previous.outcome,
          changedFields: previous.changedFields,
          jumpcloudUserId: user._id,
        };
      }
      return {
        personioId,
        outcome,
        ...(changedFields.length > 0 ? { changedFields } : {}),
        jumpcloudUserId: user._id,
      };
    }
  }
}

/**
 * Whether stage() would leave this user, found by employeeIdentifier, exactly as it is:
 * not held back, the status rules keep it as it is, and no managed field differs. Then
 * only the group joins remain, and a re-run can settle the employee without an activity
 * of its own (activities/settle-page.ts). Same rules as stage(), by construction.
 */
export function isInSync(
  user: SystemUser,
  request: Pick<StageRequest, 'employee' | 'heldBackReason' | 'createState' | 'allowReactivation'>,
): boolean {
  const { employee } = request;
  if (request.heldBackReason) return false;
  if (user.employeeIdentifier !== String(employee.personioId)) return false;
  const decision = decideStatusAction(
    { status: employee.status, existingState: stateOf(user), emailProblem: employee.emailProblem },
    { createState: request.createState, allowReactivation: request.allowReactivation },
  );
  if (decision.kind !== 'update-or-unchanged') return false;
  return diffUser(user, desiredJumpCloudFields({ ...employee, dynamic: {} })).length === 0;
}

type Match = { user: SystemUser | null } | { conflict: string };

async function findExisting(jumpcloud: JumpCloudClient, employee: PageEmployee): Promise<Match> {
  const byId = await jumpcloud.findUser('employeeIdentifier', String(employee.personioId));
  if (byId) return { user: byId };
  if (!employee.email) return { user: null };
  const byEmail = await jumpcloud.findUser('email', employee.email);
  if (!byEmail) return { user: null };
  const owner = byEmail.employeeIdentifier;
  if (owner && owner !== String(employee.personioId)) {
    return {
      conflict: `email already belongs to JumpCloud user ${byEmail._id} (employeeIdentifier ${owner}): fix the email in Personio or JumpCloud`,
    };
  }
  return { user: byEmail }; // a user created by hand before the import: adopt it
}

async function createUser(
  jumpcloud: JumpCloudClient,
  request: StageRequest,
  desired: Record<string, string>,
  state: CreateState,
): Promise<{ user: SystemUser } | { conflict: string }> {
  const { employee } = request;
  const base = baseUsername(employee.email, employee.firstName, employee.lastName);
  for (let attempt = request.idSuffixedUsername ? 1 : 0; attempt < MAX_USERNAME_ATTEMPTS; attempt++) {
    const username = usernameCandidate(base, employee.personioId, attempt);
    try {
      return { user: await jumpcloud.createUser({ ...withoutEmpty(desired), username, state }) };
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
      // Which uniqueness rule did we hit? An earlier attempt of ours, the email, or the username.
      const ours = await jumpcloud.findUser('employeeIdentifier', String(employee.personioId));
      if (ours) return { user: ours };
      if (employee.email && (await jumpcloud.findUser('email', employee.email))) {
        return { conflict: 'email already used by another JumpCloud user: fix it in Personio or JumpCloud' };
      }
      if (!(await jumpcloud.findUser('username', username))) throw err; // none of ours: let Temporal retry
    }
  }
  return { conflict: `username collision: ${MAX_USERNAME_ATTEMPTS} candidates are taken in JumpCloud` };
}

export async function joinGroups(
  jumpcloud: JumpCloudClient,
  userId: string,
  request: Pick<StageRequest, 'groupIds'>,
): Promise<void> {
  for (const groupId of request.groupIds) await jumpcloud.addMember(groupId, userId);
}

export function isAlreadyExists(err: unknown): boolean {
  return (
    err instanceof ApiError &&
    (err.status === 409 || (err.status === 400 && /already exists/i.test(err.message)))
  );
}

export function stateOf(user: SystemUser): 'STAGED' | 'ACTIVATED' | 'SUSPENDED' {
  if (user.state) return user.state;
  return user.suspended ? 'SUSPENDED' : 'ACTIVATED';
}

function fieldNames(changes: FieldChange[]): string[] {
  return changes.map((c) => c.field);
}

/** JumpCloud treats absent and "" alike; sending only what has a value keeps creates small. */
function withoutEmpty(fields: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== ''));
}

function previousPlan(): Plan | undefined {
  const details: unknown = Context.current().info.heartbeatDetails;
  return details && typeof details === 'object' && 'outcome' in details ? (details as Plan) : undefined;
}

function planned(plan: Plan): void {
  heartbeat(plan);
}
