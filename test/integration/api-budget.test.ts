/**
 * The shared API budget (workflows/api-budget.ts) on a real Temporal server: reservations from
 * any number of callers get send times that keep every rule, in order, and a reservation with
 * rules out of bounds (anyone on the namespace can send one) is refused by the validator.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WithStartWorkflowOperation, WorkflowUpdateFailedError } from '@temporalio/client';
import { reserveSlotUpdate, type BudgetRule } from '../../workflows/api-budget-api.js';
import { taskQueueFor, testTemporal, withWorker } from '../helpers/temporal.js';

test('reservations keep every rule together, in order; bad rules are refused', async (t) => {
  const { client } = await testTemporal();
  const taskQueue = taskQueueFor(t.name);
  const workflowId = `budget-${taskQueue}`;
  const reserve = (rules: BudgetRule[]) =>
    client.workflow.executeUpdateWithStart(reserveSlotUpdate, {
      args: [{ rules }],
      startWorkflowOperation: new WithStartWorkflowOperation('apiBudget', {
        workflowId,
        taskQueue,
        args: [],
        workflowIdConflictPolicy: 'USE_EXISTING',
      }),
    });

  await withWorker({ taskQueue }, async () => {
    const rules = [
      { limit: 3, windowMs: 1000 },
      { limit: 5, windowMs: 10_000 },
    ];
    // Twelve callers at once, as from several workers.
    const times = (await Promise.all(Array.from({ length: 12 }, () => reserve(rules)))).sort((a, b) => a - b);
    for (let i = 0; i < times.length; i++) {
      if (i >= 3) assert.ok(times[i]! - times[i - 3]! >= 1000, `3 a second: slot ${i}`);
      if (i >= 5) assert.ok(times[i]! - times[i - 5]! >= 10_000, `5 in ten seconds: slot ${i}`);
    }
    assert.ok(times.at(-1)! - times[0]! >= 20_000, 'twelve slots under 5 per 10 s span 20 s and more');

    const bads: BudgetRule[][] = [[], [{ limit: 0, windowMs: 1000 }], [{ limit: 1, windowMs: 7_200_000 }]];
    for (const bad of bads)
      await assert.rejects(reserve(bad), (err: Error) => {
        assert.ok(err instanceof WorkflowUpdateFailedError, String(err));
        assert.match(String(err.cause?.message), /rules: 1 to 4 of/);
        return true;
      });
    await client.workflow.getHandle(workflowId).terminate('test over');
  });
});
