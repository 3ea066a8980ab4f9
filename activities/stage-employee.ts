/**
 * Step 3: one employee into JumpCloud, as one activity (visible and retried on its own).
 *
 * Match by employeeIdentifier (the Personio id), then by email; decide with planEmployee
 * (the same decision the preview shows); create as STAGED (or the input's state), update only
 * the fields that differ, suspend/reactivate per the status rules, join the import's groups,
 * and leave the old department's group (movers) or all of them (leavers, when asked). Safe to
 * retry at any point: every write is preceded by a lookup (on a first attempt, the page's
 * batched lookup moments before may stand in for it: `knownAbsent`), "already exists" answers
 * become lookups, and what an earlier attempt planned is kept in the heartbeat so a retry
 * reports "created"/"updated", not "unchanged".
 */
import { Context } from '@temporalio/activity';
import { heartbeat } from './heartbeat.js';
import { ApiError } from '../clients/api-error.js';
import type { JumpCloudClient, SystemUser } from '../clients/jumpcloud.js';
import { withWarnings, type EmployeeResult, type Outcome } from '../domain/outcomes.js';
import type { CreateState } from '../domain/status-rules.js';
import type { StageRequest } from '../domain/page-request.js';
import type { DesiredUser } from '../domain/jumpcloud-fields.js';
import type { UserChange } from '../domain/user-diff.js';
import { baseUsername, usernameCandidate } from '../domain/username.js';
import { required, type ImportDeps } from './deps.js';
import { asActivity } from './failures.js';
import { desiredFieldsFor, type DesiredFieldsOf } from './desired-fields.js';
import type { PageEmployee } from './fetch-page.js';
import { groupIdsToLeave } from './page-plan.js';
import { activateAtFor } from './activation-time-of.js';
import {
  createdFieldNames,
  matchByEmail,
  planEmployee,
  stateOf,
  type Match,
} from '../domain/employee-plan.js';

/** What an attempt was about to do, kept in the heartbeat for the next attempt. */
export interface Plan {
  outcome: Outcome;
  changedFields?: string[];
  /**
   * The groups a mover or leaver leaves, found before the update: once the department is
   * written, a retry could no longer tell which department group was the old one.
   */
  leaveGroupIds?: string[];
}

const MAX_USERNAME_ATTEMPTS = 5;

export function createStageActivities(deps: Partial<ImportDeps>) {
  const desiredOf = desiredFieldsFor(deps);
  return {
    async stageEmployee(request: StageRequest): Promise<EmployeeResult> {
      const jumpcloud = required(deps.jumpcloud, 'JumpCloud client');
      const firstAttempt = Context.current().info.attempt === 1;
      const trusted = firstAttempt ? request : { ...request, knownAbsent: false };
      const plans = firstAttempt ? heartbeatPlanMemory : retryPlanMemory(request, heartbeatPlanMemory);
      // The row says what was cut or cleaned in the employee's Personio data.
      return asActivity(async () =>
        withWarnings(await stage(jumpcloud, trusted, plans, desiredOf), request.employee),
      );
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

/**
 * A retry's memory of the attempt before it. The heartbeat carries the plan when it reached
 * the server, but Temporal throttles heartbeats and a worker killed moments after its create
 * takes the last one with it. The page's lookup is the other witness: it found no user for
 * this employee just before the first attempt (`knownAbsent`), so a user that a retry now
 * finds under the employee's Personio id was created by this import, and is reported so.
 */
export function retryPlanMemory(request: Pick<StageRequest, 'knownAbsent'>, memory: PlanMemory): PlanMemory {
  return {
    previous: () => memory.previous() ?? (request.knownAbsent ? { outcome: 'created' } : undefined),
    planned: (plan) => memory.planned(plan),
  };
}

export async function stage(
  jumpcloud: JumpCloudClient,
  request: StageRequest,
  plans: PlanMemory = heartbeatPlanMemory,
  desiredOf: DesiredFieldsOf = desiredFieldsFor({}),
): Promise<EmployeeResult> {
  const { employee } = request;
  const personioId = employee.personioId;
  if (request.heldBackReason) return { personioId, outcome: 'skipped', reason: request.heldBackReason };

  const existing = request.knownAbsent ? { user: null } : await findExisting(jumpcloud, employee);
  const plan = planEmployee(employee, existing, desiredOf(employee), request);
  const previous = plans.previous();

  switch (plan.kind) {
    case 'skip':
      return {
        personioId,
        outcome: 'skipped',
        reason: plan.reason,
        ...(plan.user ? { jumpcloudUserId: plan.user._id } : {}),
      };

    case 'create': {
      if (request.dryRun)
        return { personioId, outcome: 'created', changedFields: createdFieldNames(plan.desired) };
      plans.planned({ outcome: 'created' });
      const created = await createUser(jumpcloud, request, plan.desired, plan.state);
      if ('conflict' in created) return { personioId, outcome: 'skipped', reason: created.conflict };
      await joinGroups(jumpcloud, created.user._id, request);
      const activateAt = activateAtFor(employee, stateOf(created.user), request.activation);
      return {
        personioId,
        outcome: 'created',
        changedFields: createdFieldNames(plan.desired),
        jumpcloudUserId: created.user._id,
        // What the report shows: the username JumpCloud has (a collision may have suffixed
        // it) and the groups joined.
        username: created.user.username,
        ...(request.groupIds.length > 0 ? { groupsJoined: groupNames(request, request.groupIds) } : {}),
        ...(activateAt ? { activateAt } : {}),
      };
    }

    case 'change': {
      const { user, changes, patch, outcome, valueChanges } = plan;
      const changedFields = fieldNames(changes);
      const leave = request.groupRules
        ? await groupIdsToLeave(jumpcloud, plan, employee, request.groupRules)
        : [];
      const leaveGroupIds = [...new Set([...leave, ...(previous?.leaveGroupIds ?? [])])];
      if (!request.dryRun) {
        if (Object.keys(patch).length > 0 || leaveGroupIds.length > 0) {
          plans.planned({ outcome, changedFields, leaveGroupIds });
        }
        if (Object.keys(patch).length > 0) await jumpcloud.updateUser(user._id, patch);
        if (outcome !== 'suspended') await joinGroups(jumpcloud, user._id, request);
        for (const groupId of leaveGroupIds) await jumpcloud.removeMember(groupId, user._id);
      }
      const changeList = valueChanges;
      const activateAt =
        outcome === 'suspended' ? undefined : activateAtFor(employee, stateOf(user), request.activation);
      // Nothing left to do, but an earlier attempt did it (and crashed before reporting): report that.
      if (outcome === 'unchanged' && previous && previous.outcome !== 'unchanged') {
        return {
          personioId,
          outcome: previous.outcome,
          jumpcloudUserId: user._id,
          ...(previous.outcome === 'created'
            ? {
                changedFields: createdFieldNames(desiredOf(employee)),
                username: user.username,
                ...(request.groupIds.length > 0
                  ? { groupsJoined: groupNames(request, request.groupIds) }
                  : {}),
              }
            : { changedFields: previous.changedFields }),
          ...(activateAt ? { activateAt } : {}),
        };
      }
      return {
        personioId,
        outcome,
        ...(changedFields.length > 0 ? { changedFields, changes: changeList } : {}),
        jumpcloudUserId: user._id,
        ...(leaveGroupIds.length > 0 ? { groupsLeft: groupNames(request, leaveGroupIds) } : {}),
        ...(activateAt ? { activateAt } : {}),
      };
    }
  }
}

async function findExisting(jumpcloud: JumpCloudClient, employee: PageEmployee): Promise<Match<SystemUser>> {
  const byId = await jumpcloud.findUser('employeeIdentifier', String(employee.personioId));
  if (byId) return { user: byId };
  if (!employee.email) return { user: null };
  return matchByEmail(employee.personioId, await jumpcloud.findUser('email', employee.email));
}

async function createUser(
  jumpcloud: JumpCloudClient,
  request: StageRequest,
  desired: DesiredUser,
  state: CreateState,
): Promise<{ user: SystemUser } | { conflict: string }> {
  const { employee } = request;
  const base = baseUsername(employee.email, employee.firstName, employee.lastName);
  for (let attempt = request.idSuffixedUsername ? 1 : 0; attempt < MAX_USERNAME_ATTEMPTS; attempt++) {
    const username = usernameCandidate(base, employee.personioId, attempt);
    try {
      return {
        user: await jumpcloud.createUser({
          ...withoutEmpty(desired.fields),
          ...(desired.attributes.values.length > 0 ? { attributes: desired.attributes.values } : {}),
          username,
          state,
        }),
      };
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

/** The import's groups by name, for the report (an id when the name is unknown). */
function groupNames(request: Pick<StageRequest, 'groupRules'>, ids: readonly string[]): string[] {
  return ids.map((id) => request.groupRules?.groupNames[id] ?? id);
}

export function isAlreadyExists(err: unknown): boolean {
  return (
    err instanceof ApiError &&
    (err.status === 409 || (err.status === 400 && /already exists/i.test(err.message)))
  );
}

/** The fields a create writes: those with a value, and `attributes` when the mapping has some. */
function fieldNames(changes: UserChange[]): string[] {
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
