/**
 * The sandbox's internal employee record: plain data, one per employee. Rendering into
 * Personio's attribute format lives in render.ts, so tests and mutations work on this shape.
 */

export const employeeStatuses = ['active', 'onboarding', 'leave', 'inactive'] as const;
export type EmployeeStatus = (typeof employeeStatuses)[number];

export interface OrgUnit {
  id: number;
  name: string;
}

/** Real accounts sometimes send "" or [] where an object (or null) belongs. */
export type OrgUnitValue = OrgUnit | null | '' | [];

export interface CostCenterShare {
  id: number;
  name: string;
  percentage: number;
}

/** Values of `dynamic_<id>` custom attributes; tags are a list (or, dirty, a JSON string). */
export type CustomValue = string | string[] | null;

export interface EmployeeRecord {
  id: number;
  firstName: string;
  lastName: string;
  /** Absent (undefined) when the account has no email attribute for this person at all. */
  email?: string;
  gender: 'male' | 'female' | 'diverse';
  status: EmployeeStatus;
  position: string;
  supervisorId: number | null;
  employmentType: 'internal' | 'external';
  weeklyWorkingHours: number;
  /** Dates are stored exactly as Personio renders them: "2014-11-09T00:00:00+01:00". */
  hireDate: string;
  terminationDate: string | null;
  createdAt: string;
  lastModifiedAt: string;
  subcompany: OrgUnitValue;
  office: OrgUnitValue;
  department: OrgUnitValue;
  team: OrgUnitValue;
  costCenters: CostCenterShare[];
  /** Keyed by attribute key, e.g. "dynamic_1004". */
  custom: Record<string, CustomValue>;
}

export function isOrgUnit(value: OrgUnitValue): value is OrgUnit {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
