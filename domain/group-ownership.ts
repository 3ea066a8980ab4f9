// Which JumpCloud groups the import may use. A group it finds by name is adopted only when
// the import made it (its description carries the import's mark) and the worker's policy
// allows that name: an admin group that happens to share a name (a Personio department
// called "Admins" under a wide pattern, or a group made by hand) is never joined or left,
// it is reported. Pure: the groups activity, the page planner and the unit tests use it.
import type { ImportPolicy } from './import-policy.js';

/** What the import writes into the description of every group it creates. */
export const IMPORT_GROUP_DESCRIPTION = 'Managed by personio-jumpcloud-sync: members come from Personio';

/** A group the import found but will not use, and why (with the fix). */
export interface RefusedGroup {
  name: string;
  reason: string;
}

/** Whether the import made this group (the description it writes, as JumpCloud returns it). */
export function madeByImport(group: object): boolean {
  const description = (group as { description?: unknown }).description;
  return typeof description === 'string' && description.trim() === IMPORT_GROUP_DESCRIPTION;
}

/** Why an existing group is not adopted: its name and the way out. */
export function notMadeByImport(name: string): RefusedGroup {
  return {
    name,
    reason:
      `group "${name}" already exists in JumpCloud and was not created by this import, so nobody is added to or removed from it. ` +
      `Fix: choose another name (groups.allEmployeesGroup or groups.departmentGroupPattern), or, if this import should manage the group, ` +
      `set its description in JumpCloud to "${IMPORT_GROUP_DESCRIPTION}"`,
  };
}

/** A group name the policy does not allow (the input was checked, so this is a second line of defence). */
export function outsidePolicy(name: string): RefusedGroup {
  return {
    name,
    reason:
      `group "${name}" is not one the worker's import policy allows, so it is neither created nor joined. ` +
      `Fix: use an allowed name, or add it to groups.allEmployeesGroups / groups.departmentGroupPatterns in IMPORT_POLICY_FILE`,
  };
}

const ANY = '*';
const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** Whether the policy allows this all-employees group name. */
export function allEmployeesGroupAllowed(name: string, policy: ImportPolicy): boolean {
  const allowed = policy.groups.allEmployeesGroups;
  return allowed.includes(ANY) || allowed.some((n) => same(n, name));
}

/** Whether some allowed pattern gives this department group name for this department. */
export function departmentGroupAllowed(
  name: string,
  department: string,
  policy: ImportPolicy,
  groupNameFor: (pattern: string, department: string) => string,
): boolean {
  const patterns = policy.groups.departmentGroupPatterns;
  return patterns.includes(ANY) || patterns.some((p) => same(groupNameFor(p, department), name));
}
