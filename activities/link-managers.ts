/**
 * Step 4: managers, once every user exists. For one page of employees, set each JumpCloud
 * user's `manager` to their supervisor's JumpCloud user. A supervisor who was not imported,
 * or a supervisor cycle, leaves the manager empty, with the reason in the report.
 * Reads the page again with only the attributes it needs, and writes only what differs.
 */
import { Context } from '@temporalio/activity';
import { heartbeat } from './heartbeat.js';
import { parseEmployee } from '../domain/personio-record.js';
import { required, type ImportDeps } from './deps.js';
import { asActivity } from './failures.js';
import { lookUp } from './page-plan.js';
import type { PersonioReader } from './deps.js';

export interface ManagerNote {
  personioId: number;
  reason: string;
}

export interface ManagerLinks {
  linked: number;
  cleared: number;
  unchanged: number;
  notes: ManagerNote[];
}

export interface LinkManagersRequest {
  offset: number;
  limit: number;
  supervisorCycle: number[];
  dryRun: boolean;
  /** A delta run links the managers of the employees it read: those changed since then. */
  updatedSince?: string | null;
  /**
   * Each employee's Personio supervisor, from the page as the run read it
   * (workflows/directory-page.ts): nothing is read from Personio. Absent in older runs.
   */
  pairs?: { personioId: number; supervisorId: number | null }[];
}

/**
 * The manager writes earlier attempts planned (personioId → linked/cleared), kept in the
 * heartbeat: a retry finds those users already right, and must still report them as linked
 * or cleared, not unchanged (the same reason stageEmployee keeps its plan).
 */
type LinkPlan = Record<string, 'linked' | 'cleared'>;

export function createLinkManagerActivities(deps: Partial<ImportDeps>) {
  return {
    async linkManagersForPage(request: LinkManagersRequest): Promise<ManagerLinks> {
      const personio = request.pairs ? undefined : required(deps.personio, 'Personio client');
      const jumpcloud = required(deps.jumpcloud, 'JumpCloud client');
      return asActivity(async () => {
        const pairs = request.pairs ?? (await readPairs(personio!, request));
        const ids = new Set<string>();
        for (const p of pairs) {
          ids.add(String(p.personioId));
          if (p.supervisorId !== null) ids.add(String(p.supervisorId));
        }
        const found = await lookUp(
          [...ids],
          (batch) => jumpcloud.findUsersByEmployeeIdentifiers(batch),
          (user) => user.employeeIdentifier ?? undefined,
        );
        const users = new Map([...found].map(([id, [user]]) => [id, user!]));

        const inCycle = new Set(request.supervisorCycle);
        const result: ManagerLinks = { linked: 0, cleared: 0, unchanged: 0, notes: [] };
        const updates: { userId: string; manager: string | null }[] = [];
        const earlier = previousLinkPlan();
        const plan: LinkPlan = {};
        for (const { personioId, supervisorId } of pairs) {
          const user = users.get(String(personioId));
          if (!user) continue; // not in JumpCloud (not imported): nothing to link
          let desired: string | null = null;
          if (inCycle.has(personioId)) {
            result.notes.push({
              personioId,
              reason: 'supervisor cycle in Personio: manager left empty; fix the supervisor chain',
            });
          } else if (supervisorId !== null) {
            const manager = users.get(String(supervisorId));
            if (manager) desired = manager._id;
            else
              result.notes.push({
                personioId,
                reason: `supervisor ${supervisorId} not imported: manager left empty`,
              });
          }
          const current = user.manager || null;
          const change = desired === null ? 'cleared' : 'linked';
          if (current === desired) {
            // Already right: by an earlier attempt of ours (report what it did), or before this run.
            if (earlier[personioId] === change) {
              plan[personioId] = change;
              result[change]++;
            } else result.unchanged++;
            continue;
          }
          updates.push({ userId: user._id, manager: desired });
          plan[personioId] = change;
          result[change]++;
        }
        // All of the page's updates at once: the client's concurrency cap and rate limit pace
        // them (one at a time, a page with 100 changes took 100 round trips; bench/ workload A).
        if (!request.dryRun) {
          heartbeat(plan);
          await Promise.all(
            updates.map(async ({ userId, manager }) => {
              await jumpcloud.updateUser(userId, { manager });
              heartbeat(plan);
            }),
          );
        }
        return result;
      });
    },
  };
}

function previousLinkPlan(): LinkPlan {
  const details: unknown = Context.current().info.heartbeatDetails;
  return details && typeof details === 'object' ? (details as LinkPlan) : {};
}

/** Runs recorded before pages were held read the page's supervisors here. */
async function readPairs(
  personio: PersonioReader,
  request: LinkManagersRequest,
): Promise<{ personioId: number; supervisorId: number | null }[]> {
  const page = await personio.listEmployees({
    offset: request.offset,
    limit: request.limit,
    // A delta reads exactly the pages the staging step read: with a projection, Personio
    // would select only employees whose projected attributes changed.
    ...(request.updatedSince
      ? { updatedSince: request.updatedSince }
      : { attributes: ['first_name', 'last_name', 'status', 'supervisor'] }),
  });
  const pairs: { personioId: number; supervisorId: number | null }[] = [];
  for (const record of page.records) {
    const parsed = parseEmployee(record);
    if (parsed.ok)
      pairs.push({ personioId: parsed.employee.personioId, supervisorId: parsed.employee.supervisorId });
  }
  return pairs;
}
