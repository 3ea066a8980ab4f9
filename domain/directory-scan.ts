// Checks over the whole Personio directory that no single employee record can answer.
// Deterministic and free of Node built-ins: workflow code imports this file.
//
// Every answer depends only on the entries, never on their order or on timing, so two runs over
// the same directory hold back the same people and create the same groups.
import { compareCodeUnits } from './cost-center.js';
import type { EmployeeStatus } from './personio-record.js';

/** The slim per-employee facts the scan needs (a few dozen bytes each, even at 100,000). */
export interface DirectoryEntry {
  personioId: number;
  email: string | null;
  supervisorId: number | null;
  status: EmployeeStatus;
  department: string | null;
}

export interface HeldBack {
  personioId: number;
  reason: string;
}

/** How many other ids a duplicate-email reason lists before summarising the rest. */
const MAX_IDS_IN_REASON = 5;

/**
 * Employees whose e-mail address (ignoring case) another employee also has. JumpCloud allows an
 * address once, so whichever was created first would win and the other would fail, and which
 * one that is would depend on timing. Holding back all of them is stable and sends the admin to
 * the real fix. Sorted by Personio id. The same id listed twice (offset paging over a changing
 * directory can do that) is one employee, not a duplicate.
 */
export function findDuplicateEmails(entries: readonly DirectoryEntry[]): HeldBack[] {
  const idsByEmail = new Map<string, Set<number>>();
  for (const { personioId, email } of entries) {
    if (email === null || email.trim() === '') continue;
    const key = email.trim().toLowerCase();
    const ids = idsByEmail.get(key) ?? new Set<number>();
    ids.add(personioId);
    idsByEmail.set(key, ids);
  }
  const heldBack: HeldBack[] = [];
  for (const ids of idsByEmail.values()) {
    if (ids.size < 2) continue;
    const sorted = [...ids].sort((a, b) => a - b);
    for (const personioId of sorted) {
      const others = sorted.filter((id) => id !== personioId);
      heldBack.push({ personioId, reason: duplicateEmailReason(others) });
    }
  }
  return heldBack.sort((a, b) => a.personioId - b.personioId);
}

function duplicateEmailReason(otherIds: readonly number[]): string {
  const shown = otherIds.slice(0, MAX_IDS_IN_REASON).join(', ');
  const more = otherIds.length > MAX_IDS_IN_REASON ? ` and ${otherIds.length - MAX_IDS_IN_REASON} more` : '';
  const noun = otherIds.length === 1 ? 'employee' : 'employees';
  return `email shared with Personio ${noun} ${shown}${more}: fix it in Personio`;
}

/**
 * The supervisors named in the directory whom this run will not import: absent from it, not
 * active or onboarding, without an email, or held back (a shared email). A page's preview asks
 * this instead of reading each off-page supervisor from Personio again (one read per page per
 * run); the list is short (supervisors only, and only those left out), sorted by id.
 */
export function findSupervisorsNotImported(
  entries: readonly DirectoryEntry[],
  heldBack: readonly HeldBack[],
): number[] {
  const held = new Set(heldBack.map((h) => h.personioId));
  const importable = new Set(
    entries
      .filter(
        (e) => (e.status === 'active' || e.status === 'onboarding') && e.email && !held.has(e.personioId),
      )
      .map((e) => e.personioId),
  );
  const supervisors = new Set(entries.flatMap((e) => (e.supervisorId === null ? [] : [e.supervisorId])));
  return [...supervisors].filter((id) => !importable.has(id)).sort((a, b) => a - b);
}

/**
 * Ids of employees on a supervisor cycle (A → B → A, or A → A), sorted. Those leading into a
 * cycle without being on it are not included. JumpCloud would accept such managers, but the
 * chain is wrong in Personio and linking it would copy the error.
 *
 * Each employee has at most one supervisor, so the graph is a set of chains; one walk per chain
 * with a visited mark makes this linear in time and memory, and iterative so 100,000-long chains
 * cannot overflow the stack. Supervisors outside the entries end a chain.
 */
export function findSupervisorCycles(entries: readonly DirectoryEntry[]): number[] {
  const supervisorOf = new Map<number, number | null>();
  for (const { personioId, supervisorId } of entries) supervisorOf.set(personioId, supervisorId);

  /** An id the entries hold: the walk goes on from it. */
  const inEntries = (id: number | null | undefined): id is number =>
    // Stryker disable next-line ConditionalExpression,LogicalOperator: null and undefined are never keys, so has() alone says no to them; the checks narrow the type
    id !== null && id !== undefined && supervisorOf.has(id);

  const finished = new Set<number>();
  const onCycle: number[] = [];
  for (const start of supervisorOf.keys()) {
    // Stryker disable next-line ConditionalExpression: a finished start walks no step anyway (the loop checks it); this only skips the set-up
    if (finished.has(start)) continue;
    // Position of each id on the current walk, to cut the cycle out when the walk meets itself.
    const positionOnWalk = new Map<number, number>();
    // Stryker disable next-line ArrayDeclaration: an extra first item shifts every recorded position alike
    const walk: number[] = [];
    let current: number | null | undefined = start;
    while (inEntries(current) && !finished.has(current)) {
      const seenAt = positionOnWalk.get(current);
      if (seenAt !== undefined) {
        onCycle.push(...walk.slice(seenAt));
        break;
      }
      positionOnWalk.set(current, walk.length);
      walk.push(current);
      current = supervisorOf.get(current);
    }
    for (const id of walk) finished.add(id);
  }
  return onCycle.sort((a, b) => a - b);
}

/**
 * The key under which department names are the same group: JumpCloud group names are unique
 * ignoring case, and runs of whitespace are collapsed as in the group name.
 */
export function departmentKey(department: string): string {
  return department.trim().replace(/\s+/g, ' ').toLowerCase();
}

/**
 * One name per department, ignoring case, sorted by that key. When spellings differ only in case
 * ("Sales", "sales") the first in code-unit order wins, whichever employee came first.
 */
export function distinctDepartments(entries: readonly DirectoryEntry[]): string[] {
  const nameByKey = new Map<string, string>();
  for (const { department } of entries) {
    if (department === null) continue;
    const name = department.trim().replace(/\s+/g, ' ');
    if (name === '') continue;
    const key = departmentKey(name);
    const known = nameByKey.get(key);
    // Stryker disable next-line EqualityOperator: `<= 0` only sets the same name again
    if (known === undefined || compareCodeUnits(name, known) < 0) nameByKey.set(key, name);
  }
  return [...nameByKey.entries()].sort(([a], [b]) => compareCodeUnits(a, b)).map(([, name]) => name);
}

/**
 * Personio ids whose base username another employee in the directory shares. Giving all of them
 * the id-suffixed variant from the start (usernameCandidate attempt 1) keeps usernames from
 * depending on which of them happened to be created first. Bases are computed by the caller
 * (username.ts is activity-only). Sorted.
 */
export function findSharedUsernameBases(
  entries: readonly { personioId: number; baseUsername: string }[],
): number[] {
  const idsByBase = new Map<string, Set<number>>();
  for (const { personioId, baseUsername } of entries) {
    // Stryker disable next-line MethodExpression: bases are [a-z0-9._-] (username.ts), the same in upper case
    const key = baseUsername.toLowerCase();
    const ids = idsByBase.get(key) ?? new Set<number>();
    ids.add(personioId);
    idsByBase.set(key, ids);
  }
  const shared: number[] = [];
  for (const ids of idsByBase.values()) if (ids.size > 1) shared.push(...ids);
  return shared.sort((a, b) => a - b);
}
