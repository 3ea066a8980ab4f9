import type { Employee } from '../../../domain/personio-record.js';

/** A normalised employee with every field set; override what a test is about. */
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
