/**
 * Interruptions a person causes: the JumpCloud key revoked mid-run (the import stops with a
 * clear message, what was done stays done, the next run finishes the rest without touching
 * what is right), and a cancel mid-run (it stops promptly, says how far it got, and leaves no
 * half-written user).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WorkflowFailedError } from '@temporalio/client';
import { rootCauseMessage } from '../../client/failure-message.js';
import { progressQuery } from '../../workflows/import-api.js';
import { importEmployees } from '../../workflows/index.js';
import { comparableUser, expectedUsers } from '../helpers/expected-directory.js';
import { startImportEnv } from '../helpers/import-env.js';
import { withWorker } from '../helpers/temporal.js';
import { until } from '../helpers/wait.js';

interface StateUser extends Record<string, unknown> {
  _id: string;
  employeeIdentifier?: string;
}
const usersOf = async (url: string) =>
  ((await (await fetch(`${url}/_sandbox/state`)).json()) as { users: StateUser[] }).users;

test('a JumpCloud key revoked mid-run stops the import clearly; the next run finishes the rest', async (t) => {
  const employees = 120;
  const env = await startImportEnv(t, {
    personio: { employees, seed: 23 },
    jumpcloud: { faults: { latencyMs: 5 } },
  });
  const workflowId = `${env.taskQueue}-revoked`;
  const input = { pageSize: 10, pagesInFlight: 2, notify: { when: 'never' as const } };

  const failure = await withWorker({ taskQueue: env.taskQueue, deps: env.makeDeps() }, async () => {
    const handle = await env.client.workflow.start(importEmployees, {
      taskQueue: env.taskQueue,
      workflowId,
      args: [input],
    });
    await until('three pages staged', async () => {
      const p = await handle.query(progressQuery).catch(() => null);
      return p && p.phase === 'staging' && p.pagesDone >= 3 ? true : undefined;
    });
    env.jumpcloud.setApiKey('a-new-key-after-revocation');
    return handle.result().then(
      () => null,
      (err: unknown) => err,
    );
  });
  assert.ok(failure instanceof WorkflowFailedError, 'the import failed');
  const message = rootCauseMessage(failure);
  assert.match(message, /JumpCloud stopped accepting the credentials during the import/);
  assert.match(message, /Set JUMPCLOUD_API_KEY/);

  const afterFirst = await usersOf(env.jumpcloud.url);
  assert.ok(
    afterFirst.length > 0 && afterFirst.length < employees,
    `some users were done (${afterFirst.length})`,
  );
  const records = Array.from({ length: employees }, (_, i) => env.personio.data.get(1001 + i)!);
  const expected = expectedUsers(records);
  const byUserId = new Map(afterFirst.map((u) => [u._id, Number(u.employeeIdentifier)]));
  for (const user of afterFirst) {
    const want = { ...expected.get(Number(user.employeeIdentifier))!, managerPersonioId: null };
    assert.deepEqual(
      { ...comparableUser(user, byUserId), managerPersonioId: null },
      want,
      'a created user is complete',
    );
  }

  // The next run, with a good key, finishes the rest and leaves the done ones alone.
  const createdBefore = env.jumpcloud.stats.snapshot().writes.usersCreated ?? 0;
  const goodDeps = env.makeDeps({ jumpcloudApiKey: 'a-new-key-after-revocation' });
  const { report } = await env.runImport(input, { deps: goodDeps });
  const final = await usersOf(env.jumpcloud.url);
  assert.equal(final.length, expected.size);
  assert.equal(
    report.counts.created,
    expected.size - afterFirst.length,
    'only the missing users are created',
  );
  assert.equal(report.counts.updated, 0, 'no done user is touched');
  assert.equal(
    (env.jumpcloud.stats.snapshot().writes.usersCreated ?? 0) - createdBefore,
    report.counts.created,
  );
});

test('cancelling mid-run stops promptly, says how far it got, and leaves only complete users', async (t) => {
  const employees = 300;
  const env = await startImportEnv(t, {
    personio: { employees, seed: 29 },
    jumpcloud: { faults: { latencyMs: 20 } },
  });
  const workflowId = `${env.taskQueue}-cancelled`;
  const { cancelledAfterMs, progress } = await withWorker(
    { taskQueue: env.taskQueue, deps: env.makeDeps() },
    async () => {
      const handle = await env.client.workflow.start(importEmployees, {
        taskQueue: env.taskQueue,
        workflowId,
        args: [{ pageSize: 20, pagesInFlight: 2, notify: { when: 'never' } }],
      });
      await until('two pages staged', async () => {
        const p = await handle.query(progressQuery).catch(() => null);
        return p && p.phase === 'staging' && p.pagesDone >= 2 ? true : undefined;
      });
      const cancelledAt = Date.now();
      await handle.cancel();
      await handle.result().catch(() => {});
      const stoppedAfter = Date.now() - cancelledAt;
      return { cancelledAfterMs: stoppedAfter, progress: await handle.query(progressQuery) };
    },
  );
  // How fast it stops is the benchmark's business; that it stopped short of the end is checked.
  t.diagnostic(`stopped ${cancelledAfterMs} ms after the cancel`);
  assert.equal((await env.client.workflow.getHandle(workflowId).describe()).status.name, 'CANCELLED');
  assert.equal(progress.phase, 'cancelled');
  assert.ok(
    progress.employeesProcessed >= 40 && progress.employeesProcessed < employees,
    `reported ${progress.employeesProcessed}`,
  );

  // Activities already running finish their calls: wait until JumpCloud hears no more.
  let seen = -1;
  await until('JumpCloud to fall quiet after the cancel', async () => {
    const now = env.jumpcloud.stats.snapshot().totalRequests;
    const quiet = now === seen;
    seen = now;
    return quiet ? true : undefined;
  });
  const users = await usersOf(env.jumpcloud.url);
  assert.ok(users.length < employees, 'the import did not run to the end');
  const records = Array.from({ length: employees }, (_, i) => env.personio.data.get(1001 + i)!);
  const expected = expectedUsers(records);
  const byUserId = new Map(users.map((u) => [u._id, Number(u.employeeIdentifier)]));
  for (const user of users) {
    const want = { ...expected.get(Number(user.employeeIdentifier))!, managerPersonioId: null };
    assert.deepEqual(
      { ...comparableUser(user, byUserId), managerPersonioId: null },
      want,
      'no half-written user',
    );
  }
});
