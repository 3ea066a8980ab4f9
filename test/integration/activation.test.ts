/**
 * Activation on the hire date, for real: the activateOnHireDate workflow on the shared dev
 * server, the real activity and API clients against both sandboxes. No time-skipping server
 * here, so the hire "date" is a few seconds ahead; the code path is the one a date months ahead
 * takes (one durable timer, then the check).
 */
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { bundleWorkflowCode, Runtime, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { failureConverterPath } from '../../codec/data-converter.js';
import { formatDayOf } from '../../sandbox/personio/dates.js';
import {
  activateOnHireDate,
  activationStatusQuery,
  cancelActivationSignal,
  rescheduleActivationSignal,
  type ActivationRequest,
} from '../../workflows/activate-on-hire-date.js';
import { activationWorkflowId } from '../../workflows/activation-timers.js';
import { startImportEnv } from '../helpers/import-env.js';
import { until } from '../helpers/wait.js';
import type { activationTimerDriver } from './fixtures/activation-driver-workflows.js';

type Env = Awaited<ReturnType<typeof startImportEnv>>;

/** A Personio employee hired today and their STAGED JumpCloud user, as the import leaves them. */
function newHire(env: Env) {
  const employee = env.personio.data.hire({ hireDate: formatDayOf(Date.now()) });
  const [user] = env.jumpcloud.seedUsers([
    {
      username: `new.hire${employee.id}`,
      email: `new.hire.${employee.id}@example.test`,
      employeeIdentifier: String(employee.id),
      state: 'STAGED',
    },
  ]);
  assert.ok(user);
  return { personioId: employee.id, jumpcloudUserId: user._id };
}

/**
 * The request for a hire "date" `ms` from now. localTime 00:00 in the sandbox's zone makes the
 * hire date's own instant today's midnight, which is never later than activateAt: the check
 * does not mistake today's date for a date moved later.
 */
function requestFor(hire: { personioId: number; jumpcloudUserId: string }, ms: number): ActivationRequest {
  return {
    ...hire,
    activateAt: new Date(Date.now() + ms).toISOString(),
    localTime: '00:00',
    timeZone: 'Europe/Berlin',
  };
}

const stateOf = (env: Env, id: string) => env.jumpcloud.store.getUser(id)?.state;

describe('activateOnHireDate', { concurrency: true }, () => {
  test('activates the staged user when the timer fires, not before', async (t) => {
    const env = await startImportEnv(t, { personio: { employees: 3 } });
    const hire = newHire(env);
    await env.withImportWorker(async () => {
      // Due in an hour: however slow the machine, the checks below see it waiting.
      const request = requestFor(hire, 3_600_000);
      const handle = await env.client.workflow.start(activateOnHireDate, {
        taskQueue: env.taskQueue,
        workflowId: activationWorkflowId(env.taskQueue, hire.personioId),
        args: [request],
      });
      const waiting = await handle.query(activationStatusQuery);
      assert.equal(waiting.phase, 'waiting');
      assert.equal(waiting.activateAt, request.activateAt);
      assert.equal(stateOf(env, hire.jumpcloudUserId), 'STAGED');
      // Temporal Web's "current details" line says when it activates.
      const metadata = await handle.query<{ currentDetails: string }>('__temporal_workflow_metadata');
      assert.match(metadata.currentDetails, new RegExp(`at ${request.activateAt}`));

      // Then the time comes (moved to a second from now, the way an import re-run moves it).
      const due = new Date(Date.now() + 1000).toISOString();
      await handle.signal(rescheduleActivationSignal, due);
      const result = await handle.result();
      assert.equal(result.outcome, 'activated');
      assert.ok(result.at >= due, `decided at ${result.at}, due ${due}`);
      assert.equal(stateOf(env, hire.jumpcloudUserId), 'ACTIVATED');
      assert.equal((await handle.query(activationStatusQuery)).phase, 'activated');
    });
  });

  test('a cancel signal before the time ends it; the user stays STAGED', async (t) => {
    const env = await startImportEnv(t, { personio: { employees: 3 } });
    const hire = newHire(env);
    await env.withImportWorker(async () => {
      const handle = await env.client.workflow.start(activateOnHireDate, {
        taskQueue: env.taskQueue,
        workflowId: activationWorkflowId(env.taskQueue, hire.personioId),
        args: [requestFor(hire, 60_000)],
      });
      await handle.signal(cancelActivationSignal, 'hire withdrawn');
      const result = await handle.result();
      assert.equal(result.outcome, 'cancelled');
      assert.equal(result.reason, 'hire withdrawn');
      assert.equal(stateOf(env, hire.jumpcloudUserId), 'STAGED');
    });
  });

  test('an employee removed from Personio before the time is not activated', async (t) => {
    const env = await startImportEnv(t, { personio: { employees: 3 } });
    const hire = newHire(env);
    await env.withImportWorker(async () => {
      const handle = await env.client.workflow.start(activateOnHireDate, {
        taskQueue: env.taskQueue,
        workflowId: activationWorkflowId(env.taskQueue, hire.personioId),
        args: [requestFor(hire, 3000)],
      });
      env.personio.data.remove(hire.personioId);
      const result = await handle.result();
      assert.deepEqual(
        { outcome: result.outcome, reason: result.reason },
        {
          outcome: 'cancelled',
          reason: 'employee no longer in Personio',
        },
      );
      assert.equal(stateOf(env, hire.jumpcloudUserId), 'STAGED');
    });
  });

  test('an employee terminated before the time is not activated', async (t) => {
    const env = await startImportEnv(t, { personio: { employees: 3 } });
    const hire = newHire(env);
    await env.withImportWorker(async () => {
      const handle = await env.client.workflow.start(activateOnHireDate, {
        taskQueue: env.taskQueue,
        workflowId: activationWorkflowId(env.taskQueue, hire.personioId),
        args: [requestFor(hire, 3000)],
      });
      env.personio.data.setStatus(hire.personioId, 'inactive');
      const result = await handle.result();
      assert.equal(result.outcome, 'cancelled');
      assert.equal(result.reason, 'terminated before the start date');
      assert.equal(stateOf(env, hire.jumpcloudUserId), 'STAGED');
    });
  });

  test('reschedule moves the time, earlier and later', async (t) => {
    const env = await startImportEnv(t, { personio: { employees: 3 } });
    const early = newHire(env);
    const late = newHire(env);
    await env.withImportWorker(async () => {
      const original = requestFor(early, 3_600_000);
      const earlier = await env.client.workflow.start(activateOnHireDate, {
        taskQueue: env.taskQueue,
        workflowId: activationWorkflowId(env.taskQueue, early.personioId),
        args: [original],
      });
      const earlierAt = new Date(Date.now() + 2000).toISOString();
      await earlier.signal(rescheduleActivationSignal, earlierAt);
      // Due in 2 s, moved to 5 s: the move is sent with the start, so it is there before the
      // first timer could fire, however slow the machine.
      const laterAt = new Date(Date.now() + 5000).toISOString();
      const later = await env.client.workflow.signalWithStart(activateOnHireDate, {
        taskQueue: env.taskQueue,
        workflowId: activationWorkflowId(env.taskQueue, late.personioId),
        args: [requestFor(late, 2000)],
        signal: rescheduleActivationSignal,
        signalArgs: [laterAt],
      });
      // The same time again (what every import re-run sends) changes nothing.
      await later.signal(rescheduleActivationSignal, laterAt);

      const status = await later.query(activationStatusQuery);
      assert.equal(status.activateAt, laterAt);
      assert.equal(status.rescheduled, 1);

      const [a, b] = await Promise.all([earlier.result(), later.result()]);
      assert.equal(a.outcome, 'activated');
      assert.ok(a.at >= earlierAt, `activated at ${a.at}, moved to ${earlierAt}`);
      assert.ok(a.at < original.activateAt, `activated at the moved time, not at ${original.activateAt}`);
      assert.equal(b.outcome, 'activated');
      assert.ok(b.at >= laterAt, `activated at ${b.at}, moved to ${laterAt}`);
      assert.equal(stateOf(env, early.jumpcloudUserId), 'ACTIVATED');
      assert.equal(stateOf(env, late.jumpcloudUserId), 'ACTIVATED');
    });
  });

  test('a hire date moved later in Personio is found at the check and waited for', async (t) => {
    const env = await startImportEnv(t, { personio: { employees: 3 } });
    const hire = newHire(env);
    await env.withImportWorker(async () => {
      const handle = await env.client.workflow.start(activateOnHireDate, {
        taskQueue: env.taskQueue,
        workflowId: activationWorkflowId(env.taskQueue, hire.personioId),
        args: [requestFor(hire, 1000)],
      });
      // The start is postponed to next year after the timer was set.
      env.personio.data.changeHireDate(hire.personioId, '2099-01-04');
      const dueNextYear = '2099-01-03T23:00:00.000Z'; // 2099-01-04 00:00 in Berlin (CET)
      const status = await until('the timer to take the new date', async () => {
        const s = await handle.query(activationStatusQuery);
        return s.activateAt === dueNextYear ? s : undefined;
      });
      assert.deepEqual([status.phase, status.activateAt, status.rescheduled], ['waiting', dueNextYear, 1]);
      assert.equal(stateOf(env, hire.jumpcloudUserId), 'STAGED');
      await handle.signal(cancelActivationSignal, 'test done');
      assert.equal((await handle.result()).outcome, 'cancelled');
    });
  });

  test('the timer is durable: it fires while no worker runs, and a new worker activates', async (t) => {
    const env = await startImportEnv(t, { personio: { employees: 3 } });
    // The first worker sets the timer and stops before it fires. A machine too slow to stop
    // the worker in time gets a longer timer and a new hire (the premise is checked, not timed).
    let workflowId = '';
    let hire: ReturnType<typeof newHire> | undefined;
    for (let dueInMs = 3000; ; dueInMs *= 4) {
      assert.ok(dueInMs <= 200_000, 'the worker never stopped before its timer fired');
      hire = newHire(env);
      workflowId = activationWorkflowId(env.taskQueue, hire.personioId);
      const handle = env.client.workflow.getHandle<typeof activateOnHireDate>(workflowId);
      await env.withImportWorker(async () => {
        await env.client.workflow.start(activateOnHireDate, {
          taskQueue: env.taskQueue,
          workflowId,
          args: [requestFor(hire!, dueInMs)],
        });
        await until('the timer to start', async () =>
          (await timerEvents(handle)).started ? true : undefined,
        );
      }); // the first worker shuts down here, with the timer pending (or not: see below)
      if (!(await timerEvents(handle)).fired) break;
      // It may have activated already (the first worker saw the timer fire): end it either way.
      await handle.terminate('the worker stopped too late for this test').catch(() => undefined);
    }
    const handle = env.client.workflow.getHandle<typeof activateOnHireDate>(workflowId);
    // The timer fires while no worker runs: the server records it, nothing acts on it.
    await until(
      'the timer to fire',
      async () => ((await timerEvents(handle)).fired ? true : undefined),
      300_000,
    );
    assert.equal(stateOf(env, hire.jumpcloudUserId), 'STAGED', 'nothing runs without a worker');

    const result = await env.withImportWorker(() => handle.result());
    assert.equal(result.outcome, 'activated');
    assert.equal(stateOf(env, hire.jumpcloudUserId), 'ACTIVATED');
  });
});

/** Whether the workflow's history has started and fired a timer (the server's record). */
async function timerEvents(handle: { fetchHistory(): Promise<{ events?: unknown[] | null }> }) {
  const events = ((await handle.fetchHistory()).events ?? []) as {
    timerStartedEventAttributes?: unknown;
    timerFiredEventAttributes?: unknown;
  }[];
  return {
    started: events.some((e) => e.timerStartedEventAttributes),
    fired: events.some((e) => e.timerFiredEventAttributes),
  };
}

describe('the import helpers ensureActivationTimer and cancelActivationTimer', () => {
  let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;
  // The real workflows plus a driver workflow that calls the helpers from workflow code.
  const driverBundle = () =>
    (bundle ??= bundleWorkflowCode({
      workflowsPath: fileURLToPath(new URL('./fixtures/activation-driver-workflows.ts', import.meta.url)),
      failureConverterPath,
      logger: Runtime.instance().logger,
      webpackConfigHook: (config) => {
        config.resolve = { ...config.resolve, extensionAlias: { '.js': ['.ts', '.js'] } };
        return config;
      },
    }));

  test('start, move, outlive the caller, cancel; no timer is not an error', async (t) => {
    const env = await startImportEnv(t, { personio: { employees: 3 } });
    const hire = newHire(env);
    const workflowBundle = await driverBundle();
    let run = 0;
    const drive = (call: Parameters<typeof activationTimerDriver>[0]) =>
      env.client.workflow.execute<typeof activationTimerDriver>('activationTimerDriver', {
        taskQueue: env.taskQueue,
        workflowId: `${env.taskQueue}-driver-${++run}`,
        args: [call],
      });
    await env.withImportWorker(
      async () => {
        const first = requestFor(hire, 3_600_000);
        assert.equal(await drive({ kind: 'ensure', request: first }), 'started');
        // The driver (the import page, in production) has completed; the timer runs on.
        const timer = env.client.workflow.getHandle<typeof activateOnHireDate>(
          activationWorkflowId(env.taskQueue, hire.personioId),
        );
        const description = await timer.describe();
        assert.equal(description.status.name, 'RUNNING');
        assert.equal(
          await description.staticSummary(),
          `Activate Personio employee ${hire.personioId} on the hire date`,
        );

        const moved = requestFor(hire, 7_200_000);
        assert.equal(await drive({ kind: 'ensure', request: moved }), 'rescheduled');
        const status = await timer.query(activationStatusQuery);
        assert.deepEqual([status.activateAt, status.rescheduled], [moved.activateAt, 1]);

        assert.equal(
          await drive({ kind: 'cancel', personioId: hire.personioId, reason: 'left before start' }),
          true,
        );
        const result = await timer.result();
        assert.deepEqual([result.outcome, result.reason], ['cancelled', 'left before start']);

        // Nothing to cancel any more (the timer finished), or never started at all.
        assert.equal(await drive({ kind: 'cancel', personioId: hire.personioId, reason: 'again' }), false);
        assert.equal(await drive({ kind: 'cancel', personioId: 999_999, reason: 'none' }), false);

        // A new timer may start once the old one has finished (a rehire, a new hire date).
        assert.equal(await drive({ kind: 'ensure', request: requestFor(hire, 2000) }), 'started');
        const second = await timer.result();
        assert.equal(second.outcome, 'activated');
        assert.equal(stateOf(env, hire.jumpcloudUserId), 'ACTIVATED');
      },
      { worker: { workflowBundle } },
    );
  });
});
