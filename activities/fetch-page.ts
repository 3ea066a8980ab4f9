/**
 * Step 2b: one page of employees, every record validated. A malformed record becomes a
 * "skipped: reason" entry, never a crash. Custom (`dynamic_`) attributes are dropped here:
 * they can hold anything (bank details, birthdays) and nothing downstream needs them yet,
 * so they never reach workflow history.
 */
import { parseEmployee, type Employee } from '../domain/personio-record.js';
import type { EmployeeResult } from '../domain/outcomes.js';
import { required, type ImportDeps } from './deps.js';
import { asActivity } from './failures.js';

export type PageEmployee = Omit<Employee, 'dynamic'>;

export interface FetchedPage {
  employees: PageEmployee[];
  skipped: EmployeeResult[];
  totalElements: number;
}

export function createFetchPageActivities(deps: Partial<ImportDeps>) {
  return {
    async fetchEmployeePage(offset: number, limit: number): Promise<FetchedPage> {
      const personio = required(deps.personio, 'Personio client');
      return asActivity(async () => {
        const page = await personio.listEmployees({ offset, limit });
        const employees: PageEmployee[] = [];
        const skipped: EmployeeResult[] = [];
        for (const [index, record] of page.records.entries()) {
          const parsed = parseEmployee(record);
          if (parsed.ok) {
            const { dynamic: _dynamic, ...employee } = parsed.employee;
            employees.push(employee);
          } else {
            // A record without a usable id still gets a row: its position in the page says where to look.
            skipped.push({
              personioId: parsed.personioId ?? -(offset + index + 1),
              outcome: 'skipped',
              reason:
                parsed.personioId === null
                  ? `record #${offset + index + 1}: ${parsed.reason}`
                  : parsed.reason,
            });
          }
        }
        return { employees, skipped, totalElements: page.totalElements };
      });
    },
  };
}
