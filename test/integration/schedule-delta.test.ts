/**
 * Scheduled delta sync, end to end: a schedule's first run imports everything; a tick with
 * no Personio changes reads only the delta and writes nothing; and a change made before a
 * failed run is still applied by the next run, because only a successful run moves the
 * watermark (it travels as the schedule's last completion result).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WorkflowFailedError, type ScheduleHandle } from '@temporalio/client';
import { createSchedule, type ScheduleContext } from '../../client/schedule-command.js';
import { totalOutcomes } from '../../domain/outcomes.js';
import { SANDBOX_JUMPCLOUD_API_KEY } from '../../sandbox/jumpcloud/server.js';
import type { ImportReport } from '../../workflows/import-api.js';
import { SKEW_MARGIN_MS, type SyncState } from '../../workflows/sync-window.js';
import { startImportEnv } from '../helpers/import-env.js';
import { until } from '../helpers/wait.js';

type Report = ImportReport & { sync: SyncState };
type ImportEnv = Awaited<ReturnType<typeof startImportEnv>>;

const EMPLOYEES = 30;

/**
 * Triggers the schedule and waits for that run's outcome, then until the schedule itself has
 * seen the run close: only then does it hold the run's result for the next one.
 */
async function tick(env: ImportEnv, schedule: ScheduleHandle, run: number) {
  await schedule.trigger('SKIP');
  const action = await until(
    `scheduled run ${run}`,
    async () => {
      const { recentActions } = (await schedule.describe()).info;
      return recentActions.length >= run ? recentActions[run - 1] : undefined;
    },
    60_000,
  );
  const handle = env.client.workflow.getHandle(action.action.workflow.workflowId);
  const outcome = await handle.result().then(
    (report) => ({ report: report as Report, error: null }),
    (error: unknown) => ({ report: null, error }),
  );
  await until(
    'the schedule to see the run close',
    async () => ((await schedule.describe()).info.runningActions.length === 0 ? true : undefined),
    60_000,
  );
  return {
    ...outcome,
    workflowId: action.action.workflow.workflowId,
    startTime: (await handle.describe()).startTime,
  };
}

/** Waits (on the clock, bounded) until the time is past `ms` rounded up to a whole second. */
async function nextWholeSecond(ms: number): Promise<void> {
  const target = Math.floor(ms / 1000) * 1000 + 1000;
  await until(
    'the clock to pass the next whole second',
    async () => (Date.now() >= target ? true : undefined),
    10_000,
  );
}

interface StateUser {
  firstname: string;
  lastname: string;
  employeeIdentifier?: string;
}

async function userFor(env: ImportEnv, personioId: number): Promise<StateUser | undefined> {
  const state = (await (await fetch(`${env.jumpcloud.url}/_sandbox/state`)).json()) as { users: StateUser[] };
  return state.users.find((u) => u.employeeIdentifier === String(personioId));
}

test('scheduled delta sync: a quiet tick writes nothing, and a failed run loses no change', async (t) => {
  // Personio's clock, which stamps last_modified_at, can be set apart from ours.
  let personioClockOffsetMs = 0;
  const env = await startImportEnv(t, {
    personio: { employees: EMPLOYEES, seed: 13, now: () => Date.now() + personioClockOffsetMs },
  });
  const ctx: ScheduleContext = {
    client: env.client,
    taskQueue: env.taskQueue,
    namespace: 'default',
    print: () => undefined,
  };
  // Paused: no tick of its own comes during the test; triggers run all the same.
  const scheduleId = await createSchedule(ctx, {
    every: '1h',
    paused: true,
    inputJson: JSON.stringify({ notify: { when: 'never' }, safeguards: null }),
  });
  const schedule = env.client.schedule.getHandle(scheduleId);
  t.after(() => schedule.delete().catch(() => undefined));

  await env.withImportWorker(async () => {
    // 1. The first run has no earlier success to start from: a full import.
    const first = await tick(env, schedule, 1);
    assert.ok(first.report, `the first run failed: ${String(first.error)}`);
    assert.equal(first.report.sync.mode, 'full');
    assert.equal(totalOutcomes(first.report.counts), EMPLOYEES);
    assert.ok(first.report.counts.created > 0);

    // 2. Nothing changed in Personio: a delta since the first run's watermark, nothing read
    //    (the margin re-reads the last 5 minutes, and nobody changed in them), nothing written.
    env.jumpcloud.stats.clear();
    // Watermarks have whole seconds: wait for the next one, so the quiet run's can be seen to move.
    await nextWholeSecond(Date.parse(first.report.sync.watermark) + SKEW_MARGIN_MS);
    const quiet = await tick(env, schedule, 2);
    assert.ok(quiet.report, `the quiet run failed: ${String(quiet.error)}`);
    assert.equal(quiet.report.sync.mode, 'delta');
    assert.equal(quiet.report.sync.updatedSince, first.report.sync.watermark);
    assert.equal(totalOutcomes(quiet.report.counts), 0, 'no employee read');
    assert.deepEqual(env.jumpcloud.stats.snapshot().writes, {}, 'no JumpCloud write');
    // How long a quiet tick takes is the benchmark's business; here: it read nobody.
    t.diagnostic(`a quiet tick took ${quiet.report.durationMs} ms`);
    assert.ok(
      Date.parse(quiet.report.sync.watermark) > Date.parse(first.report.sync.watermark),
      'a successful run moves the watermark',
    );

    // 3. A change, stamped by a Personio clock as far behind ours as the margin allows: it lies
    //    after the quiet run's watermark, but before any watermark a later run would set.
    const renamed = [...Array(EMPLOYEES).keys()]
      .map((i) => 1001 + i)
      .find((id) => env.personio.data.get(id)?.status === 'active');
    assert.ok(renamed !== undefined);
    const user = await userFor(env, renamed);
    assert.ok(user, 'the employee was imported by the first run');
    personioClockOffsetMs = -SKEW_MARGIN_MS;
    const changed = env.personio.data.changeName(renamed, 'Delta', 'Watermark');
    personioClockOffsetMs = 0;
    const changedAt = Date.parse(changed.lastModifiedAt);
    assert.ok(changedAt >= Date.parse(quiet.report.sync.watermark), 'the change is after the watermark');
    // Let time pass, so a watermark set by the next run would lie after the change's stamp.
    await nextWholeSecond(changedAt + SKEW_MARGIN_MS + 1000);

    // 4. The next run fails: JumpCloud refuses the key (non-retryable), before any page is read.
    env.jumpcloud.setApiKey('revoked-jumpcloud-key');
    const failed = await tick(env, schedule, 3);
    assert.ok(
      failed.error instanceof WorkflowFailedError,
      `the run should have failed: ${String(failed.error)}`,
    );
    assert.equal((await userFor(env, renamed))?.firstname, user.firstname, 'the failed run changed nothing');
    const movedWatermark = Math.floor((failed.startTime.getTime() - SKEW_MARGIN_MS) / 1000) * 1000;
    assert.ok(
      movedWatermark > changedAt,
      'a watermark moved by the failed run would lie after the change: this test would catch it',
    );

    // 5. The key is back: the run reads from the last SUCCESSFUL run's watermark and applies it.
    env.jumpcloud.setApiKey(SANDBOX_JUMPCLOUD_API_KEY);
    env.jumpcloud.stats.clear();
    const recovered = await tick(env, schedule, 4);
    assert.ok(recovered.report, `the run after the failure failed: ${String(recovered.error)}`);
    assert.equal(recovered.report.sync.mode, 'delta');
    assert.equal(recovered.report.sync.updatedSince, quiet.report.sync.watermark);
    assert.equal(
      totalOutcomes(recovered.report.counts),
      1,
      `only the changed employee was read: ${JSON.stringify({ counts: recovered.report.counts, sync: recovered.report.sync, total: recovered.report.employeesTotal, plan: recovered.report.plan })}`,
    );
    assert.equal(recovered.report.counts.updated, 1);
    const after = await userFor(env, renamed);
    assert.equal(after?.firstname, 'Delta');
    assert.equal(after?.lastname, 'Watermark');
    assert.ok((env.jumpcloud.stats.snapshot().writes.usersUpdated ?? 0) >= 1);
  });
});
