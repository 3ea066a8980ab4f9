/**
 * What happens to employees between two imports: hires, terminations, moves, renames.
 * Used in-process (`sandbox.data.hire(...)`) and over HTTP (`/_sandbox/employees/...`).
 * Every mutation moves last_modified_at to now() and returns a copy of the record.
 */
import { departments } from './catalogue.js';
import { DAY_MS, formatDateTime, formatDayOf, normaliseCalendarDate, parseDateTime } from './dates.js';
import { EmployeeFactory } from './generate.js';
import {
  employeeStatuses,
  isOrgUnit,
  type CustomValue,
  type EmployeeRecord,
  type EmployeeStatus,
  type OrgUnit,
} from './model.js';
import { Random } from './prng.js';
import type { EmployeeStore } from './store.js';

/** A mutation the sandbox refuses; `status` is the HTTP status the admin route answers. */
export class MutationError extends Error {
  constructor(
    readonly status: 404 | 422,
    message: string,
  ) {
    super(message);
  }
}

/** Any record field (defaults come from the generator); department may also be a name. */
export type HireInput = Partial<Omit<EmployeeRecord, 'id' | 'department'>> & {
  department?: string | OrgUnit | null | [];
};

export interface EmployeeMutations {
  get(id: number): EmployeeRecord | undefined;
  hire(input?: HireInput): EmployeeRecord;
  /** `date`: "YYYY-MM-DD" or a Personio date; default today. Inactive from the next day. */
  terminate(id: number, date?: string): EmployeeRecord;
  /** Clear the termination, set status active and the hire date to today. */
  rehire(id: number): EmployeeRecord;
  /** Move the hire date ("YYYY-MM-DD" or a Personio date), as when a start is postponed. */
  changeHireDate(id: number, date: string): EmployeeRecord;
  /** A department name (existing or new), an {id, name}, or null. */
  moveDepartment(id: number, department: string | OrgUnit | null): EmployeeRecord;
  changeEmail(id: number, email: string): EmployeeRecord;
  changeName(id: number, firstName: string, lastName: string): EmployeeRecord;
  setStatus(id: number, status: EmployeeStatus): EmployeeRecord;
  setSupervisor(id: number, supervisorId: number | null): EmployeeRecord;
  /** A custom attribute's value (`dynamic_<id>`); null clears it. */
  setCustomAttribute(id: number, key: string, value: CustomValue): EmployeeRecord;
  remove(id: number): EmployeeRecord;
}

const copy = (e: EmployeeRecord): EmployeeRecord => structuredClone(e);

export function createMutations(
  store: EmployeeStore,
  options: { seed: number; domain?: string; now: () => number },
): EmployeeMutations {
  const existing = (id: number): EmployeeRecord => {
    const e = store.get(id);
    if (!e) throw new MutationError(404, `employee ${id} not found`);
    return e;
  };

  const resolveDepartment = (department: string | OrgUnit | null): OrgUnit | null => {
    if (department === null || typeof department === 'object') return department;
    const wanted = department.trim().toLowerCase();
    const known =
      departments.find((d) => d.name.toLowerCase() === wanted) ??
      store
        .all()
        .map((e) => e.department)
        .find((d) => isOrgUnit(d) && d.name.toLowerCase() === wanted);
    if (known && isOrgUnit(known)) return { id: known.id, name: known.name };
    // A department created on the fly gets a stable id derived from its name.
    let hash = 0;
    for (const ch of wanted) hash = (Math.imul(hash, 31) + ch.charCodeAt(0)) >>> 0;
    return { id: 290_000 + (hash % 10_000), name: department.trim() };
  };

  const mutations: EmployeeMutations = {
    get: (id) => {
      const e = store.get(id);
      return e ? copy(e) : undefined;
    },

    hire(input = {}) {
      const id = store.nextId();
      const nowMs = options.now();
      // Defaults come from the generator, seeded by id so a replayed demo hires the same person.
      const factory = new EmployeeFactory(
        new Random((options.seed ^ Math.imul(id, 2654435761)) >>> 0),
        options.domain,
      );
      for (const e of store.all()) if (e.email) factory.reserveEmail(e.email);
      const generated = factory.make(id, nowMs);
      if (input.supervisorId != null && !store.get(input.supervisorId)) {
        throw new MutationError(422, `supervisor ${input.supervisorId} not found`);
      }
      const hireDate = input.hireDate ? normaliseCalendarDate(input.hireDate) : formatDayOf(nowMs);
      if (!hireDate) throw new MutationError(422, `invalid hireDate ${input.hireDate}`);
      const firstName = input.firstName ?? generated.firstName;
      const lastName = input.lastName ?? generated.lastName;
      const namesGiven = input.firstName !== undefined || input.lastName !== undefined;
      const employee: EmployeeRecord = {
        ...generated,
        status: parseDateTime(hireDate) > nowMs ? 'onboarding' : 'active',
        terminationDate: null,
        supervisorId: null,
        ...input,
        id,
        firstName,
        lastName,
        hireDate,
        department:
          input.department === undefined
            ? generated.department
            : typeof input.department === 'string' && input.department !== ''
              ? resolveDepartment(input.department)
              : input.department,
        email:
          'email' in input
            ? input.email
            : namesGiven
              ? factory.uniqueEmail(
                  { native: firstName, latin: firstName },
                  { native: lastName, latin: lastName },
                )
              : generated.email,
        createdAt: formatDateTime(nowMs),
        lastModifiedAt: formatDateTime(nowMs),
      };
      store.insert(employee);
      return copy(employee);
    },

    terminate(id, date) {
      existing(id);
      const nowMs = options.now();
      const terminationDate = date === undefined ? formatDayOf(nowMs) : normaliseCalendarDate(date);
      if (!terminationDate) throw new MutationError(422, `invalid termination date ${date}`);
      // Personio flips the status to inactive the day after the termination date.
      const inactiveFrom = parseDateTime(terminationDate) + DAY_MS;
      const updated = store.update(
        id,
        ['termination_date', ...(inactiveFrom <= nowMs ? ['status'] : [])],
        (e) => {
          e.terminationDate = terminationDate;
          if (inactiveFrom <= nowMs) e.status = 'inactive';
        },
      );
      if (inactiveFrom > nowMs) store.scheduleDeactivation(id, inactiveFrom);
      else store.cancelDeactivation(id);
      return copy(updated);
    },

    rehire(id) {
      existing(id);
      store.cancelDeactivation(id);
      const today = formatDayOf(options.now());
      return copy(
        store.update(id, ['termination_date', 'status', 'hire_date'], (e) => {
          e.terminationDate = null;
          e.status = 'active';
          e.hireDate = today;
        }),
      );
    },

    changeHireDate(id, date) {
      existing(id);
      const hireDate = normaliseCalendarDate(date);
      if (!hireDate) throw new MutationError(422, `invalid hireDate ${date}`);
      return copy(store.update(id, ['hire_date'], (e) => (e.hireDate = hireDate)));
    },

    moveDepartment(id, department) {
      existing(id);
      const target = resolveDepartment(department);
      return copy(store.update(id, ['department'], (e) => (e.department = target)));
    },

    changeEmail(id, email) {
      existing(id);
      return copy(store.update(id, ['email'], (e) => (e.email = email)));
    },

    changeName(id, firstName, lastName) {
      existing(id);
      return copy(
        store.update(id, ['first_name', 'last_name'], (e) => {
          e.firstName = firstName;
          e.lastName = lastName;
        }),
      );
    },

    setStatus(id, status) {
      existing(id);
      if (!employeeStatuses.includes(status))
        throw new MutationError(422, `invalid status ${String(status)}`);
      return copy(store.update(id, ['status'], (e) => (e.status = status)));
    },

    setSupervisor(id, supervisorId) {
      existing(id);
      if (supervisorId !== null) existing(supervisorId);
      return copy(store.update(id, ['supervisor'], (e) => (e.supervisorId = supervisorId)));
    },

    setCustomAttribute(id, key, value) {
      existing(id);
      if (!/^dynamic_\d+$/.test(key)) throw new MutationError(422, `not a custom attribute key: ${key}`);
      return copy(store.update(id, [key], (e) => (e.custom[key] = value)));
    },

    remove(id) {
      const removed = existing(id);
      // Reports of a removed manager lose their supervisor, as when Personio deletes a person.
      for (const e of store.all()) {
        if (e.supervisorId === id) store.update(e.id, ['supervisor'], (s) => (s.supervisorId = null));
      }
      store.remove(id);
      return copy(removed);
    },
  };
  return mutations;
}
