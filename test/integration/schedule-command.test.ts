/**
 * `schedule create|list|pause|unpause|trigger|delete` against the real dev server: the
 * schedule skips overlapping runs, a trigger starts importEmployees on the task queue, and
 * mistakes (an id taken, an id unknown) are one-line usage errors.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ScheduleNotFoundError } from '@temporalio/client';
import {
  createSchedule,
  defaultScheduleId,
  deleteSchedule,
  formatScheduleRow,
  listSchedules,
  pauseSchedule,
  triggerSchedule,
  unpauseSchedule,
  type ScheduleContext,
  type ScheduleRow,
} from '../../client/schedule-command.js';
import { UsageError } from '../../client/usage-error.js';
import { totalOutcomes } from '../../domain/outcomes.js';
import type { ImportReport } from '../../workflows/import-api.js';
import { startImportEnv } from '../helpers/import-env.js';
import { until } from '../helpers/wait.js';

const EMPLOYEES = 12;

async function rejectsWithUsage(promise: Promise<unknown>, message: RegExp): Promise<void> {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(err instanceof UsageError, `UsageError expected, got ${String(err)}`);
    assert.match(err.message, message);
    return true;
  });
}

test('schedule create → list → pause → unpause → trigger → delete', async (t) => {
  const env = await startImportEnv(t, { personio: { employees: EMPLOYEES, seed: 11 } });
  const lines: string[] = [];
  const ctx: ScheduleContext = {
    client: env.client,
    taskQueue: env.taskQueue,
    namespace: 'default',
    print: (line) => lines.push(line),
  };
  const scheduleId = defaultScheduleId(env.taskQueue);
  const handle = env.client.schedule.getHandle(scheduleId);
  // Whatever happens below, no schedule of this test outlives it.
  t.after(() => handle.delete().catch(() => undefined));

  // A weekly interval: no natural tick comes during the test, only our trigger.
  const created = await createSchedule(ctx, { every: '7d', inputJson: '{"notify":{"when":"never"}}' });
  assert.equal(created, scheduleId);
  assert.match(lines.join('\n'), /Created schedule .*overlapping runs are skipped/);
  await rejectsWithUsage(
    createSchedule(ctx, { every: '1h' }),
    new RegExp(`^a schedule named ${scheduleId} already exists; \`schedule delete ${scheduleId}\` first`),
  );

  const description = await handle.describe();
  assert.equal(description.policies.overlap, 'SKIP');
  assert.equal(description.action.type, 'startWorkflow');
  assert.equal(description.action.workflowType, 'scheduledImport');
  assert.equal(description.action.taskQueue, env.taskQueue);
  assert.deepEqual(description.action.args, [
    { notify: { when: 'never' }, sync: { mode: 'auto', fullReconcileEvery: '24h' } },
  ]);

  // The list comes from visibility, which is eventually consistent.
  const rowOf = (predicate: (row: ScheduleRow) => boolean = () => true) =>
    until(`schedule ${scheduleId} in the list`, async () =>
      (await listSchedules(ctx)).find((r) => r.scheduleId === scheduleId && predicate(r)),
    );
  const listed = await rowOf();
  assert.equal(listed.overlap, 'SKIP');
  assert.deepEqual(listed.everyMs, [7 * 86_400_000]);
  assert.equal(listed.paused, false);
  assert.equal(listed.taskQueue, env.taskQueue);
  assert.equal(listed.fullReconcileEvery, '24h');
  assert.ok(listed.nextRun instanceof Date);
  assert.equal(listed.lastRun, null);
  const text = formatScheduleRow(listed).join('\n');
  assert.match(
    text,
    new RegExp(`^${scheduleId}  every 7d  active  overlap SKIP  task queue ${env.taskQueue}`),
  );
  assert.match(text, /last run {6}none yet/);
  assert.match(text, /watermark {5}none yet \(the next run is a full import\)/);

  await pauseSchedule(ctx, undefined, 'maintenance window');
  let state = (await handle.describe()).state;
  assert.deepEqual([state.paused, state.note], [true, 'maintenance window']);
  assert.match(
    formatScheduleRow(await rowOf((r) => r.paused)).join('\n'),
    /PAUSED[\s\S]*next run {6}\(paused\)/,
  );
  await unpauseSchedule(ctx, scheduleId);
  state = (await handle.describe()).state;
  assert.equal(state.paused, false);

  const report = await env.withImportWorker(async () => {
    await triggerSchedule(ctx, undefined);
    const run = await until('the triggered run', async () => (await handle.describe()).info.recentActions[0]);
    assert.match(run.action.workflow.workflowId, new RegExp(`^personio-import-${env.taskQueue}-scheduled-`));
    const result = (await env.client.workflow
      .getHandle(run.action.workflow.workflowId)
      .result()) as ImportReport;
    // The schedule learns of the completion on its own time; wait until it has.
    await until('the schedule to see the run finish', async () =>
      (await handle.describe()).info.runningActions.length === 0 ? true : undefined,
    );
    return result;
  });
  assert.equal(totalOutcomes(report.counts), EMPLOYEES);
  assert.ok(report.counts.created > 0);

  const afterRun = await rowOf((r) => r.lastRun !== null);
  assert.equal(afterRun.lastRun?.status, 'COMPLETED');
  const sync = report.sync;
  assert.ok(sync, 'the run reports its sync state');
  assert.equal(afterRun.watermark?.value, sync.watermark);
  assert.match(formatScheduleRow(afterRun).join('\n'), new RegExp(`watermark {5}${sync.watermark}`));

  await deleteSchedule(ctx, undefined);
  await assert.rejects(handle.describe(), ScheduleNotFoundError);
  const notFound = new RegExp(`^no schedule named ${scheduleId}; \`schedule list\` shows them$`);
  await rejectsWithUsage(pauseSchedule(ctx, scheduleId), notFound);
  await rejectsWithUsage(unpauseSchedule(ctx, scheduleId), notFound);
  await rejectsWithUsage(triggerSchedule(ctx, scheduleId), notFound);
  await rejectsWithUsage(deleteSchedule(ctx, scheduleId), notFound);
});
