// What happened to each employee, the running progress, and the final report.
// Deterministic and free of Node built-ins: workflow code imports this file.

export const OUTCOMES = [
  'created',
  'updated',
  'unchanged',
  'suspended',
  'reactivated',
  'skipped',
  'failed',
] as const;
export type Outcome = (typeof OUTCOMES)[number];

export interface EmployeeResult {
  personioId: number;
  outcome: Outcome;
  /** Why it was skipped or failed: names fields, never echoes personal data. */
  reason?: string;
  /** Names of the JumpCloud fields written (or, in a plan, to be written). */
  changedFields?: string[];
  /**
   * Old → new value of each changed field (updates; in a plan, creates too with from "").
   * Values are personal data: they live only in encrypted history and the admin's report.
   */
  changes?: FieldValueChange[];
  jumpcloudUserId?: string;
  /**
   * The import's groups joined and left (names), and the manager change (JumpCloud user ids).
   * A plan has all three; an applied page has the groups a new user joined and a mover or
   * leaver left (the report takes the rest from the plan: managers are linked after the pages).
   */
  groupsJoined?: string[];
  groupsLeft?: string[];
  manager?: { from: string | null; to: string | null };
  /** The username a new user gets (a plan) or got (an applied page). */
  username?: string;
  /** A staged user with a hire date ahead (activation on): when the timer activates them. */
  activateAt?: string;
  /**
   * What was done to the employee's Personio data before use, by field: a text cut to
   * JumpCloud's limit (with its original length), control characters removed, a value of an
   * unexpected shape ignored. Names fields and lengths, never values.
   */
  warnings?: string[];
}

/** The result with the employee's parse warnings, when there are any. */
export function withWarnings<T extends EmployeeResult>(
  result: T,
  employee: { warnings?: readonly string[] },
): T {
  return employee.warnings && employee.warnings.length > 0
    ? { ...result, warnings: [...employee.warnings] }
    : result;
}

export interface FieldValueChange {
  field: string;
  from: string;
  to: string;
}

export type OutcomeCounts = Record<Outcome, number>;

export function emptyOutcomeCounts(): OutcomeCounts {
  return { created: 0, updated: 0, unchanged: 0, suspended: 0, reactivated: 0, skipped: 0, failed: 0 };
}

export function addOutcomeCounts(a: OutcomeCounts, b: OutcomeCounts): OutcomeCounts {
  const sum = emptyOutcomeCounts();
  for (const outcome of OUTCOMES) sum[outcome] = a[outcome] + b[outcome];
  return sum;
}

export function countOutcomes(results: readonly Pick<EmployeeResult, 'outcome'>[]): OutcomeCounts {
  const counts = emptyOutcomeCounts();
  for (const { outcome } of results) counts[outcome] += 1;
  return counts;
}

export function totalOutcomes(counts: OutcomeCounts): number {
  return OUTCOMES.reduce((total, outcome) => total + counts[outcome], 0);
}

export const IMPORT_PHASES = [
  'authenticating',
  'scanning',
  'preparing-groups',
  'planning',
  'awaiting-approval',
  'staging',
  'linking-managers',
  'binding-groups',
  'notifying',
  'done',
  'rejected',
  'cancelled',
] as const;
export type ImportPhase = (typeof IMPORT_PHASES)[number];

export interface ImportProgress {
  phase: ImportPhase;
  pagesDone: number;
  /** null until Personio's first page has told us the total. */
  pagesTotal: number | null;
  employeesProcessed: number;
  employeesTotal: number | null;
  counts: OutcomeCounts;
  /** While the run waits for approval: the safeguard rules it broke, and when it expires. */
  awaitingApproval?: { reasons: string[]; expiresAt: string; planDigest?: string } | null;
  /** The run's first run id (its pages are named after it); absent in older runs. */
  firstRunId?: string;
  /** How many pages the run read and holds (workflows/directory-page.ts); absent in older runs. */
  heldPages?: number;
  pageSize?: number;
  /** Held pages being applied right now (their finished employees are not counted yet). */
  applyingOffsets?: number[];
}

/** The report keeps at most this many skipped/failed entries, so the result stays small. */
export const MAX_REPORTED_PROBLEMS = 200;

export interface ImportResult {
  counts: OutcomeCounts;
  /** Skipped and failed employees, the first MAX_REPORTED_PROBLEMS of them. */
  problems: EmployeeResult[];
  /** True when more problems occurred than `problems` holds (the counts are still complete). */
  truncated: boolean;
  dryRun: boolean;
  /** ISO 8601 timestamps from the workflow clock (deterministic in replay). */
  startedAt: string;
  finishedAt: string;
  durationMs: number;
}

export function isProblem(result: Pick<EmployeeResult, 'outcome'>): boolean {
  return result.outcome === 'skipped' || result.outcome === 'failed';
}

/**
 * Adds the problems among `results` to `problems`, keeping at most MAX_REPORTED_PROBLEMS.
 * Returns new values rather than mutating, so workflow state changes stay explicit.
 */
export function collectProblems(
  current: { problems: readonly EmployeeResult[]; truncated: boolean },
  results: readonly EmployeeResult[],
): { problems: EmployeeResult[]; truncated: boolean } {
  const incoming = results.filter(isProblem);
  const room = Math.max(0, MAX_REPORTED_PROBLEMS - current.problems.length);
  return {
    problems: [...current.problems, ...incoming.slice(0, room)],
    truncated: current.truncated || incoming.length > room,
  };
}
