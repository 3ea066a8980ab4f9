/**
 * The task queue's shared budget for one credential (PERSONIO_SHARED_BUDGET), through Temporal
 * itself: each request reserves its send time with an update of the `apiBudget` workflow
 * (workflows/api-budget.ts), started by the first caller (update-with-start). Every worker of
 * the task queue asks the same workflow, so together they keep to the limit each keeps alone.
 *
 * It runs in an activity's context and uses the client the worker gives its activities (same
 * connection, same payload codec). Outside an activity there is nobody to share with:
 * `reserve` fails and the limiter goes by the worker's own pacing.
 */
import { createHash } from 'node:crypto';
import { Context } from '@temporalio/activity';
import { WithStartWorkflowOperation } from '@temporalio/client';
import { apiBudgetWorkflowId, reserveSlotUpdate } from '../workflows/api-budget-api.js';
import type { RateRule, SharedBudget } from './rate-limiter.js';

/** `credential`: what tells this account's budget from another's (hashed: never in the id as is). */
export function taskQueueBudget(system: string, credential: string): SharedBudget {
  const account = createHash('sha256').update(credential).digest('hex').slice(0, 12);
  return {
    async reserve(rules: readonly RateRule[]): Promise<number> {
      const context = Context.current();
      const { taskQueue } = context.info;
      const workflowId = apiBudgetWorkflowId(taskQueue, system, account);
      return context.client.workflow.executeUpdateWithStart(reserveSlotUpdate, {
        args: [{ rules: rules.map(({ limit, windowMs }) => ({ limit, windowMs })) }],
        startWorkflowOperation: new WithStartWorkflowOperation('apiBudget', {
          workflowId,
          taskQueue,
          args: [],
          workflowIdConflictPolicy: 'USE_EXISTING',
        }),
      });
    },
  };
}

/** The shared budget did not answer: the request goes by the worker's own pacing; say why. */
export function budgetUnavailable(err: unknown): void {
  let log;
  try {
    log = Context.current().log;
  } catch {
    return; // Not in an activity: there is no task queue to share with, as expected.
  }
  log.warn('the Personio budget shared with the task queue did not answer: pacing by this worker alone', {
    error: err instanceof Error ? err.message : String(err),
  });
}
