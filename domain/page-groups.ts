// Which of the import's groups an employee joins (the all-employees group, and their
// department's group when department groups are on) and which they leave (movers, leavers). Shared by the page workflow and the
// page activity that settles unchanged employees, so both apply the same rule.
import { departmentKey } from './directory-scan.js';

export interface ImportGroupIds {
  allEmployeesGroupId: string | null;
  /** departmentKey(department) → group id */
  departmentGroupIds: Record<string, string>;
}

export function groupIdsFor(employee: { department: string | null }, groups: ImportGroupIds): string[] {
  const ids: string[] = [];
  if (groups.allEmployeesGroupId) ids.push(groups.allEmployeesGroupId);
  if (employee.department) {
    const id = groups.departmentGroupIds[departmentKey(employee.department)];
    if (id) ids.push(id);
  }
  return ids;
}

/** What the page steps need to know about the import's groups beyond the ids to join. */
export interface GroupRules extends ImportGroupIds {
  /** The department group name pattern; null when department groups are off. */
  departmentGroupPattern: string | null;
  /** Leavers also leave the import's groups. */
  removeLeavers: boolean;
  /** group id → name, so a plan reads as names. */
  groupNames: Record<string, string>;
}

/**
 * The import's groups a user leaves: a mover leaves the old department's group (found by id
 * when that department still exists, else by its name), a leaver leaves the all-employees
 * group and their department's group when `removeLeavers` is on. Only groups of this import
 * are ever left; a membership someone added by hand to any other group stays.
 */
export function groupsToLeave(
  change: { outcome: string; leftDepartment: string | null; userDepartment: string | null },
  employee: { department: string | null },
  rules: GroupRules,
  groupNameFor: (pattern: string, department: string) => string,
): { ids: string[]; names: string[] } {
  const ids = new Set<string>();
  const names = new Set<string>();
  const departmentGroup = (department: string) => {
    if (!rules.departmentGroupPattern || department.trim() === '') return;
    const id = rules.departmentGroupIds[departmentKey(department)];
    if (id) ids.add(id);
    else names.add(groupNameFor(rules.departmentGroupPattern, department));
  };
  if (change.outcome === 'suspended' && rules.removeLeavers) {
    if (rules.allEmployeesGroupId) ids.add(rules.allEmployeesGroupId);
    departmentGroup(change.userDepartment ?? '');
    if (change.leftDepartment) departmentGroup(change.leftDepartment);
  } else if (change.leftDepartment) {
    departmentGroup(change.leftDepartment);
    for (const keep of groupIdsFor(employee, rules)) ids.delete(keep);
  }
  return { ids: [...ids], names: [...names] };
}
