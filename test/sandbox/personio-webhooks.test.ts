/**
 * The sandbox's Personio v2 webhooks: the management API, a delivery for every change to a
 * person or employment, the documented envelope with the token verbatim in `Authorization`,
 * retries of timeouts and 5xx only, redirects not followed, activity, events and redelivery,
 * and the delivery fault switches at start (CLI flags) and at runtime (admin route).
 */
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, test } from 'node:test';
import {
  createPersonioSandbox,
  SANDBOX_CLIENT_ID,
  SANDBOX_CLIENT_SECRET,
} from '../../sandbox/personio/server.js';
import { until } from '../helpers/wait.js';
import { runProject } from '../helpers/worker-process.js';

type Json = Record<string, unknown>;
interface Received {
  headers: IncomingHttpHeaders;
  body: {
    company_id: string;
    event_name: string;
    occurred_at: string;
    payload: Record<string, { id: string }>;
    meta: Json;
  };
}

/** A loopback receiver recording every delivery; `answer` decides each status (or hangs with 'hang'). */
async function receiver(answer: (n: number, path: string) => number | 'hang' = () => 200) {
  const received: (Received & { path: string })[] = [];
  let n = 0;
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (c: Buffer) => chunks.push(c));
    request.on('end', () => {
      const path = request.url ?? '/';
      received.push({
        path,
        headers: request.headers,
        body: JSON.parse(Buffer.concat(chunks).toString()) as Received['body'],
      });
      const status = answer(n++, path);
      if (status === 'hang') return; // never answers: the sender times out
      if (status >= 300 && status < 400) response.setHeader('location', '/elsewhere');
      response.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    received,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function v2(url: string) {
  const response = await fetch(`${url}/v2/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: SANDBOX_CLIENT_ID,
      client_secret: SANDBOX_CLIENT_SECRET,
    }).toString(),
  });
  const token = ((await response.json()) as { access_token: string }).access_token;
  return async <T = Json>(method: string, path: string, body?: unknown) => {
    const r = await fetch(`${url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await r.text();
    return { status: r.status, body: (text ? JSON.parse(text) : null) as T };
  };
}

const allEvents = [
  'person.created',
  'person.updated',
  'person.deleted',
  'employment.created',
  'employment.updated',
  'employment.deleted',
];

describe('Personio sandbox webhooks', () => {
  test('management: a new webhook is DISABLED until enabled; list, get, update, delete; the token is not echoed', async (t) => {
    const sandbox = createPersonioSandbox({ employees: 5, v2RateLimit: false });
    const url = await sandbox.listen();
    const hook = await receiver();
    t.after(async () => {
      await sandbox.close();
      await hook.close();
    });
    const call = await v2(url);
    const created = await call<Json>('POST', '/v2/webhooks', {
      url: `${hook.url}/personio`,
      description: 'test',
      token: 'Bearer s3cret',
      enabled_events: allEvents,
    });
    assert.equal(created.status, 201);
    assert.equal(created.body.status, 'DISABLED');
    assert.equal(created.body.auth_type, 'TOKEN');
    assert.equal('token' in created.body, false);
    sandbox.data.hire({ firstName: 'Nobody', lastName: 'Listens' });
    await sandbox.webhooks.idle();
    assert.equal(hook.received.length, 0, 'nothing goes to a disabled webhook');

    const id = created.body.id as string;
    assert.equal(
      (await call<Json>('PATCH', `/v2/webhooks/${id}`, { status: 'ENABLED' })).body.status,
      'ENABLED',
    );
    const listed = await call<{ _data: Json[] }>('GET', '/v2/webhooks?status=ENABLED');
    assert.deepEqual(
      listed.body._data.map((h) => h.id),
      [id],
    );
    assert.equal((await call('GET', `/v2/webhooks/${id}`)).status, 200);
    assert.equal(
      (
        await call('POST', '/v2/webhooks', {
          url: `${hook.url}/personio`,
          description: 'x',
          token: 'y',
          enabled_events: ['person.created'],
        })
      ).status,
      409,
    );
    assert.equal(
      (
        await call('POST', '/v2/webhooks', {
          url: 'http://example.com/hook',
          description: 'x',
          token: 'y',
          enabled_events: ['person.created'],
        })
      ).status,
      422,
      'HTTPS only (loopback excepted)',
    );
    assert.equal(
      (await call('POST', '/v2/webhooks', { url: `${hook.url}/a`, description: 'x' })).status,
      400,
    );
    assert.equal(
      (
        await call('POST', '/v2/webhooks', {
          url: `${hook.url}/b`,
          description: 'x',
          token: 'y',
          enabled_events: ['person.exploded'],
        })
      ).status,
      422,
    );

    sandbox.data.changeName(1001, 'Ada', 'Lovelace');
    await until('a delivery', async () => (hook.received.length > 0 ? true : undefined));
    assert.equal((await call('DELETE', `/v2/webhooks/${id}`)).status, 204);
    assert.equal((await call('GET', `/v2/webhooks/${id}`)).status, 404);
    const before = hook.received.length;
    sandbox.data.changeName(1001, 'Ada', 'Byron');
    await sandbox.webhooks.idle();
    assert.equal(hook.received.length, before, 'nothing after delete');
  });

  test('every change to a person or employment is delivered with the documented envelope and the token verbatim', async (t) => {
    const sandbox = createPersonioSandbox({ employees: 6, v2RateLimit: false });
    const url = await sandbox.listen();
    const hook = await receiver();
    t.after(async () => {
      await sandbox.close();
      await hook.close();
    });
    const call = await v2(url);
    await call('POST', '/v2/webhooks', {
      url: hook.url,
      description: 'all',
      status: 'ENABLED',
      token: 'plain-token-no-prefix',
      enabled_events: allEvents,
    });
    const hired = sandbox.data.hire({ firstName: 'Hanna', lastName: 'Hire' });
    sandbox.data.terminate(1002, '2020-01-01');
    sandbox.data.setStatus(1003, 'leave');
    sandbox.data.moveDepartment(1004, 'Finance');
    sandbox.data.changeEmail(1005, 'new.address@acme.example.com');
    sandbox.data.changeName(1005, 'Renamed', 'Person');
    sandbox.data.setSupervisor(1006, 1001);
    sandbox.data.remove(hired.id);
    await sandbox.webhooks.idle();
    const seen = hook.received.map((r) => `${r.body.event_name} ${r.body.payload.person?.id}`).sort();
    assert.deepEqual(seen, [
      `employment.created ${hired.id}`,
      `employment.deleted ${hired.id}`,
      'employment.updated 1002',
      'employment.updated 1003',
      'employment.updated 1004',
      'employment.updated 1006',
      `person.created ${hired.id}`,
      `person.deleted ${hired.id}`,
      'person.updated 1005',
      'person.updated 1005',
    ]);
    for (const r of hook.received) {
      assert.equal(r.headers.authorization, 'plain-token-no-prefix');
      assert.match(r.headers['content-type'] ?? '', /application\/json/);
      assert.deepEqual(Object.keys(r.body).sort(), [
        'company_id',
        'event_name',
        'meta',
        'occurred_at',
        'payload',
      ]);
      assert.match(r.body.occurred_at, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
      if (r.body.event_name.startsWith('employment.'))
        assert.match(r.body.payload.employment!.id, /^[0-9a-f-]{36}$/);
      assert.ok(!JSON.stringify(r.body).includes('Hanna'), 'ids only, no personal data');
    }
  });

  test('timeouts and 5xx are retried with backoff, 4xx, 501 and redirects are not; activity and redelivery', async (t) => {
    const sandbox = createPersonioSandbox({ employees: 3, v2RateLimit: false, webhookRetryTimeScale: 0.001 });
    const url = await sandbox.listen();
    // Per path: /flaky fails twice (503, then a hang past 3 s) and then succeeds; /gone answers
    // 501; /moved redirects; /refuses answers 400.
    const counts = new Map<string, number>();
    const hook = await receiver((_n, path) => {
      const k = (counts.get(path) ?? 0) + 1;
      counts.set(path, k);
      if (path === '/flaky') return k === 1 ? 503 : k === 2 ? 'hang' : 200;
      if (path === '/gone') return 501;
      if (path === '/moved') return 302;
      if (path === '/refuses') return 400;
      return 200;
    });
    t.after(async () => {
      await sandbox.close();
      await hook.close();
    });
    const call = await v2(url);
    const ids: Record<string, string> = {};
    for (const path of ['/flaky', '/gone', '/moved', '/refuses']) {
      const created = await call<Json>('POST', '/v2/webhooks', {
        url: `${hook.url}${path}`,
        description: path,
        status: 'ENABLED',
        token: 't',
        enabled_events: ['person.updated'],
      });
      ids[path] = created.body.id as string;
    }
    sandbox.data.changeName(1001, 'Retry', 'Me');
    await sandbox.webhooks.idle();
    assert.equal(counts.get('/flaky'), 3, '503 and a timeout are retried');
    assert.equal(counts.get('/gone'), 1, '501 is not retried');
    assert.equal(counts.get('/moved'), 1, 'a redirect is neither followed nor retried');
    assert.equal(counts.get('/elsewhere'), undefined);
    assert.equal(counts.get('/refuses'), 1, '4xx is not retried');

    const activity = await call<{
      _data: { is_delivered: boolean; status_code: number | null; error?: string }[];
    }>('GET', `/v2/webhooks/${ids['/flaky']}/activity`);
    assert.deepEqual(
      activity.body._data.map((a) => [a.is_delivered, a.status_code, a.error ?? null]).reverse(),
      [
        [false, 503, null],
        [false, null, 'timeout'],
        [true, 200, null],
      ],
    );
    const delivered = await call<{ _data: Json[] }>(
      'GET',
      `/v2/webhooks/${ids['/flaky']}/activity?is_delivered=true`,
    );
    assert.equal(delivered.body._data.length, 1);

    const events = await call<{ _data: { id: string }[] }>('GET', `/v2/webhooks/${ids['/refuses']}/events`);
    assert.equal(events.body._data.length, 1);
    const redelivery = await call<{ redelivered: number }>(
      'POST',
      `/v2/webhooks/${ids['/refuses']}/redelivery`,
      { event_ids: [events.body._data[0]!.id] },
    );
    assert.equal(redelivery.status, 202);
    assert.equal(redelivery.body.redelivered, 1);
    await sandbox.webhooks.idle();
    assert.equal(counts.get('/refuses'), 2, 'redelivered once');
  });

  test('delivery faults: drop (then redelivery recovers it), duplicate, delay, reorder', async (t) => {
    const sandbox = createPersonioSandbox({
      employees: 8,
      v2RateLimit: false,
      webhookFaults: { dropRate: 1 },
    });
    const url = await sandbox.listen();
    const hook = await receiver();
    t.after(async () => {
      await sandbox.close();
      await hook.close();
    });
    const call = await v2(url);
    const created = await call<Json>('POST', '/v2/webhooks', {
      url: hook.url,
      description: 'f',
      status: 'ENABLED',
      token: 't',
      enabled_events: ['person.updated'],
    });
    const id = created.body.id as string;
    sandbox.data.changeName(1001, 'Dropped', 'One');
    await sandbox.webhooks.idle();
    assert.equal(hook.received.length, 0, 'dropped');
    assert.equal((await call('POST', `/v2/webhooks/${id}/redelivery`, {})).status, 202);
    await sandbox.webhooks.idle();
    assert.deepEqual(
      hook.received.map((r) => r.body.payload.person!.id),
      ['1001'],
      'redelivery recovers it',
    );

    const admin = async (body: Json) =>
      fetch(`${url}/_sandbox/webhooks/faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    assert.equal((await admin({ dropRate: 2 })).status, 400);
    await admin({ dropRate: 0, duplicateRate: 1 });
    hook.received.length = 0;
    sandbox.data.changeName(1002, 'Twice', 'Sent');
    await sandbox.webhooks.idle();
    assert.equal(hook.received.length, 2, 'duplicated');

    await admin({ duplicateRate: 0, reorderWindowMs: 200 });
    hook.received.length = 0;
    for (const id of [1003, 1004, 1005]) sandbox.data.changeName(id, 'Order', `N${id}`);
    await sandbox.webhooks.idle();
    assert.deepEqual(
      hook.received.map((r) => r.body.payload.person!.id),
      ['1005', '1004', '1003'],
      'newest first',
    );

    await admin({ reorderWindowMs: 0, delayMs: 300 });
    hook.received.length = 0;
    const started = Date.now();
    sandbox.data.changeName(1006, 'Late', 'Comer');
    await sandbox.webhooks.idle();
    assert.equal(hook.received.length, 1);
    assert.ok(Date.now() - started >= 300, 'delayed');
  });

  test('npm run sandbox: fault flags at start, the admin route at runtime', async (t) => {
    const hook = await receiver();
    const proc = runProject(
      'sandbox/main.ts',
      [
        '--employees',
        '5',
        '--personio-port',
        '0',
        '--jumpcloud-port',
        '0',
        '--no-personio-rate-limit',
        '--personio-webhook-duplicate-rate',
        '1',
      ],
      {},
    );
    t.after(async () => {
      await proc.stop();
      await hook.close();
    });
    const url = (await proc.waitFor(/PERSONIO_BASE_URL=/)).split('=')[1]!.trim();
    const call = await v2(url);
    await call('POST', '/v2/webhooks', {
      url: hook.url,
      description: 'cli',
      status: 'ENABLED',
      token: 'cli-token',
      enabled_events: ['person.created'],
    });
    const hire = () =>
      fetch(`${url}/_sandbox/employees`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
    await hire();
    await until('two copies of the hire', async () => (hook.received.length >= 2 ? true : undefined));
    await fetch(`${url}/_sandbox/webhooks/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ duplicateRate: 0 }),
    });
    await hire();
    await until('the second hire', async () => (hook.received.length >= 3 ? true : undefined));
    await until('three acknowledged deliveries', async () => {
      const state = (await (await fetch(`${url}/_sandbox/webhooks`)).json()) as {
        counts: { delivered: number };
      };
      return state.counts.delivered === 3 ? true : undefined;
    });
    assert.equal(hook.received.length, 3, 'the second hire is delivered once');
    assert.ok(hook.received.every((r) => r.headers.authorization === 'cli-token'));
    const bad = runProject(
      'sandbox/main.ts',
      ['--personio-port', '0', '--jumpcloud-port', '0', '--personio-webhook-drop-rate', '3'],
      {},
    );
    assert.equal(await bad.exited, 2);
    assert.ok(bad.output.some((l) => /--personio-webhook-drop-rate/.test(l)));
  });
});
