/**
 * One import writes per task queue at a time, scheduled or manual, and a run waiting for
 * approval holds the place: through the real worker and CLI processes. A scheduled tick
 * during a paused manual import is skipped and says so (it must not suspend the leavers the
 * admin has not approved); a second `import` follows the waiting one; a second schedule on
 * the queue is refused.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultScheduleId } from '../../client/schedule-command.js';
import type { ImportReport } from '../../workflows/import-api.js';
import { startRealProcesses, usersByPersonioId } from '../helpers/real-processes.js';
import { until } from '../helpers/wait.js';

test('a scheduled tick while an import waits for approval is skipped, says so, and writes nothing', async (t) => {
  const env = await startRealProcesses(t, { personio: { employees: 30, seed: 61 } });
  const first = await env.cli(['import', '--notify', 'never']);
  assert.equal(first.code, 0, first.output);
  const leavers: number[] = [];
  for (let id = 1001; leavers.length < 3; id++) {
    const e = env.personio.data.get(id);
    assert.ok(e, 'enough active employees');
    if (e.status === 'active' && e.email) leavers.push(id);
  }
  for (const id of leavers) env.personio.data.setStatus(id, 'inactive');

  // The admin's import pauses on the leavers.
  const manual = env.startCli([
    'import',
    '--input-json',
    JSON.stringify({ notify: { when: 'never' }, safeguards: { maxSuspensions: 1 } }),
  ]);
  await manual.waitFor(/Waiting for approval before writing anything/, 120_000);

  // A schedule whose runs would apply at once (no safeguards).
  const scheduleId = defaultScheduleId(env.taskQueue);
  t.after(() =>
    env.client.schedule
      .getHandle(scheduleId)
      .delete()
      .catch(() => undefined),
  );
  const created = await env.cli([
    'schedule',
    'create',
    '--every',
    '1h',
    '--paused',
    '--input-json',
    JSON.stringify({ notify: { when: 'never' }, safeguards: null }),
  ]);
  assert.equal(created.code, 0, created.output);

  // A second schedule on the queue is refused, naming the first.
  const second = await env.cli(['schedule', 'create', '--every', '2h', '--id', `${scheduleId}-2`]);
  assert.equal(second.code, 2, second.output);
  assert.match(second.output, new RegExp(`has a schedule already \\(${scheduleId}\\)`));

  const trigger = await env.cli(['schedule', 'trigger']);
  assert.equal(trigger.code, 0, trigger.output);
  const schedule = env.client.schedule.getHandle(scheduleId);
  const action = await until(
    'the triggered run',
    async () => (await schedule.describe()).info.recentActions[0],
    60_000,
  );
  const scheduled = (await env.client.workflow
    .getHandle(action.action.workflow.workflowId)
    .result()) as ImportReport;
  assert.match(
    scheduled.skipped ?? '',
    new RegExp(`^Skipped: another import holds this task queue's place \\(${env.workflowId};`),
    JSON.stringify(scheduled),
  );
  let users = await usersByPersonioId(env.jumpcloud.url);
  for (const id of leavers) assert.notEqual(users.get(id)?.state, 'SUSPENDED', `${id} not suspended`);

  // `schedule list` says why the last run did nothing.
  const listed = await until(
    'the skipped run in `schedule list`',
    async () => {
      const list = await env.cli(['schedule', 'list']);
      return /Skipped: another import holds/.test(list.stdout) ? list : undefined;
    },
    60_000,
  );
  assert.equal(listed.code, 0);

  // A second manual import follows the waiting one instead of starting another.
  const again = await env.cli(['import', '--no-wait']);
  assert.equal(again.code, 0, again.output);
  assert.match(again.output, /already running .* following it/);

  // The admin rejects: nothing was written, by anyone.
  const reject = await env.cli([
    'reject',
    '--by',
    'jane@example.com',
    '--key',
    env.approverKey('jane@example.com'),
  ]);
  assert.equal(reject.code, 0, reject.output);
  assert.equal(await manual.exited, 3, manual.output.join('\n'));
  users = await usersByPersonioId(env.jumpcloud.url);
  for (const id of leavers) assert.notEqual(users.get(id)?.state, 'SUSPENDED', `${id} not suspended`);
});
