/**
 * The import without Temporal, for the benchmark's two baselines:
 *
 * - direct: the same API clients with the same limits, the same activity slots
 *   (WORKER_MAX_CONCURRENT_ACTIVITIES) and the same window of pages in flight, driven from
 *   a plain async loop;
 * - naive: the same work one request at a time, as a quick script would do it.
 *
 * Both do the import's work: check credentials, scan the whole directory (duplicate
 * emails, supervisor cycles, shared usernames), ensure groups, stage every employee with
 * the product's stage logic (activities/stage-employee.ts `stage`, without the heartbeat
 * plan memory; like the page workflow, trusting the page's lookup of who is absent on the
 * first attempt), link managers page by page, bind groups to applications. The per-page steps
 * (scan, link managers, groups) are the product's activity functions, called in-process
 * through @temporalio/testing's MockActivityEnvironment: no server, no worker, no history,
 * just a context for their heartbeat() calls. Transient errors (429, 5xx, resets) are
 * retried as the import's retry policy does (Retry-After honoured, else 1 s doubling to
 * 1 min), at most MAX_ATTEMPTS times.
 */
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import PQueue from 'p-queue';
import { createActivities } from '../activities/index.js';
import type { ImportDeps } from '../activities/deps.js';
import { noPlanMemory, retryPlanMemory, stage } from '../activities/stage-employee.js';
import { ApiError } from '../clients/api-error.js';
import { groupPlanOf } from '../domain/group-plan.js';
import type { ImportInput } from '../domain/import-input.js';
import {
  addOutcomeCounts,
  countOutcomes,
  emptyOutcomeCounts,
  type EmployeeResult,
  type OutcomeCounts,
} from '../domain/outcomes.js';
import { pageRequest, stageRequests } from '../domain/page-request.js';

export interface BaselineOptions {
  deps: ImportDeps;
  input: ImportInput;
  /** Stage calls (and page-level calls) running at once: the worker's activity slots. */
  activitySlots: number;
  /** Pages staged (and pages of managers linked) at once. */
  pagesInFlight: number;
  /**
   * Stage and link only the first this many employees (whole pages) while scanning the whole
   * directory: the naive baseline's sample. Phase times say how to extrapolate.
   */
  sampleEmployees?: number;
}

export interface BaselineResult {
  employeesTotal: number;
  /** Employees staged (= employeesTotal unless sampled). */
  employeesStaged: number;
  pagesTotal: number;
  pagesStaged: number;
  counts: OutcomeCounts;
  managersLinked: number;
  /** Milliseconds per phase. */
  phases: {
    authenticate: number;
    scan: number;
    groups: number;
    staging: number;
    managers: number;
    bind: number;
  };
  wallMs: number;
  retries: number;
}

const MAX_ATTEMPTS = 30;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function runBaseline(options: BaselineOptions): Promise<BaselineResult> {
  const { deps, input } = options;
  const activities = createActivities(deps);
  const env = new MockActivityEnvironment();
  /** Runs a product activity function in-process, with a context for its heartbeat() calls. */
  const inContext = <T>(fn: () => Promise<T>): Promise<T> => env.run<[], T, () => Promise<T>>(fn);
  const slots = new PQueue({ concurrency: options.activitySlots });
  let retries = 0;

  /**
   * One "activity": runs in a slot; a transient failure is retried like the import's retry
   * policy, and (as with Temporal) the slot is free while it waits for the retry.
   */
  const call = async <T>(fn: () => Promise<T>): Promise<T> => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await slots.add(fn);
      } catch (err) {
        const delay = retryDelay(err, attempt);
        if (delay === null || attempt >= MAX_ATTEMPTS) throw err;
        retries++;
        await sleep(delay);
      }
    }
  };
  const started = performance.now();
  const phases: BaselineResult['phases'] = {
    authenticate: 0,
    scan: 0,
    groups: 0,
    staging: 0,
    managers: 0,
    bind: 0,
  };
  const timed = async <T>(phase: keyof BaselineResult['phases'], fn: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    try {
      return await fn();
    } finally {
      phases[phase] += performance.now() - t0;
    }
  };

  await timed('authenticate', () => call(() => inContext(() => activities.checkCredentials())));
  const scan = await timed('scan', () =>
    call(() => inContext(() => activities.scanDirectory(input.pageSize))),
  );
  const groups = await timed('groups', () =>
    call(() => inContext(() => activities.ensureGroups(groupPlanOf(input, scan), input.dryRun))),
  );

  const employeesTotal = scan.employeesTotal;
  const stagedLimit = Math.min(employeesTotal, options.sampleEmployees ?? employeesTotal);
  const pagesTotal = Math.ceil(employeesTotal / input.pageSize);
  const pagesStaged = Math.ceil(stagedLimit / input.pageSize);

  // Staging: a window of pages, each page's employees through the shared activity slots.
  let counts = emptyOutcomeCounts();
  let employeesStaged = 0;
  await timed('staging', () =>
    windowed(pagesStaged, options.pagesInFlight, async (pageIndex) => {
      // As the page workflow: read the page, settle the employees already in sync, stage the rest.
      const request = pageRequest(input, scan, groups, { offset: pageIndex * input.pageSize });
      const page = await call(() => inContext(() => activities.fetchAndSettlePage(request)));
      const seen = new Set<number>();
      const employees = page.employees.filter((e) => !seen.has(e.personioId) && seen.add(e.personioId));
      const staged = await Promise.all(
        stageRequests(request, employees, page.absent).map((one) => {
          // As the stage activity: the first attempt trusts the page's lookup (`knownAbsent`:
          // create without looking again); a retry looks, and a user it finds that the lookup
          // saw absent was created by the attempt before.
          let attempts = 0;
          const attempt = () =>
            attempts++ === 0
              ? stage(deps.jumpcloud, one, noPlanMemory)
              : stage(deps.jumpcloud, { ...one, knownAbsent: false }, retryPlanMemory(one, noPlanMemory));
          return call(attempt).catch((err: unknown): EmployeeResult => {
            // As the page workflow does: JumpCloud refused this one user; report and go on.
            if (err instanceof ApiError && !err.retryable && err.kind !== 'credentials') {
              return { personioId: one.employee.personioId, outcome: 'failed', reason: err.message };
            }
            throw err;
          });
        }),
      );
      employeesStaged += page.employees.length + page.skipped.length + page.settled.length;
      counts = addOutcomeCounts(counts, countOutcomes([...page.skipped, ...page.settled, ...staged]));
    }),
  );

  let managersLinked = 0;
  await timed('managers', () =>
    windowed(pagesStaged, options.pagesInFlight, async (pageIndex) => {
      const links = await call(() =>
        inContext(() =>
          activities.linkManagersForPage({
            offset: pageIndex * input.pageSize,
            limit: input.pageSize,
            supervisorCycle: scan.supervisorCycle,
            dryRun: input.dryRun,
          }),
        ),
      );
      managersLinked += links.linked + links.cleared;
    }),
  );

  const groupIds = [groups.allEmployeesGroupId, ...Object.values(groups.departmentGroupIds)].filter(
    (id): id is string => id !== null,
  );
  await timed('bind', () =>
    call(() =>
      inContext(() => activities.bindGroupsToApplications(input.applications, groupIds, input.dryRun)),
    ),
  );

  return {
    employeesTotal,
    employeesStaged,
    pagesTotal,
    pagesStaged,
    counts,
    managersLinked,
    phases,
    wallMs: performance.now() - started,
    retries,
  };
}

/** Runs task(0..count-1) with at most `width` running at once, in order of index. */
async function windowed(count: number, width: number, task: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    for (let i = next++; i < count; i = next++) await task(i);
  };
  await Promise.all(Array.from({ length: Math.min(width, count) }, lane));
}

/**
 * How long to wait before trying again, or null when the error is final. Mirrors
 * workflows/activity-options.ts transientRetry and activities/failures.ts.
 */
function retryDelay(err: unknown, attempt: number): number | null {
  const backoff = Math.min(1000 * 2 ** (attempt - 1), 60_000);
  if (err instanceof ApiError) return err.retryable ? (err.retryAfterMs ?? backoff) : null;
  if (err instanceof ApplicationFailure) {
    if (err.nonRetryable) return null;
    // activities/failures.ts sets it from Retry-After, in milliseconds.
    return typeof err.nextRetryDelay === 'number' ? err.nextRetryDelay : backoff;
  }
  return null;
}
