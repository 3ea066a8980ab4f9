/**
 * All activities, built from injected dependencies (the API clients, the notifier) so that
 * the worker, the tests and the benchmarks wire the same code to different backends.
 */
import { createActivationActivities } from './activation.js';
import { createApprovalActivities } from './approval.js';
import { createAuthenticateActivities } from './authenticate.js';
import { createCarriedStateActivities } from './carried-state.js';
import type { ImportDeps } from './deps.js';
import { createDiagnosticsActivities } from './diagnostics.js';
import { createFetchPageActivities } from './fetch-page.js';
import { createGroupActivities } from './groups.js';
import { createInputPolicyActivities } from './input-policy.js';
import { createLinkManagerActivities } from './link-managers.js';
import { createNotifyActivities } from './notify.js';
import { createReadDirectoryActivities } from './read-directory.js';
import { JumpCloudReadAhead } from './read-ahead.js';
import { createScanActivities } from './scan-directory.js';
import { createSettlePageActivities, pagePlanning } from './settle-page.js';
import { groupPlanOf } from '../domain/group-plan.js';
import { createStageActivities } from './stage-employee.js';

/** A worker without API clients can still run `ping`; the import's activities then say what is missing. */
export type ActivityDeps = Partial<ImportDeps>;

export function createActivities(deps: ActivityDeps = {}) {
  // One read-ahead per worker: the scan fills it, the preview of each page empties it.
  const readAhead = deps.jumpcloud ? new JumpCloudReadAhead(deps.jumpcloud) : undefined;
  // One planner per worker: the directory read previews with it, as the page steps do.
  const planning = pagePlanning(deps, readAhead);
  const groups = createGroupActivities(deps);
  return {
    ...createDiagnosticsActivities(),
    ...createInputPolicyActivities(deps),
    ...createCarriedStateActivities(deps),
    ...createApprovalActivities(deps),
    ...createAuthenticateActivities(deps),
    ...createScanActivities(deps),
    ...createReadDirectoryActivities(deps, readAhead, {
      plan: planning.plan,
      ensureGroups: (plan, dryRun) => groups.ensureGroups(plan, dryRun),
      // The all-employees group's members, read while Personio is (its id: a lookup, no write).
      warmUp: (settings) =>
        void groups
          .ensureGroups(groupPlanOf(settings, { departments: [] }), true)
          .then((found) => {
            if (found.allEmployeesGroupId) planning.groupMembers?.prefetch(found.allEmployeesGroupId);
          })
          .catch(() => undefined), // the plans read it themselves
    }),
    ...createFetchPageActivities(deps),
    ...createSettlePageActivities(deps, readAhead, planning),
    ...createStageActivities(deps),
    ...createLinkManagerActivities(deps),
    ...groups,
    ...createNotifyActivities(deps),
    ...createActivationActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
