/**
 * Activation on the hire date through the import itself: with `activation.onHireDate`, the
 * import starts one durable timer per staged user whose hire date lies ahead, the timer
 * activates the user at the configured local time, and a hire cancelled before the date
 * (terminated, then suspended by the next import) cancels its timer. A time of day a few
 * seconds ahead stands in for a date months away: the code path is the same.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatDayOf } from '../../sandbox/personio/dates.js';
import type { activateOnHireDate } from '../../workflows/activate-on-hire-date.js';
import { activationWorkflowId } from '../../workflows/activation-timers.js';
import { importEmployees } from '../../workflows/index.js';
import { startImportEnv } from '../helpers/import-env.js';
import { within } from '../helpers/wait.js';

const ZONE = 'Europe/Berlin';

/** The wall-clock time in ZONE `ms` from now, "HH:MM:SS". */
function localTimeIn(ms: number): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone: ZONE,
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(Date.now() + ms));
}

test('the import starts activation timers; one fires, one moves earlier, a cancelled hire cancels its own', async (t) => {
  const env = await startImportEnv(t, { personio: { employees: 10, seed: 47 } });
  const today = formatDayOf(Date.now());
  const tomorrow = formatDayOf(Date.now() + 86_400_000);
  const starter = env.personio.data.hire({
    firstName: 'Ida',
    lastName: 'Starter',
    email: 'ida.starter@acme.example.com',
    hireDate: today,
  });
  const cancelled = env.personio.data.hire({
    firstName: 'Cal',
    lastName: 'Cancelled',
    email: 'cal.cancelled@acme.example.com',
    hireDate: tomorrow,
  });
  const moved = env.personio.data.hire({
    firstName: 'Mo',
    lastName: 'Sooner',
    email: 'mo.sooner@acme.example.com',
    hireDate: tomorrow,
  });
  const input = {
    notify: { when: 'never' as const },
    safeguards: null,
    activation: { onHireDate: true, localTime: localTimeIn(8_000), timeZone: ZONE },
  };
  const userOf = (personioId: number) =>
    env.jumpcloud.store.allUsers().find((u) => u.employeeIdentifier === String(personioId));

  await env.withImportWorker(async () => {
    const first = await env.client.workflow.execute(importEmployees, {
      taskQueue: env.taskQueue,
      workflowId: `${env.taskQueue}-first`,
      args: [input],
    });
    assert.ok(first, 'the import finished');
    // Created STAGED with a timer for the local time a few seconds ahead. Whether the user is
    // still STAGED now depends on how long the import took (on a loaded machine the time may
    // have passed; a starter imported late on their hire date is activated at once): what
    // holds either way is that the timer activates them.
    assert.ok(userOf(starter.id), 'the starter was created');

    // The starter's timer fires a few seconds later and activates them.
    const starterTimer = env.client.workflow.getHandle<typeof activateOnHireDate>(
      activationWorkflowId(env.taskQueue, starter.id),
    );
    const fired = await within(30_000, 'the starter’s timer', starterTimer.result());
    assert.equal(fired.outcome, 'activated');
    assert.equal(userOf(starter.id)?.state, 'ACTIVATED');

    // The other hire starts tomorrow: their timer waits. The hire is called off meanwhile.
    const cancelledTimer = env.client.workflow.getHandle<typeof activateOnHireDate>(
      activationWorkflowId(env.taskQueue, cancelled.id),
    );
    assert.equal((await cancelledTimer.describe()).status.name, 'RUNNING');
    // Another start is brought forward to today, nothing else changes: the next import sees
    // only that (no JumpCloud field differs) and moves the timer earlier.
    env.personio.data.changeHireDate(moved.id, today);
    await env.client.workflow.execute(importEmployees, {
      taskQueue: env.taskQueue,
      workflowId: `${env.taskQueue}-second`,
      args: [{ ...input, activation: { ...input.activation, localTime: localTimeIn(6_000) } }],
    });
    const movedOutcome = await within(
      30_000,
      'the moved timer',
      env.client.workflow
        .getHandle<typeof activateOnHireDate>(activationWorkflowId(env.taskQueue, moved.id))
        .result(),
    );
    assert.equal(movedOutcome.outcome, 'activated', 'the timer moved to the earlier date fired');
    assert.equal(userOf(moved.id)?.state, 'ACTIVATED');

    env.personio.data.setStatus(cancelled.id, 'inactive');
    const third = await env.client.workflow.execute(importEmployees, {
      taskQueue: env.taskQueue,
      workflowId: `${env.taskQueue}-third`,
      args: [input],
    });
    assert.equal(third.counts.suspended, 1);
    const outcome = await within(30_000, 'the cancelled timer', cancelledTimer.result());
    assert.equal(outcome.outcome, 'cancelled');
    assert.match(outcome.reason ?? '', /cancelled|suspended|terminated/);
    assert.equal(userOf(cancelled.id)?.state, 'SUSPENDED', 'suspended by the import, never activated');
  });
});
