/**
 * Step 5: groups. Imported users reach an application only through a user group bound to
 * it, so the import makes sure its groups exist (before staging, which adds members) and
 * binds them to the applications named by display label (after staging). Both are
 * idempotent: an existing group is found, an existing binding (409) is success.
 */
import { departmentKey } from '../domain/directory-scan.js';
import { required, type ImportDeps } from './deps.js';
import { asActivity } from './failures.js';

export interface GroupPlan {
  /** The group for every imported employee, or null for none. */
  allEmployeesGroup: string | null;
  /** department name → group name (empty unless the input asks for department groups). */
  departmentGroups: { department: string; groupName: string }[];
}

export interface EnsuredGroups {
  allEmployeesGroupId: string | null;
  /** departmentKey(department) → group id */
  departmentGroupIds: Record<string, string>;
  created: string[];
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
      return asActivity(async () => {
        const description = 'Managed by personio-jumpcloud-sync: members come from Personio';
        const created: string[] = [];
        const ensure = async (name: string): Promise<string> => {
          if (dryRun) {
            const found = await jumpcloud.findGroup(name);
            if (found) return found.id;
            created.push(name);
            return `(new group ${name})`;
          }
          const ensured = await jumpcloud.ensureGroup(name, description);
          if (ensured.created) created.push(ensured.group.name);
          return ensured.group.id;
        };
        const allEmployeesGroupId = plan.allEmployeesGroup ? await ensure(plan.allEmployeesGroup) : null;
        const departmentGroupIds: Record<string, string> = {};
        for (const { department, groupName } of plan.departmentGroups) {
          departmentGroupIds[departmentKey(department)] = await ensure(groupName);
        }
        return { allEmployeesGroupId, departmentGroupIds, created };
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
