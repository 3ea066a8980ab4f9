/**
 * `status`, `cancel` and `report` tell what was written, through the real worker and CLI
 * processes: counts move with every employee (not only when a page of 100 finishes); a
 * cancelled import's status and report say what it did and why it ended; a failed one says
 * why, and exits non-zero.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startRealProcesses, usersByPersonioId } from '../helpers/real-processes.js';
import { until } from '../helpers/wait.js';

/** "created 7, updated 0, …" → { created: 7, … } */
function countsIn(line: string): Record<string, number> {
  return Object.fromEntries([...line.matchAll(/([a-z]+) (\d+)/g)].map(([, k, v]) => [k!, Number(v)]));
}

test('status and cancel count every employee written; a cancelled import says what it did and why it ended', async (t) => {
  // One page of 100, slowed down (about a minute of writes at 4 requests in flight): the page
  // is far from finished while users appear, and still running when `cancel` comes.
  const env = await startRealProcesses(t, {
    personio: { employees: 100, seed: 71 },
    jumpcloud: { faults: { latencyMs: 500 } },
  });
  const importing = env.startCli(['import', '--notify', 'never']);
  // An employee is finished when their staging activity has returned (user created, groups
  // joined), which the page records and the worker logs ("employee staged"). A user merely
  // existing in JumpCloud is not that yet: waiting for users let `status` come between the
  // create and the end of the activity, and count 0.
  const stagedCreated = () =>
    env.worker!.output.filter((l) => l.includes('"employee staged"') && l.includes('"outcome":"created"'))
      .length;
  await until('a few employees created', async () => (stagedCreated() >= 6 ? true : undefined), 120_000);
  const createdBefore = stagedCreated();

  const status = await env.cli(['status']);
  assert.equal(status.code, 0, status.output);
  assert.match(status.stdout, /RUNNING/);
  const live = countsIn(status.stdout.split('\n').find((l) => l.startsWith('created '))!);
  assert.ok(
    live.created! >= createdBefore,
    `status counts every employee created so far (${createdBefore} logged by the worker): ${status.stdout}`,
  );
  assert.match(status.stdout, /pages 0\/1/, 'while the page itself is not finished');

  const cancel = await env.cli(['cancel']);
  assert.equal(cancel.code, 0, cancel.output);
  const line = cancel.stdout.split('\n').find((l) => / after \d+ employees/.test(l));
  assert.ok(line, cancel.output);
  const after = Number(/ after (\d+) employees/.exec(line)![1]);
  const cancelledCounts = countsIn(line.split(': ').slice(1).join(': '));
  // Counted once nothing of the import runs any more: the import ends as soon as it has asked
  // its pages to stop, and a page still stopping could record more employees after `cancel`
  // printed (a later `status` would then say more than `cancel` did).
  let pages = 0;
  for await (const page of env.client.workflow.list({
    query: `WorkflowId STARTS_WITH "${env.workflowId}/"`,
  })) {
    pages++;
    const { status } = await env.client.workflow.getHandle(page.workflowId).describe();
    assert.notEqual(status.name, 'RUNNING', `${page.workflowId} still runs after cancel printed its count`);
  }
  assert.ok(pages > 0, 'the import held its page in a workflow of its own');
  const users = await usersByPersonioId(env.jumpcloud.url);
  assert.ok(after >= live.created!, `cancel counts at least what status saw: ${line}`);
  // Each created employee is counted once their user exists; at most the activities in
  // flight at the cancel (16 per worker) have a user but no result.
  assert.ok(
    cancelledCounts.created! <= users.size && cancelledCounts.created! >= users.size - 16,
    `${line} vs ${users.size} users in JumpCloud`,
  );

  // The import that was following it ends, saying so, with the cancelled exit code.
  assert.equal(await importing.exited, 4, importing.output.join('\n'));
  assert.match(importing.output.join('\n'), /The import was cancelled before it finished/);

  const stopped = await env.cli(['status']);
  assert.equal(stopped.code, 4, stopped.output);
  assert.match(stopped.stdout, /CANCELLED/);
  assert.match(stopped.stdout, /The import did not finish: it was cancelled on request/);
  assert.match(stopped.stdout, new RegExp(`finished ${after} employees`));

  const report = await env.cli(['report', '--format', 'csv']);
  assert.equal(report.code, 0, report.output);
  assert.match(report.output, /did not finish \(CANCELLED\): it was cancelled on request/);
  const rows = report.stdout.trim().split('\n').slice(1);
  assert.equal(rows.length, after, 'one row per employee it finished');
  for (const row of rows.filter((r) => r.split(',')[1] === 'created'))
    assert.ok(users.has(Number(row.split(',')[0])), `created ${row.split(',')[0]} exists in JumpCloud`);
});

test('a failed import: status says why and exits 1', async (t) => {
  const env = await startRealProcesses(t, { personio: { employees: 10, seed: 73 } });
  env.jumpcloud.setApiKey('rotated-away');
  const run = await env.cli(['import', '--notify', 'never']);
  assert.equal(run.code, 1, run.output);
  const status = await env.cli(['status']);
  assert.equal(status.code, 1, status.output);
  assert.match(status.stdout, /FAILED/);
  assert.match(status.stdout, /The import did not finish: it failed: .*JumpCloud/i);
});
