/**
 * `npm run receiver` between the sandbox Personio's webhooks and a real worker: a wrong token,
 * an oversized body and a malformed one are refused and start nothing in Temporal; a hire
 * saved in Personio arrives by webhook and becomes a STAGED JumpCloud user through the changes
 * workflow's delta import; duplicated and reordered deliveries change nothing more; health
 * and metrics answer.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
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
import { taskQueueFor, testTemporal } from '../helpers/temporal.js';
import { until } from '../helpers/wait.js';
import { runProject } from '../helpers/worker-process.js';

interface StateUser {
  employeeIdentifier?: string;
  state: string;
  firstname: string;
  lastname: string;
}

test('the receiver turns a Personio hire into a STAGED JumpCloud user and refuses what it must', async (t) => {
  const { address, connection } = await testTemporal();
  const taskQueue = taskQueueFor('receiver');
  const token = `Bearer ${randomBytes(24).toString('hex')}`;
  const payloadKey = randomBytes(32).toString('base64');
  // The receiver and worker encrypt payloads; this client reads them with the same key.
  const client = new Client({
    connection,
    dataConverter: dataConverterFor(parseKeyRing(`test:${payloadKey}`, 'test')),
  });
  const personio = createPersonioSandbox({
    employees: 40,
    seed: 31,
    v2RateLimit: false,
    webhookRetryTimeScale: 0.001,
  });
  const jumpcloud = createJumpCloudSandbox();
  await personio.listen(0);
  await jumpcloud.listen(0);
  t.after(async () => {
    await personio.close();
    await jumpcloud.close();
  });
  const common = {
    TEMPORAL_ADDRESS: address,
    TEMPORAL_TASK_QUEUE: taskQueue,
    PAYLOAD_KEYS: `test:${payloadKey}`,
  };
  const port = await freePort();
  const receiver = runProject('receiver/main.ts', [], {
    ...common,
    RECEIVER_BIND_ADDRESS: `127.0.0.1:${port}`,
    PERSONIO_WEBHOOK_TOKEN: token,
    RECEIVER_DEBOUNCE_MS: '300',
  });
  t.after(() => receiver.stop().then(() => undefined));
  await receiver.waitFor(/receiver started/);
  const hookUrl = `http://127.0.0.1:${port}/webhooks/personio`;
  const post = (body: string, auth: string | null = token) =>
    fetch(hookUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(auth === null ? {} : { authorization: auth }) },
      body,
    });
  const envelope = (personId: string) =>
    JSON.stringify({
      company_id: '1',
      event_name: 'person.updated',
      occurred_at: new Date().toISOString(),
      payload: { person: { id: personId } },
      meta: {},
    });

  // Refused: nothing reaches Temporal.
  assert.equal((await post(envelope('1001'), 'Bearer wrong')).status, 401);
  assert.equal((await post(envelope('1001'), null)).status, 401);
  assert.equal((await post(JSON.stringify({ pad: 'x'.repeat(70_000) }))).status, 413);
  assert.equal((await post('{"not json')).status, 400);
  assert.equal((await post(JSON.stringify({ event_name: 'person.updated' }))).status, 400);
  await assert.rejects(
    client.workflow.getHandle(changesWorkflowId(taskQueue)).describe(),
    WorkflowNotFoundError,
  );
  assert.equal((await fetch(`http://127.0.0.1:${port}/healthz`)).status, 200);

  // The worker, and the sandbox's webhook pointing at the receiver.
  const worker = runProject('worker/main.ts', [], {
    ...common,
    PERSONIO_API_VERSION: 'v2',
    PERSONIO_BASE_URL: personio.url,
    PERSONIO_CLIENT_ID: SANDBOX_CLIENT_ID,
    PERSONIO_CLIENT_SECRET: SANDBOX_CLIENT_SECRET,
    JUMPCLOUD_BASE_URL: jumpcloud.url,
    JUMPCLOUD_API_KEY: SANDBOX_JUMPCLOUD_API_KEY,
  });
  t.after(() => worker.stop().then(() => undefined));
  await worker.waitFor(/worker started/);
  personio.webhooks.create({
    url: hookUrl,
    description: 'receiver test',
    status: 'ENABLED',
    token,
    enabled_events: ['person.created', 'person.updated', 'employment.created', 'employment.updated'],
  });
  // Every delivery twice, and held back to arrive newest first.
  personio.webhooks.setFaults({ duplicateRate: 1, reorderWindowMs: 200 });

  const users = async () =>
    ((await (await fetch(`${jumpcloud.url}/_sandbox/state`)).json()) as { users: StateUser[] }).users;
  const hired = personio.data.hire({ firstName: 'Webhook', lastName: 'Arrival', status: 'active' });
  const user = await until(
    'the hire as a STAGED JumpCloud user',
    async () => (await users()).find((u) => u.employeeIdentifier === String(hired.id)),
    90_000,
  );
  assert.equal(user.state, 'STAGED');
  personio.data.changeName(hired.id, 'Webhook', 'Renamed');
  await until(
    'the rename in JumpCloud',
    async () =>
      (await users()).find((u) => u.employeeIdentifier === String(hired.id))?.lastname === 'Renamed'
        ? true
        : undefined,
    90_000,
  );
  const all = await users();
  assert.equal(
    all.filter((u) => u.employeeIdentifier === String(hired.id)).length,
    1,
    'one user despite duplicates',
  );

  const handle = client.workflow.getHandle(changesWorkflowId(taskQueue));
  const progress = await handle.query(changesProgressQuery);
  assert.ok(progress.batches >= 1);
  assert.equal(progress.lastBatch?.outcome, 'imported');
  const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  assert.match(metrics, /personio_webhook_requests_total\{outcome="unauthorized"\} 2/);
  assert.match(metrics, /personio_webhook_requests_total\{outcome="too_large"\} 1/);
  assert.match(metrics, /personio_webhook_requests_total\{outcome="malformed"\} 2/);
  assert.match(metrics, /personio_webhook_requests_total\{outcome="accepted"\} [1-9]/);
  assert.ok(!receiver.output.join('\n').includes(token.slice(7)), 'the token is never logged');
  await handle.terminate('test over');
});
