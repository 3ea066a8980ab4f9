import assert from 'node:assert/strict';
import { request } from 'node:http';
import { test } from 'node:test';
import { SANDBOX_JUMPCLOUD_API_KEY } from '../../sandbox/jumpcloud/server.js';
import { startSandbox, userBody } from './jumpcloud-helpers.js';

async function timed<T>(work: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const started = performance.now();
  const result = await work();
  return { result, ms: performance.now() - started };
}

test('latencyMs delays API answers but never admin routes', async (t) => {
  const { call, sandbox } = await startSandbox(t, { faults: { latencyMs: 150 } });
  const api = await timed(() => call('GET', '/api/systemusers'));
  assert.equal(api.result.status, 200);
  assert.ok(api.ms >= 140, `took ${api.ms} ms`);
  const admin = await timed(() => call('GET', '/_sandbox/state'));
  assert.ok(admin.ms < 100, `admin took ${admin.ms} ms`);
  assert.equal(sandbox.faults.injected.latency, 1);
});

test('rateLimit answers 429 with a JumpCloud body and no Retry-After by default', async (t) => {
  const { call, sandbox } = await startSandbox(t, { faults: { rateLimit: 2 } });
  const statuses: number[] = [];
  for (let i = 0; i < 6; i++) {
    const response = await call('GET', '/api/systemusers');
    statuses.push(response.status);
    if (response.status === 429) {
      assert.deepEqual(response.body, { message: 'Too Many Requests' });
      assert.equal(response.headers.get('retry-after'), null);
    }
  }
  assert.deepEqual(statuses.slice(0, 2), [200, 200], 'the burst is one second worth');
  assert.ok(statuses.includes(429), statuses.join());
  assert.ok(sandbox.faults.injected.rateLimited >= 1);
});

test('rateLimit with retryAfter sends Retry-After in whole seconds', async (t) => {
  const { call } = await startSandbox(t, { faults: { rateLimit: 1, retryAfter: true } });
  await call('GET', '/api/systemusers');
  const limited = await call('GET', '/api/systemusers');
  assert.equal(limited.status, 429);
  assert.match(limited.headers.get('retry-after') ?? '', /^[1-9]\d*$/);
});

test('faultRate 1 answers 500/502/503 with a JumpCloud body and writes nothing', async (t) => {
  const { call, sandbox } = await startSandbox(t, { faults: { faultRate: 1 } });
  for (let i = 0; i < 5; i++) {
    const response = await call('POST', '/api/systemusers', { body: userBody(i) });
    assert.ok([500, 502, 503].includes(response.status), String(response.status));
    assert.equal(typeof response.body.message, 'string');
  }
  assert.equal(sandbox.store.userCount, 0);
  assert.equal(sandbox.stats.snapshot().writes.usersCreated, undefined);
  assert.equal((await call('GET', '/_sandbox/state')).status, 200, 'admin routes are never faulted');
});

test('resetRate 1 drops the connection: the client sees ECONNRESET', async (t) => {
  const { url, sandbox } = await startSandbox(t, { faults: { resetRate: 1 } });
  const error = await new Promise<NodeJS.ErrnoException>((resolve, reject) => {
    const outgoing = request(
      `${url}/api/systemusers`,
      { headers: { 'x-api-key': SANDBOX_JUMPCLOUD_API_KEY } },
      () => reject(new Error('expected no answer')),
    );
    outgoing.on('error', resolve);
    outgoing.end();
  });
  assert.equal(error.code, 'ECONNRESET');
  assert.equal(sandbox.faults.injected.reset, 1);
});

test('stallMs holds requests: a client with a shorter timeout gets no answer', async (t) => {
  const { call, url } = await startSandbox(t, { faults: { stallMs: 400 } });
  await assert.rejects(
    fetch(`${url}/api/systemusers`, {
      headers: { 'x-api-key': SANDBOX_JUMPCLOUD_API_KEY },
      signal: AbortSignal.timeout(100),
    }),
    (error: Error) => error.name === 'TimeoutError',
  );
  const patient = await timed(() => call('GET', '/api/systemusers'));
  assert.equal(patient.result.status, 200);
  assert.ok(patient.ms >= 390, `took ${patient.ms} ms`);
});

test('fault switches can be read and changed over HTTP, and invalid settings are refused', async (t) => {
  const { call } = await startSandbox(t);
  const set = await call<{ settings: Record<string, unknown> }>('POST', '/_sandbox/faults', {
    body: { faultRate: 1 },
  });
  assert.equal(set.status, 200);
  assert.equal(set.body.settings.faultRate, 1);
  assert.ok((await call('GET', '/api/systemusers')).status >= 500);
  const shown = await call<{ settings: Record<string, unknown>; injected: Record<string, number> }>(
    'GET',
    '/_sandbox/faults',
  );
  assert.equal(shown.body.settings.faultRate, 1);
  assert.equal(shown.body.injected.serverError, 1);
  assert.equal((await call('POST', '/_sandbox/faults', { body: { faultRate: 2 } })).status, 400);
  assert.equal((await call('POST', '/_sandbox/faults', { body: { nonsense: true } })).status, 400);
  await call('POST', '/_sandbox/faults', { body: { faultRate: 0 } });
  assert.equal((await call('GET', '/api/systemusers')).status, 200);
});
