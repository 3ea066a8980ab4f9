/**
 * Applying one page, shared by a page child (workflows/import-page.ts, runs recorded before
 * pages were held) and a held page (workflows/directory-page.ts): what a page is asked, each
 * employee the page activity did not settle staged by an activity of its own, then the
 * activation timers of the staged future hires. Call from workflow code.
 */
import { ActivityFailure, ApplicationFailure, log, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import type { ActivationSettings } from '../domain/activation-time.js';
import type { EmployeeResult } from '../domain/outcomes.js';
import {
  stageRequests,
  type FetchedPage,
  type PageRequest,
  type StageRequest,
} from '../domain/page-request.js';
import { cancelActivationTimer, ensureActivationTimer } from './activation-timers.js';
import { shortCall } from './activity-options.js';
import { REQUEST_REJECTED } from '../domain/failure-types.js';

const { stageEmployee } = proxyActivities<Activities>(shortCall);

/**
 * Stages a fetched and settled page: `finished` collects every employee's result as it
 * comes (for the `pageProgress` query); returns them all, each employee once. The employees
 * in `absent` (the page's batched lookup found no JumpCloud user) are created without
 * looking again on their first attempt.
 */
export async function stagePage(
  page: Pick<FetchedPage, 'employees' | 'skipped'> & { settled: EmployeeResult[]; absent?: number[] },
  request: PageRequest,
  finished: EmployeeResult[],
): Promise<EmployeeResult[]> {
  finished.push(...page.skipped, ...page.settled);
  const staged = await Promise.all(
    stageRequests(request, page.employees, page.absent).map((one) =>
      stageOne(one).then((result) => {
        finished.push(result);
        return result;
      }),
    ),
  );
  const results = [...page.skipped, ...page.settled, ...staged];
  if (request.activation) await keepActivationTimers(results, request.activation);
  return results;
}

/**
 * One durable timer per staged user with a hire date ahead (started, or moved when the date
 * changed); a user suspended before their start (a cancelled hire) has theirs cancelled.
 */
async function keepActivationTimers(
  results: EmployeeResult[],
  activation: ActivationSettings,
): Promise<void> {
  for (const r of results) {
    if (r.activateAt && r.jumpcloudUserId) {
      await ensureActivationTimer({
        personioId: r.personioId,
        jumpcloudUserId: r.jumpcloudUserId,
        activateAt: r.activateAt,
        localTime: activation.localTime,
        timeZone: activation.timeZone,
      });
    } else if (r.outcome === 'suspended') {
      await cancelActivationTimer(r.personioId, 'the hire was cancelled: suspended before the start date');
    }
  }
}

async function stageOne(request: StageRequest): Promise<EmployeeResult> {
  const { employee } = request;
  try {
    const result = await stageEmployee(request);
    // Ids and outcome only: names and emails stay out of logs. `log` adds the workflow id and
    // is silent on replay, so a line is written once.
    log.info('employee staged', { personioId: result.personioId, outcome: result.outcome });
    return result;
  } catch (err) {
    // JumpCloud refused this one user (a validation error): report it and carry on.
    // Rejected credentials end the whole import instead.
    const cause = err instanceof ActivityFailure ? err.cause : undefined;
    if (cause instanceof ApplicationFailure && cause.type === REQUEST_REJECTED) {
      log.warn('employee failed', { personioId: employee.personioId });
      return { personioId: employee.personioId, outcome: 'failed', reason: cause.message };
    }
    throw err;
  }
}
