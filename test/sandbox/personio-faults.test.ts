import assert from 'node:assert/strict';
import http from 'node:http';
import { after, afterEach, before, describe, test } from 'node:test';
import { authenticate, start, type ErrorBody, type Started } from './personio-helpers.js';

/** A raw request, so a reset connection surfaces as the socket error code. */
function rawGet(url: string, path: string, token: string): Promise<{ status: number }> {
  return new Promise((resolve, reject) => {
    const request = http.get(
      `${url}${path}`,
      { headers: { authorization: `Bearer ${token}` }, agent: false },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0 }));
      },
    );
    request.on('error', reject);
  });
}

async function timed<T>(run: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const result = await run();
  return [result, performance.now() - started];
}

describe('fault switches', () => {
  let s: Started;
  before(async () => {
    s = await start({ employees: 10 });
  });
  afterEach(() => s.sandbox.faults.clear());
  after(() => s.sandbox.close());

  test('latencyMs delays every answer', async () => {
    s.sandbox.faults.set({ latencyMs: 150 });
    const [response, ms] = await timed(() => s.get('/v1/company/employees'));
    assert.equal(response.status, 200);
    assert.ok(ms >= 145, `${ms} ms`);
    assert.equal(s.sandbox.faults.injected.latency, 1);
  });

  test('jitterMs varies the delay around latencyMs', async () => {
    s.sandbox.faults.set({ latencyMs: 100, jitterMs: 80 });
    const durations: number[] = [];
    for (let i = 0; i < 8; i++) durations.push((await timed(() => s.get('/v1/company/employees')))[1]);
    for (const ms of durations) assert.ok(ms >= 15 && ms < 400, `${ms} ms`);
    assert.ok(Math.max(...durations) - Math.min(...durations) > 5, `jitter visible: ${durations.join(', ')}`);
  });

  test('rateLimit: 429 in Personio shape, Retry-After only when asked for', async () => {
    s.sandbox.faults.set({ rateLimit: 2 });
    const statuses: number[] = [];
    let limited: { status: number; body: ErrorBody; headers: Headers } | undefined;
    for (let i = 0; i < 5; i++) {
      const r = await s.get<ErrorBody>('/v1/company/employees');
      statuses.push(r.status);
      if (r.status === 429) limited = r;
    }
    assert.ok(statuses.includes(429), statuses.join());
    assert.deepEqual(limited!.body, { success: false, error: { code: 429, message: 'Too Many Requests' } });
    assert.equal(limited!.headers.get('retry-after'), null);

    s.sandbox.faults.set({ retryAfter: true });
    let retryAfter: string | null = null;
    for (let i = 0; i < 5 && retryAfter === null; i++) {
      retryAfter = (await s.get('/v1/company/employees')).headers.get('retry-after');
    }
    assert.ok(Number(retryAfter) >= 1, `Retry-After: ${retryAfter}`);
  });

  test('faultRate 1: every answer is a 5xx with an error body; admin routes still work', async () => {
    s.sandbox.faults.set({ faultRate: 1 });
    for (let i = 0; i < 6; i++) {
      const r = await s.get<ErrorBody>('/v1/company/employees');
      assert.ok([500, 502, 503].includes(r.status), String(r.status));
      assert.equal(r.body.success, false);
      assert.equal(r.body.error.code, r.status);
    }
    const stats = await fetch(`${s.url}/_sandbox/stats`);
    assert.equal(stats.status, 200);
  });

  test('resetRate 1: the client sees ECONNRESET', async () => {
    s.sandbox.faults.set({ resetRate: 1 });
    await assert.rejects(rawGet(s.url, '/v1/company/employees', s.token), { code: 'ECONNRESET' });
    assert.equal(s.sandbox.faults.injected.reset, 1);
  });

  test('stallMs holds the request before handling it', async () => {
    s.sandbox.faults.set({ stallMs: 300 });
    const [response, ms] = await timed(() => s.get('/v1/company/employees'));
    assert.equal(response.status, 200);
    assert.ok(ms >= 295, `${ms} ms`);
  });

  test('expireTokens: tokens issued so far get 403, a new auth gets a working token', async () => {
    const old = s.token;
    s.sandbox.faults.set({ expireTokens: true });
    assert.equal((await s.get('/v1/company/employees', old)).status, 403);
    const fresh = await authenticate(s.url);
    assert.notEqual(fresh, old);
    assert.equal((await s.get('/v1/company/employees', fresh)).status, 200);
    // One-shot: the switch reads false again, and setting it again expires the new token too.
    assert.equal(s.sandbox.faults.settings.expireTokens, false);
    await s.post('/_sandbox/faults', { expireTokens: true });
    assert.equal((await s.get('/v1/company/employees', fresh)).status, 403);
    s.token = await authenticate(s.url);
  });

  test('GET/POST /_sandbox/faults read and change the switches; bad input is 400', async () => {
    const posted = await s.post<{ settings: { latencyMs: number; faultRate: number } }>('/_sandbox/faults', {
      latencyMs: 10,
      faultRate: 0,
    });
    assert.equal(posted.status, 200);
    assert.equal(posted.body.settings.latencyMs, 10);
    const read = (await (await fetch(`${s.url}/_sandbox/faults`)).json()) as {
      settings: { latencyMs: number };
    };
    assert.equal(read.settings.latencyMs, 10);
    assert.equal(s.sandbox.faults.settings.latencyMs, 10);
    assert.equal((await s.post('/_sandbox/faults', { faultRate: 2 })).status, 400);
    assert.equal((await s.post('/_sandbox/faults', { noSuchSwitch: true })).status, 400);
  });

  test('initial faults from the options', async () => {
    const slow = await start({ employees: 1, faults: { latencyMs: 120 } });
    try {
      const [, ms] = await timed(() => slow.get('/v1/company/employees'));
      assert.ok(ms >= 115, `${ms} ms`);
    } finally {
      await slow.sandbox.close();
    }
  });
});

describe('stats', () => {
  test('counts API requests by route and status, not admin requests', async () => {
    const s = await start({ employees: 5 });
    try {
      s.sandbox.stats.clear();
      for (let i = 0; i < 3; i++) await s.get('/v1/company/employees');
      await s.get('/v1/company/employees?limit=0');
      await s.get('/v1/company/employees/1001');
      await s.get('/v1/company/employees/5');
      await s.get('/v1/company/employees', 'papi-wrong');
      await fetch(`${s.url}/_sandbox/faults`);
      const response = await fetch(`${s.url}/_sandbox/stats`);
      const stats = (await response.json()) as {
        requests: Record<string, Record<string, number>>;
        totalRequests: number;
      };
      assert.deepEqual(stats.requests['GET /v1/company/employees'], { '200': 3, '422': 1, '403': 1 });
      assert.deepEqual(stats.requests['GET /v1/company/employees/:id'], { '200': 1, '404': 1 });
      assert.equal(stats.totalRequests, 7);
      assert.deepEqual(s.sandbox.stats.snapshot(), stats);
    } finally {
      await s.sandbox.close();
    }
  });
});
