// The groups an import keeps (everyone's, and one per department when asked) and, once they
// exist in JumpCloud, the rules the page steps apply with them. Shared by the import workflow
// and the benchmark's plain-loop baseline, so both ensure the same groups.
import { departmentKey } from './directory-scan.js';
import { groupNameForDepartment, type ImportInput } from './import-input.js';
import type { GroupRules, ImportGroupIds } from './page-groups.js';

/** The groups the import keeps: everyone's, and one per department when asked. */
export interface GroupPlan {
  /** The group for every imported employee, or null for none. */
  allEmployeesGroup: string | null;
  /** department name → group name (empty unless the input asks for department groups). */
  departmentGroups: { department: string; groupName: string }[];
}

/** The groups for the input's settings and the departments the directory scan found. */
export function groupPlanOf(
  input: Pick<ImportInput, 'groups'>,
  scan: { departments: readonly string[] },
): GroupPlan {
  return {
    allEmployeesGroup: input.groups.allEmployeesGroup,
    departmentGroups: input.groups.perDepartment
      ? scan.departments.map((department) => ({
          department,
          groupName: groupNameForDepartment(input.groups.departmentGroupPattern, department),
        }))
      : [],
  };
}

/** The import's groups as the page steps need them: ids, names, and the leave rules. */
export function groupRules(
  input: Pick<ImportInput, 'groups'>,
  groups: ImportGroupIds,
  plan: GroupPlan,
): GroupRules {
  const groupNames: Record<string, string> = {};
  if (groups.allEmployeesGroupId && plan.allEmployeesGroup)
    groupNames[groups.allEmployeesGroupId] = plan.allEmployeesGroup;
  for (const { department, groupName } of plan.departmentGroups) {
    const id = groups.departmentGroupIds[departmentKey(department)];
    if (id) groupNames[id] = groupName;
  }
  return {
    allEmployeesGroupId: groups.allEmployeesGroupId,
    departmentGroupIds: groups.departmentGroupIds,
    departmentGroupPattern: input.groups.perDepartment ? input.groups.departmentGroupPattern : null,
    removeLeavers: input.groups.removeLeavers,
    groupNames,
  };
}
