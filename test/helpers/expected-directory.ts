/**
 * An independent oracle for import tests: from the sandbox Personio's records, what
 * JumpCloud must contain after an import. Written from the rules in the README (not from the
 * domain code), so a test compares two separate readings of the rules.
 */
import type { EmployeeRecord, OrgUnitValue } from '../../sandbox/personio/model.js';

export interface ExpectedUser {
  employeeIdentifier: string;
  firstname: string;
  lastname: string;
  email: string;
  jobTitle: string;
  employeeType: string;
  company: string;
  location: string;
  department: string;
  costCenter: string;
  /** Personio id of the expected manager, or null. */
  managerPersonioId: number | null;
}

const validEmail = /^[^@\s]+@[^@\s]+\.[a-z]{2,}$/i;
const nameOf = (unit: OrgUnitValue) =>
  unit && typeof unit === 'object' && !Array.isArray(unit) ? unit.name : '';

export function costCenterOf(record: EmployeeRecord): string {
  const sorted = [...record.costCenters].sort(
    (a, b) => b.percentage - a.percentage || (a.name.toLowerCase() < b.name.toLowerCase() ? -1 : 1),
  );
  return sorted[0]?.name ?? '';
}

/** Employees who end up as JumpCloud users on a first import (no users existed before). */
export function expectedUsers(records: readonly EmployeeRecord[], cycle: ReadonlySet<number> = new Set()) {
  const importable = records.filter(
    (r) => (r.status === 'active' || r.status === 'onboarding') && r.email && validEmail.test(r.email.trim()),
  );
  const byEmail = new Map<string, number>();
  for (const r of importable) {
    const key = r.email!.trim().toLowerCase();
    byEmail.set(key, (byEmail.get(key) ?? 0) + 1);
  }
  const imported = importable.filter((r) => byEmail.get(r.email!.trim().toLowerCase()) === 1);
  const importedIds = new Set(imported.map((r) => r.id));
  const users = new Map<number, ExpectedUser>();
  for (const r of imported) {
    users.set(r.id, {
      employeeIdentifier: String(r.id),
      firstname: r.firstName.trim(),
      lastname: r.lastName.trim(),
      email: r.email!.trim().toLowerCase(),
      jobTitle: r.position,
      employeeType: r.employmentType,
      company: nameOf(r.subcompany),
      location: nameOf(r.office),
      department: nameOf(r.department),
      costCenter: costCenterOf(r),
      managerPersonioId:
        r.supervisorId !== null && importedIds.has(r.supervisorId) && !cycle.has(r.id)
          ? r.supervisorId
          : null,
    });
  }
  return users;
}

/** The JumpCloud fields compared against ExpectedUser ("" for absent). */
export function comparableUser(
  user: Record<string, unknown>,
  personioIdByUserId: Map<string, number>,
): ExpectedUser {
  const text = (v: unknown) => (typeof v === 'string' ? v : '');
  return {
    employeeIdentifier: text(user.employeeIdentifier),
    firstname: text(user.firstname),
    lastname: text(user.lastname),
    email: text(user.email),
    jobTitle: text(user.jobTitle),
    employeeType: text(user.employeeType),
    company: text(user.company),
    location: text(user.location),
    department: text(user.department),
    costCenter: text(user.costCenter),
    managerPersonioId:
      typeof user.manager === 'string' && user.manager ? (personioIdByUserId.get(user.manager) ?? -1) : null,
  };
}
