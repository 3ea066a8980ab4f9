/**
 * Step 5: groups. Imported users reach an application only through a user group bound to
 * it, so the import makes sure its groups exist (before staging, which adds members) and
 * binds them to the applications named by display label (after staging). Both are
 * idempotent: an existing group the import made is found, an existing binding (409) is success.
 * An existing group the import did not make, or a name the policy does not allow, is never
 * adopted: it is left out and reported (domain/group-ownership.ts).
 */
import { departmentKey } from '../domain/directory-scan.js';
import {
  allEmployeesGroupAllowed,
  departmentGroupAllowed,
  IMPORT_GROUP_DESCRIPTION,
  madeByImport,
  notMadeByImport,
  outsidePolicy,
  type RefusedGroup,
} from '../domain/group-ownership.js';
import type { GroupPlan } from '../domain/group-plan.js';
import { groupNameForDepartment } from '../domain/import-input.js';
import { STRICT_POLICY } from '../domain/import-policy.js';
import { required, type ImportDeps } from './deps.js';
import { asActivity } from './failures.js';

export interface EnsuredGroups {
  allEmployeesGroupId: string | null;
  /** departmentKey(department) → group id */
  departmentGroupIds: Record<string, string>;
  created: string[];
  /** Groups left out: found but not made by the import, or outside the policy (absent in older runs). */
  refused?: RefusedGroup[];
}

export interface Bindings {
  bound: { application: string; groupId: string }[];
  alreadyBound: number;
  missingApplications: string[];
}

export function createGroupActivities(deps: Partial<ImportDeps>) {
  return {
    /** In a dry run, a missing group is reported as created, with a placeholder id. */
    async ensureGroups(plan: GroupPlan, dryRun: boolean): Promise<EnsuredGroups> {
      const jumpcloud = required(deps.jumpcloud, 'JumpCloud client');
      const policy = deps.policy ?? STRICT_POLICY;
      return asActivity(async () => {
        const created: string[] = [];
        const refused: RefusedGroup[] = [];
        /** The group's id, or null when it is left out (and reported). */
        const ensure = async (name: string, allowed: boolean): Promise<string | null> => {
          if (!allowed) {
            refused.push(outsidePolicy(name));
            return null;
          }
          if (dryRun) {
            const found = await jumpcloud.findGroup(name);
            if (found && !madeByImport(found)) {
              refused.push(notMadeByImport(found.name));
              return null;
            }
            if (found) return found.id;
            created.push(name);
            return `(new group ${name})`;
          }
          const ensured = await jumpcloud.ensureGroup(name, IMPORT_GROUP_DESCRIPTION);
          if (ensured.created) created.push(ensured.group.name);
          else if (!madeByImport(ensured.group)) {
            refused.push(notMadeByImport(ensured.group.name));
            return null;
          }
          return ensured.group.id;
        };
        const allEmployeesGroupId = plan.allEmployeesGroup
          ? await ensure(plan.allEmployeesGroup, allEmployeesGroupAllowed(plan.allEmployeesGroup, policy))
          : null;
        const departmentGroupIds: Record<string, string> = {};
        for (const { department, groupName } of plan.departmentGroups) {
          const allowed = departmentGroupAllowed(groupName, department, policy, groupNameForDepartment);
          const id = await ensure(groupName, allowed);
          if (id !== null) departmentGroupIds[departmentKey(department)] = id;
        }
        return { allEmployeesGroupId, departmentGroupIds, created, refused };
      });
    },

    async bindGroupsToApplications(
      applications: string[],
      groupIds: string[],
      dryRun: boolean,
    ): Promise<Bindings> {
      const jumpcloud = required(deps.jumpcloud, 'JumpCloud client');
      return asActivity(async () => {
        const result: Bindings = { bound: [], alreadyBound: 0, missingApplications: [] };
        for (const label of applications) {
          const app = await jumpcloud.findApplication(label);
          if (!app) {
            result.missingApplications.push(label);
            continue;
          }
          const existing = new Set(await jumpcloud.listApplicationGroups(app.id));
          for (const groupId of groupIds) {
            if (existing.has(groupId)) {
              result.alreadyBound++;
              continue;
            }
            if (dryRun || (await jumpcloud.bindGroupToApplication(app.id, groupId))) {
              result.bound.push({ application: label, groupId });
            } else result.alreadyBound++;
          }
        }
        return result;
      });
    },
  };
}
