/**
 * A reorganisation through the webhooks, with the real receiver, worker and CLI (issue 16,
 * point 8, CI-sized): 100 people change department in two waves. While the first wave is being
 * applied (some users written, not all) the worker is SIGKILLed and a new one started; then the
 * receiver is stopped, the second wave is saved while it is down (its deliveries fail and are
 * caught by the sandbox Personio's retries, as Personio documents), and the receiver is started
 * again. Every change must arrive in JumpCloud, every event must end delivered, and JumpCloud's
 * write counters must show each changed user written exactly once.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Client, WorkflowNotFoundError } from '@temporalio/client';
import { dataConverterFor } from '../../codec/data-converter.js';
import { parseKeyRing } from '../../codec/keys.js';
import { freePort } from '../../local-temporal/dev-server.js';
import { createJumpCloudSandbox, SANDBOX_JUMPCLOUD_API_KEY } from '../../sandbox/jumpcloud/server.js';
import {
  createPersonioSandbox,
  SANDBOX_CLIENT_ID,
  SANDBOX_CLIENT_SECRET,
} from '../../sandbox/personio/server.js';
import { changesProgressQuery, changesWorkflowId } from '../../workflows/changes-api.js';
import { importWorkflowId } from '../../workflows/import-api.js';
import { taskQueueFor, testTemporal } from '../helpers/temporal.js';
import { until } from '../helpers/wait.js';
import { runProject, type ProcessHandle } from '../helpers/worker-process.js';

const WAVE_1 = 60;
const WAVE_2 = 40;
const step = (m: string) => process.stderr.write(`# ${new Date().toISOString().slice(11, 19)} ${m}\n`);

interface StateUser {
  employeeIdentifier?: string;
  department?: string;
}

test('a burst of changes survives a worker SIGKILL mid-apply and a receiver restart: none lost, none written twice', async (t) => {
  const { address, connection } = await testTemporal();
  const taskQueue = taskQueueFor('receiver-burst');
  const token = `Bearer ${randomBytes(24).toString('hex')}`;
  const payloadKey = randomBytes(32).toString('base64');
  const client = new Client({
    connection,
    dataConverter: dataConverterFor(parseKeyRing(`test:${payloadKey}`, 'test')),
  });
  // Retry delays scaled so the documented 1 min, 5 min, 30 min… become 60 ms, 300 ms, 1.8 s…
  const personio = createPersonioSandbox({ employees: 130, seed: 61, webhookRetryTimeScale: 0.001 });
  // Latency on every JumpCloud answer: applying the first wave takes long enough to kill the worker in it.
  const jumpcloud = createJumpCloudSandbox({ faults: { latencyMs: 40, jitterMs: 10 } });
  await personio.listen(0);
  await jumpcloud.listen(0);
  const processes: ProcessHandle[] = [];
  t.after(async () => {
    for (const p of processes) await p.stop('SIGKILL').catch(() => null);
    await personio.close();
    await jumpcloud.close();
  });

  const common = {
    TEMPORAL_ADDRESS: address,
    TEMPORAL_TASK_QUEUE: taskQueue,
    PAYLOAD_KEYS: `test:${payloadKey}`,
  };
  // A reorganisation changes most users at once: this worker's policy lets the safeguards go.
  const policyFile = join(mkdtempSync(join(tmpdir(), 'receiver-burst-')), 'policy.json');
  writeFileSync(policyFile, '{"safeguards": null}');
  const startWorker = async () => {
    const worker = runProject('worker/main.ts', [], {
      ...common,
      IMPORT_POLICY_FILE: policyFile,
      PERSONIO_BASE_URL: personio.url,
      PERSONIO_CLIENT_ID: SANDBOX_CLIENT_ID,
      PERSONIO_CLIENT_SECRET: SANDBOX_CLIENT_SECRET,
      JUMPCLOUD_BASE_URL: jumpcloud.url,
      JUMPCLOUD_API_KEY: SANDBOX_JUMPCLOUD_API_KEY,
    });
    processes.push(worker);
    await worker.waitFor(/worker started/, 120_000);
    return worker;
  };
  const port = await freePort();
  const startReceiver = async () => {
    const receiver = runProject('receiver/main.ts', [], {
      ...common,
      RECEIVER_BIND_ADDRESS: `127.0.0.1:${port}`,
      PERSONIO_WEBHOOK_TOKEN: token,
      RECEIVER_DEBOUNCE_MS: '300',
      RECEIVER_IMPORT_OPTIONS: '{"safeguards":null}',
    });
    processes.push(receiver);
    await receiver.waitFor(/receiver started/, 120_000);
    return receiver;
  };
  step('processes up');
  const worker = await startWorker();
  const receiver = await startReceiver();

  const first = runProject('client/cli.ts', ['import', '--input-json', '{"safeguards":null}'], common);
  processes.push(first);
  assert.equal(await first.exited, 0, first.output.slice(-20).join('\n'));

  step('first import done');
  const hook = personio.webhooks.create({
    url: `http://127.0.0.1:${port}/webhooks/personio`,
    description: 'burst test',
    status: 'ENABLED',
    token,
    enabled_events: ['person.created', 'person.updated', 'employment.created', 'employment.updated'],
  });
  const users = async () =>
    ((await (await fetch(`${jumpcloud.url}/_sandbox/state`)).json()) as { users: StateUser[] }).users;
  const writes = async () =>
    ((await (await fetch(`${jumpcloud.url}/_sandbox/stats`)).json()) as { writes: Record<string, number> })
      .writes;
  const imported = new Set((await users()).map((u) => u.employeeIdentifier));
  // The sandbox numbers its seeded employees from 1001.
  const movers = Array.from({ length: 130 }, (_, i) => 1001 + i)
    .filter((id) => imported.has(String(id)))
    .slice(0, WAVE_1 + WAVE_2);
  assert.equal(movers.length, WAVE_1 + WAVE_2, 'enough imported people to move');
  const target = 'Reorganised';
  const moved = async (ids: number[]) => {
    const byId = new Map((await users()).map((u) => [u.employeeIdentifier, u]));
    return ids.filter((id) => byId.get(String(id))?.department === target).length;
  };
  const writesBefore = await writes();

  step('before wave 1');
  // Wave 1, and the worker killed while it is being applied.
  const wave1 = movers.slice(0, WAVE_1);
  for (const id of wave1) personio.data.moveDepartment(id, target);
  let doneAtKill = 0;
  await until(
    'the first users of wave 1 in JumpCloud',
    async () => ((doneAtKill = await moved(wave1)) > 0 ? true : undefined),
    120_000,
  );
  await worker.stop('SIGKILL');
  assert.ok(
    doneAtKill < WAVE_1,
    `the worker must die mid-apply (${doneAtKill}/${WAVE_1} written when it was killed)`,
  );
  step(`worker restarted (killed with ${doneAtKill}/${WAVE_1} of wave 1 written)`);
  await startWorker();

  // Wave 2 while the receiver is down: Personio's deliveries fail and are retried.
  await receiver.stop('SIGTERM');
  const wave2 = movers.slice(WAVE_1);
  for (const id of wave2) personio.data.moveDepartment(id, target);
  const wave2Ids = new Set(wave2.map(String));
  const wave2Events = () =>
    personio.webhooks.eventsOf(hook).filter((e) => wave2Ids.has(e.payload.person?.id ?? ''));
  await until(
    'a failed delivery of wave 2 while the receiver is down',
    async () => {
      const ids = new Set(wave2Events().map((e) => e.id));
      return personio.webhooks
        .activityOf(hook.id)
        .some((a) => ids.has(a.event_id) && !a.is_delivered && a.status_code === null)
        ? true
        : undefined;
    },
    60_000,
  );
  step('receiver restarted');
  await startReceiver();

  await until(
    'every change in JumpCloud',
    async () => ((await moved(movers)) === movers.length ? true : undefined),
    240_000,
  );
  step('all in JumpCloud');
  // Quiet: every delivery done, nothing pending in the changes workflow, no import running.
  await personio.webhooks.idle();
  const changes = client.workflow.getHandle(changesWorkflowId(taskQueue));
  await until(
    'the changes workflow and its imports at rest',
    async () => {
      if ((await changes.query(changesProgressQuery)).pending > 0) return undefined;
      try {
        const d = await client.workflow.getHandle(importWorkflowId(taskQueue)).describe();
        return d.status.name === 'RUNNING' ? undefined : true;
      } catch (err) {
        if (err instanceof WorkflowNotFoundError) return true;
        throw err;
      }
    },
    120_000,
  );

  step('quiet');
  // None lost: every event of every mover ended delivered, the wave-2 ones after failing first.
  const moverIds = new Set(movers.map(String));
  const activity = personio.webhooks.activityOf(hook.id);
  const delivered = new Set(activity.filter((a) => a.is_delivered).map((a) => a.event_id));
  const events = personio.webhooks.eventsOf(hook).filter((e) => moverIds.has(e.payload.person?.id ?? ''));
  assert.ok(events.length >= movers.length, 'one event per change at least');
  assert.deepEqual(
    events.filter((e) => !delivered.has(e.id)).map((e) => e.event_name),
    [],
    'every event delivered in the end',
  );
  const retried = wave2Events().filter((e) => activity.some((a) => a.event_id === e.id && !a.is_delivered));
  assert.ok(retried.length > 0, 'some wave-2 deliveries failed while the receiver was down');
  assert.ok(
    retried.every((e) => delivered.has(e.id)),
    'and Personio’s retries delivered them once it was back',
  );

  // None written twice: each changed user updated once (its department), nothing else written.
  const after = await writes();
  const delta = Object.fromEntries(
    Object.keys(after)
      .map((kind) => [kind, (after[kind] ?? 0) - (writesBefore[kind] ?? 0)] as const)
      .filter(([, n]) => n !== 0),
  );
  step(`writes during the burst: ${JSON.stringify(delta)}`);
  assert.deepEqual(delta, { usersUpdated: movers.length });
  // The restarted receiver's hand-offs: never more signals than webhooks it accepted.
  const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const accepted = Number(/outcome="accepted"\} (\d+)/.exec(metrics)?.[1]);
  const signals = Number(/personio_webhook_signals_total (\d+)/.exec(metrics)?.[1]);
  step(`restarted receiver: ${accepted} webhooks accepted in ${signals} signals`);
  assert.ok(accepted >= 1 && signals >= 1 && signals <= accepted, metrics);
  await changes.terminate('test over');
});
