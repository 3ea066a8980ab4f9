/**
 * Step 2b: one page of employees, every record validated. A malformed record becomes a
 * "skipped: reason" entry, never a crash. Custom (`dynamic_`) attributes can hold anything
 * (bank details, birthdays), and the page goes into workflow history: only the ones the
 * worker's attribute mapping reads are kept (in `custom`), the rest are dropped here.
 */
import { DEFAULT_MAPPING, mappedCustomKeys } from '../domain/attribute-mapping.js';
import { parseEmployee, type Employee } from '../domain/personio-record.js';
import type { PageEmployee } from '../domain/employee-plan.js';
import type { EmployeeResult } from '../domain/outcomes.js';
import type { FetchedPage } from '../domain/page-request.js';
import { required, type ImportDeps } from './deps.js';
import { asActivity } from './failures.js';

export type { PageEmployee } from '../domain/employee-plan.js';
export type { FetchedPage } from '../domain/page-request.js';

export function createFetchPageActivities(deps: Partial<ImportDeps>) {
  // Fixed for the worker's life: the mapping comes from its configuration.
  const customKeys = mappedCustomKeys(deps.mapping ?? DEFAULT_MAPPING);
  return {
    /** `updatedSince`: only employees Personio changed since then (a delta run); null: all. */
    async fetchEmployeePage(
      offset: number,
      limit: number,
      updatedSince?: string | null,
    ): Promise<FetchedPage> {
      const personio = required(deps.personio, 'Personio client');
      return asActivity(async () => {
        const page = await personio.listEmployees({
          offset,
          limit,
          ...(updatedSince ? { updatedSince } : {}),
        });
        return toFetchedPage(page.records, offset, page.totalElements, customKeys);
      });
    },
  };
}

/** Records as Personio sent them → validated employees and, for each malformed one, why it is skipped. */
export function toFetchedPage(
  records: readonly unknown[],
  offset: number,
  totalElements: number,
  customKeys: readonly string[],
): FetchedPage {
  const employees: PageEmployee[] = [];
  const skipped: EmployeeResult[] = [];
  for (const [index, record] of records.entries()) {
    const parsed = parseEmployee(record);
    if (parsed.ok) {
      const { dynamic, ...employee } = parsed.employee;
      employees.push({ ...employee, custom: pickCustom(dynamic, customKeys) });
    } else {
      // A record without a usable id still gets a row: its position in the page says where to look.
      skipped.push({
        personioId: parsed.personioId ?? -(offset + index + 1),
        outcome: 'skipped',
        reason:
          parsed.personioId === null ? `record #${offset + index + 1}: ${parsed.reason}` : parsed.reason,
      });
    }
  }
  return { employees, skipped, totalElements };
}

/** The mapped custom attributes' values; an attribute the credential may not read stays absent. */
function pickCustom(dynamic: Employee['dynamic'], keys: readonly string[]): Record<string, unknown> {
  const custom: Record<string, unknown> = {};
  for (const key of keys) if (Object.hasOwn(dynamic, key)) custom[key] = dynamic[key]!.value;
  return custom;
}
