// Employees for tests, as the domain sees them after parsing (`employee`, `emptyEmployee`) and as
// a directory page holds them (`pageEmployee`). Override what a test is about.
import type { PageEmployee } from '../../domain/employee-plan.js';
import type { Employee } from '../../domain/personio-record.js';

/** A normalised employee with every field set. */
export function employee(overrides: Partial<Employee> = {}): Employee {
  return {
    personioId: 1001,
    firstName: 'Anna',
    lastName: 'Schmidt',
    email: 'anna.schmidt@example.com',
    status: 'active',
    position: 'Engineer',
    supervisorId: 7,
    employmentType: 'internal',
    subcompany: 'CS Demo GmbH',
    office: 'Munich',
    department: 'Customer Support',
    team: 'T_X',
    costCenters: [{ id: 1, name: 'Support', percentage: 100 }],
    hireDate: null,
    terminationDate: null,
    lastModifiedAt: null,
    dynamic: {},
    warnings: [],
    ...overrides,
  };
}

/**
 * An employee whose every Personio value that may be empty is: no email, position,
 * employment type, subcompany, office, department, team or cost center (the dates are empty
 * in `employee()` already).
 */
export function emptyEmployee(overrides: Partial<Employee> = {}): Employee {
  return employee({
    email: null,
    position: null,
    employmentType: null,
    subcompany: null,
    office: null,
    department: null,
    team: null,
    costCenters: [],
    ...overrides,
  });
}

/**
 * An employee as a directory page holds them (no `dynamic`), with the required fields only:
 * a name and email made from the id, no supervisor, every other value empty.
 */
export function pageEmployee(personioId: number, overrides: Partial<PageEmployee> = {}): PageEmployee {
  const { dynamic: _, ...onPage } = emptyEmployee({
    personioId,
    firstName: 'Test',
    lastName: `Employee ${personioId}`,
    email: `employee${personioId}@example.com`,
    supervisorId: null,
  });
  return { ...onPage, ...overrides };
}
