// Which of the import's groups an employee joins: the all-employees group, and their
// department's group when department groups are on. Shared by the page workflow and the
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
