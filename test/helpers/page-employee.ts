import type { PageEmployee } from '../../domain/employee-plan.js';

/**
 * An employee as a directory page holds them, with the required fields only (no position,
 * organisation, cost centers, dates or warnings); override what a test is about.
 */
export function pageEmployee(personioId: number, overrides: Partial<PageEmployee> = {}): PageEmployee {
  return {
    personioId,
    firstName: 'Test',
    lastName: `Employee ${personioId}`,
    email: `employee${personioId}@example.com`,
    status: 'active',
    position: null,
    supervisorId: null,
    employmentType: null,
    subcompany: null,
    office: null,
    department: null,
    team: null,
    costCenters: [],
    hireDate: null,
    terminationDate: null,
    lastModifiedAt: null,
    warnings: [],
    ...overrides,
  };
}
