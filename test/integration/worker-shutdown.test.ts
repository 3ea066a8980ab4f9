/**
 * WORKER_SHUTDOWN_GRACE with activities running, through the real worker and CLI processes:
 * SIGTERM in the middle of an import. The worker stops polling, lets the activities it is
 * running finish (within the grace), and exits cleanly; nothing it had running is dropped
 * (no activity waits for its timeout to be retried elsewhere); a new worker finishes the run
 * and nothing is written twice. Observed from outside: the workflows' histories (which worker
 * completed what, and when), the processes' exit codes and lines, JumpCloud's side.
 */
import assert from 'node:assert/strict';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { hostname } from 'node:os';
import { test } from 'node:test';
import type { Client } from '@temporalio/client';
import { expectedUsers } from '../helpers/expected-directory.js';
import { jumpcloudState, startRealProcesses } from '../helpers/real-processes.js';
import { until, within } from '../helpers/wait.js';

interface HistoryEvent {
  eventTime?: { seconds?: number | { toNumber(): number } | null; nanos?: number | null } | null;
  activityTaskStartedEventAttributes?: { identity?: string | null } | null;
  activityTaskCompletedEventAttributes?: { identity?: string | null } | null;
  activityTaskFailedEventAttributes?: { identity?: string | null } | null;
  activityTaskTimedOutEventAttributes?: unknown;
}

const msOf = (e: HistoryEvent) => {
  const s = e.eventTime?.seconds ?? 0;
  return (typeof s === 'number' ? s : s.toNumber()) * 1000 + (e.eventTime?.nanos ?? 0) / 1e6;
};

/** Every history event of the import and the workflows it started (its held pages). */
async function eventsOfRun(client: Client, workflowId: string): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  for await (const w of client.workflow.list({ query: `WorkflowId STARTS_WITH "${workflowId}"` })) {
    const history = await client.workflow.getHandle(w.workflowId, w.runId).fetchHistory();
    events.push(...((history.events ?? []) as HistoryEvent[]));
  }
  return events;
}

test('SIGTERM with activities running: they finish within WORKER_SHUTDOWN_GRACE, a new worker completes the run, nothing is written twice', async (t) => {
  const employees = 60;
  // Slow JumpCloud answers: each staging activity takes seconds, so several are mid-way
  // whenever the SIGTERM comes.
  // JumpCloud's side: the requests in flight, and those answered.
  const inFlight = new Set<object>();
  const answered = new WeakSet<object>();
  const env = await startRealProcesses(t, {
    personio: { employees, seed: 83 },
    jumpcloud: { faults: { latencyMs: 400 } },
    // On the HTTP server itself: Fastify hooks would run after the sandbox's latency.
    beforeListen: ({ jumpcloud }) => {
      jumpcloud.app.server.on('request', (req: IncomingMessage, res: ServerResponse) => {
        if (req.url?.startsWith('/_sandbox')) return;
        inFlight.add(req);
        res.on('finish', () => {
          inFlight.delete(req);
          answered.add(req);
        });
      });
    },
    workerEnv: { WORKER_SHUTDOWN_GRACE: '90s', WORKER_MAX_CONCURRENT_ACTIVITIES: '8' },
  });
  const first = env.worker!;
  // The worker's identity in Temporal (the SDK's default: pid@host).
  const firstIdentity = `${first.pid}@${hostname()}`;
  const importing = env.startCli(['import', '--page-size', '20', '--notify', 'never']);

  // Activities are running: users are being written, and requests are in flight right now.
  await until(
    'users being written, with requests in flight',
    async () =>
      (await jumpcloudState(env.jumpcloud.url)).users.length >= 5 && inFlight.size > 0 ? true : undefined,
    180_000,
  );
  const sigtermAt = Date.now();
  const cut = [...inFlight];
  process.kill(first.pid, 'SIGTERM');
  const code = await within(180_000, 'the first worker to exit after SIGTERM', first.exited);
  assert.equal(code, 0, first.output.slice(-20).join('\n'));
  assert.ok(
    first.output.some((l) => l.includes('worker stopped')),
    'the worker says it stopped (after its activities)',
  );
  assert.equal(importing.proc.exitCode, null, 'the import is not finished: it waits for a worker');
  assert.ok(
    cut.every((request) => answered.has(request)),
    'every JumpCloud request in flight at the SIGTERM was answered before the worker exited',
  );

  // What the first worker was running when told to stop, it finished (after the SIGTERM).
  const afterFirst = await eventsOfRun(env.client, env.workflowId);
  const finishedAfterSigterm = afterFirst.filter(
    (e) => e.activityTaskCompletedEventAttributes?.identity === firstIdentity && msOf(e) >= sigtermAt,
  );
  assert.ok(
    finishedAfterSigterm.length > 0,
    `activities the first worker (${firstIdentity}) ran completed after the SIGTERM, within the grace`,
  );

  // A new worker picks the run up; the import the CLI follows completes.
  await env.startWorker();
  assert.equal(
    await within(300_000, 'the import to finish with the new worker', importing.exited),
    0,
    importing.output.slice(-20).join('\n'),
  );

  // Nothing the first worker had running was left to time out (dropped, then retried).
  const events = await eventsOfRun(env.client, env.workflowId);
  assert.equal(
    events.filter((e) => e.activityTaskTimedOutEventAttributes).length,
    0,
    'no activity timed out: each was finished or handed back',
  );
  assert.ok(
    events.some(
      (e) =>
        e.activityTaskStartedEventAttributes?.identity &&
        e.activityTaskStartedEventAttributes.identity !== firstIdentity,
    ),
    'the new worker did part of the run',
  );

  // JumpCloud holds exactly the expected users, each created once, each membership added once.
  const records = Array.from({ length: employees }, (_, i) => env.personio.data.get(1001 + i)!);
  const expected = expectedUsers(records);
  const state = await jumpcloudState(env.jumpcloud.url);
  assert.deepEqual(
    state.users.map((u) => Number(u.employeeIdentifier)).sort((a, b) => a - b),
    [...expected.keys()].sort((a, b) => a - b),
  );
  const writes = env.jumpcloud.stats.snapshot().writes;
  assert.equal(writes.usersCreated, expected.size, 'no user created twice');
  const memberships = state.groups.reduce((n, g) => n + g.members.length, 0);
  assert.equal(writes.membersAdded, memberships, 'no membership added twice');
});

test('past WORKER_SHUTDOWN_GRACE, requests still in flight are abandoned: the worker exits, the run finishes elsewhere, nothing is written twice', async (t) => {
  const employees = 40;
  const held = new Set<object>();
  const answered = new WeakSet<object>();
  let stalling = false;
  const env = await startRealProcesses(t, {
    personio: { employees, seed: 84 },
    jumpcloud: { faults: { latencyMs: 200 } },
    beforeListen: ({ jumpcloud }) => {
      jumpcloud.app.server.on('request', (req: IncomingMessage, res: ServerResponse) => {
        if (req.url?.startsWith('/_sandbox')) return;
        if (stalling) held.add(req);
        res.on('finish', () => answered.add(req));
      });
    },
    workerEnv: { WORKER_SHUTDOWN_GRACE: '2s', WORKER_MAX_CONCURRENT_ACTIVITIES: '8' },
  });
  const first = env.worker!;
  const importing = env.startCli(['import', '--page-size', '20', '--notify', 'never']);
  await until(
    'users being written',
    async () => ((await jumpcloudState(env.jumpcloud.url)).users.length >= 3 ? true : undefined),
    180_000,
  );
  // JumpCloud stops answering for 30 s (far past the 2 s grace; short enough that the held
  // requests are done when the test ends): the worker's activities hang on it.
  stalling = true;
  env.jumpcloud.faults.set({ stallMs: 30_000 });
  await until('requests held by JumpCloud', async () => (held.size > 0 ? true : undefined), 60_000);
  process.kill(first.pid, 'SIGTERM');
  // Without the abort the worker would wait the 30 s for those answers.
  await within(120_000, 'the worker to exit once its grace has run out', first.exited);
  assert.ok(
    [...held].some((request) => !answered.has(request)),
    'the worker exited with JumpCloud requests still unanswered: it did not wait past its grace',
  );

  env.jumpcloud.faults.set({ stallMs: 0 });
  await env.startWorker();
  assert.equal(
    await within(300_000, 'the import to finish with the new worker', importing.exited),
    0,
    importing.output.slice(-20).join('\n'),
  );
  const records = Array.from({ length: employees }, (_, i) => env.personio.data.get(1001 + i)!);
  const expected = expectedUsers(records);
  const state = await jumpcloudState(env.jumpcloud.url);
  assert.deepEqual(
    state.users.map((u) => Number(u.employeeIdentifier)).sort((a, b) => a - b),
    [...expected.keys()].sort((a, b) => a - b),
  );
  assert.equal(env.jumpcloud.stats.snapshot().writes.usersCreated, expected.size, 'no user created twice');
});
