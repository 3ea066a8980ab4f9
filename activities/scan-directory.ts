/**
 * Step 2a: one pass over the whole directory, reading only the few attributes that answer
 * questions no single record can: which emails are shared (both employees are held back,
 * whatever the order they are read in), who sits in a supervisor cycle, which usernames
 * would collide, and which departments exist. Only those answers, never the directory,
 * go back to the workflow.
 */
import { heartbeat } from './heartbeat.js';
import {
  distinctDepartments,
  findDuplicateEmails,
  findSharedUsernameBases,
  findSupervisorCycles,
  type DirectoryEntry,
  type HeldBack,
} from '../domain/directory-scan.js';
import { parseEmployee } from '../domain/personio-record.js';
import { baseUsername } from '../domain/username.js';
import { required, type ImportDeps } from './deps.js';
import { asActivity } from './failures.js';

export interface DirectoryScan {
  employeesTotal: number;
  /** Employees held back before staging, with the reason (duplicate emails). */
  heldBack: HeldBack[];
  /** Employees whose supervisor chain loops back to them: their manager stays empty. */
  supervisorCycle: number[];
  /** Employees who get the id-suffixed username from the start (shared base username). */
  idSuffixedUsernames: number[];
  departments: string[];
  /**
   * Supervisors this run will not import (domain/directory-scan.ts findSupervisorsNotImported);
   * set by the one-read path (activities/read-directory.ts), absent from older scans.
   */
  supervisorsNotImported?: number[];
}

const SCAN_ATTRIBUTES = ['first_name', 'last_name', 'email', 'status', 'supervisor', 'department'];

export function createScanActivities(deps: Partial<ImportDeps>) {
  return {
    /** How many employees Personio changed since `updatedSince` (a delta run's first question). */
    async countChangedEmployees(updatedSince: string): Promise<number> {
      const personio = required(deps.personio, 'Personio client');
      return asActivity(async () => {
        // No attributes[] projection: with one, Personio counts only employees whose projected
        // attributes changed, and a name or department change would read as a quiet tick.
        const page = await personio.listEmployees({ offset: 0, limit: 1, updatedSince });
        return page.totalElements;
      });
    },

    async scanDirectory(pageSize: number): Promise<DirectoryScan> {
      const personio = required(deps.personio, 'Personio client');
      return asActivity(async () => {
        const readPage = async (offset: number) => {
          const page = await personio.listEmployees({ offset, limit: pageSize, attributes: SCAN_ATTRIBUTES });
          heartbeat({ offset });
          return page;
        };
        // The first page gives the total; the rest are read at once, paced by the Personio
        // client's concurrency cap and rate limit (one page at a time, the scan of 100,000
        // employees was a third of a re-run's time: README, Performance).
        const first = await readPage(0);
        const total = first.totalElements;
        const offsets: number[] = [];
        for (let offset = pageSize; first.records.length > 0 && offset < total; offset += pageSize)
          offsets.push(offset);
        const pages = [first, ...(await Promise.all(offsets.map(readPage)))];

        // In directory order, so every answer is the same whatever order the pages arrived in.
        const entries: (DirectoryEntry & { baseUsername: string })[] = [];
        for (const record of pages.flatMap((page) => page.records)) {
          const parsed = parseEmployee(record);
          if (!parsed.ok) continue; // the page step reports it, with its reason
          const e = parsed.employee;
          // Only people the import would create compete for an email or a username.
          if (e.status !== 'active' && e.status !== 'onboarding') {
            entries.push({ ...entryOf(e), email: null, baseUsername: '' });
            continue;
          }
          entries.push({ ...entryOf(e), baseUsername: baseUsername(e.email, e.firstName, e.lastName) });
        }
        return {
          employeesTotal: total,
          heldBack: findDuplicateEmails(entries),
          supervisorCycle: findSupervisorCycles(entries),
          idSuffixedUsernames: findSharedUsernameBases(entries.filter((e) => e.baseUsername !== '')),
          departments: distinctDepartments(entries),
        };
      });
    },
  };
}

function entryOf(e: {
  personioId: number;
  email: string | null;
  supervisorId: number | null;
  status: DirectoryEntry['status'];
  department: string | null;
}): DirectoryEntry {
  return {
    personioId: e.personioId,
    email: e.email,
    supervisorId: e.supervisorId,
    status: e.status,
    department: e.department,
  };
}
