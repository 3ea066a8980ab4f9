import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { allAttributeKeys, customKeys } from '../../sandbox/personio/attributes.js';
import {
  createPersonioSandbox,
  SANDBOX_CLIENT_ID,
  SANDBOX_CLIENT_SECRET,
} from '../../sandbox/personio/server.js';
import {
  fakeClock,
  start,
  value,
  type ErrorBody,
  type ListBody,
  type RenderedEmployee,
  type Started,
} from './personio-helpers.js';

const credentials = { client_id: SANDBOX_CLIENT_ID, client_secret: SANDBOX_CLIENT_SECRET };

async function auth(url: string, init: { body?: string; type?: string; query?: string } = {}) {
  const response = await fetch(`${url}/v1/auth${init.query ?? ''}`, {
    method: 'POST',
    headers: init.type ? { 'content-type': init.type } : {},
    body: init.body,
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}
const jsonAuth = (url: string, body: unknown = credentials) =>
  auth(url, { body: JSON.stringify(body), type: 'application/json' });

describe('POST /v1/auth', () => {
  const clock = fakeClock();
  let s: Started;
  before(async () => {
    s = await start({ employees: 5, now: clock.now });
  });
  after(() => s.sandbox.close());

  test('JSON body: a papi- token for 24 h, with scope', async () => {
    const { status, body } = await jsonAuth(s.url);
    assert.equal(status, 200);
    assert.deepEqual(body, {
      success: true,
      data: { token: s.token, expires_in: 86400, scope: 'employees:read' },
    });
    assert.match(s.token, /^papi-/);
  });

  test('form body gives the same token (same credentials, same token during its lifetime)', async () => {
    const form = new URLSearchParams(credentials).toString();
    const { status, body } = await auth(s.url, { body: form, type: 'application/x-www-form-urlencoded' });
    assert.equal(status, 200);
    assert.equal((body.data as { token: string }).token, s.token);
  });

  test('query-string credentials are still accepted outside strict mode', async () => {
    const { status } = await auth(s.url, { query: `?${new URLSearchParams(credentials).toString()}` });
    assert.equal(status, 200);
  });

  test('wrong credentials: 401 "Wrong credentials" with code 0; missing ones: 422', async () => {
    const wrong = await jsonAuth(s.url, { ...credentials, client_secret: 'nope' });
    assert.equal(wrong.status, 401);
    assert.deepEqual(wrong.body, { success: false, error: { code: 0, message: 'Wrong credentials' } });
    const missing = await jsonAuth(s.url, {});
    assert.equal(missing.status, 422);
  });

  test('a token works in parallel and expires after 24 h (403); re-auth issues a fresh one', async () => {
    const results = await Promise.all([1, 2, 3].map(() => s.get('/v1/company/employees')));
    assert.deepEqual(
      results.map((r) => r.status),
      [200, 200, 200],
    );
    clock.advance(24 * 3600_000 - 1000);
    assert.equal((await s.get('/v1/company/employees')).status, 200);
    const later = await jsonAuth(s.url);
    assert.equal((later.body.data as { expires_in: number }).expires_in, 1);
    clock.advance(1000);
    const expired = await s.get<ErrorBody>('/v1/company/employees');
    assert.equal(expired.status, 403);
    assert.deepEqual(expired.body.error, { code: 403, message: 'Provided authorization is not valid' });
    const fresh = await jsonAuth(s.url);
    const token = (fresh.body.data as { token: string }).token;
    assert.notEqual(token, s.token);
    assert.equal((await s.get('/v1/company/employees', token)).status, 200);
  });
});

describe('auth strict mode and rate limit', () => {
  test('strictAuth refuses query-string credentials with 403 and says why', async () => {
    const s = createPersonioSandbox({ employees: 1, strictAuth: true });
    const url = await s.listen();
    try {
      const query = await auth(url, { query: `?${new URLSearchParams(credentials).toString()}` });
      assert.equal(query.status, 403);
      assert.match((query.body.error as { message: string }).message, /query string is no longer supported/);
      assert.equal((await jsonAuth(url)).status, 200);
    } finally {
      await s.close();
    }
  });

  test('60 auth requests a minute, then 429 for a 60 s cool-down', async () => {
    const clock = fakeClock();
    const s = createPersonioSandbox({ employees: 1, now: clock.now });
    const url = await s.listen();
    try {
      for (let i = 0; i < 60; i++) assert.equal((await jsonAuth(url)).status, 200, `request ${i + 1}`);
      const limited = await jsonAuth(url);
      assert.equal(limited.status, 429);
      assert.deepEqual(limited.body, { success: false, error: { code: 429, message: 'Too Many Requests' } });
      clock.advance(59_000);
      assert.equal((await jsonAuth(url)).status, 429, 'still cooling down');
      clock.advance(1000);
      assert.equal((await jsonAuth(url)).status, 200);
    } finally {
      await s.close();
    }
  });
});

describe('data route errors', () => {
  let s: Started;
  before(async () => {
    s = await start({ employees: 10 });
  });
  after(() => s.sandbox.close());

  test('no bearer: 401 "Authorization is not provided"', async () => {
    const response = await fetch(`${s.url}/v1/company/employees`);
    assert.equal(response.status, 401);
    assert.deepEqual(await response.json(), {
      success: false,
      error: { code: 401, message: 'Authorization is not provided' },
    });
  });

  test('unknown token: 403', async () => {
    const { status, body } = await s.get<ErrorBody>('/v1/company/employees', 'papi-made-up');
    assert.equal(status, 403);
    assert.equal(body.error.message, 'Provided authorization is not valid');
  });

  test('unknown route and unknown employee: 404 (the employee one in German)', async () => {
    assert.equal((await s.get('/v1/company/nothing')).status, 404);
    for (const id of ['99999', 'abc']) {
      const { status, body } = await s.get<ErrorBody>(`/v1/company/employees/${id}`);
      assert.equal(status, 404);
      assert.deepEqual(body, {
        success: false,
        error: { code: 404, message: 'Der Mitarbeiter wurde nicht gefunden' },
      });
    }
  });

  for (const query of [
    'limit=0',
    'limit=101',
    'limit=200',
    'limit=1.5',
    'limit=abc',
    'offset=-1',
    'offset=x',
  ]) {
    test(`422 for ${query}`, async () => {
      const { status, body } = await s.get<ErrorBody>(`/v1/company/employees?${query}`);
      assert.equal(status, 422);
      assert.equal(body.success, false);
      assert.equal(body.error.code, 422);
    });
  }

  for (const since of ['yesterday', '2024-13-01', '2023-02-30', '2024-01-01T25:00:00']) {
    test(`422 for updated_since=${since}`, async () => {
      const { status, body } = await s.get<ErrorBody>(`/v1/company/employees?updated_since=${since}`);
      assert.equal(status, 422);
      assert.match(body.error.message, /updated_since/);
    });
  }
});

describe('reading employees', () => {
  const clock = fakeClock();
  let s: Started;
  before(async () => {
    s = await start({ employees: 60, seed: 5, dirty: true, now: clock.now });
  });
  after(() => s.sandbox.close());

  test('GET /v1/company/employees/{id}: data is one rendered employee', async () => {
    const { status, body } = await s.get<{ success: boolean; data: RenderedEmployee }>(
      '/v1/company/employees/1020',
    );
    assert.equal(status, 200);
    const e = body.data;
    assert.equal(e.type, 'Employee');
    assert.deepEqual(e.attributes.id, { label: 'ID', value: 1020, type: 'integer', universal_id: 'id' });
    assert.deepEqual(Object.keys(e.attributes.first_name!), ['label', 'value', 'type', 'universal_id']);
    assert.match(value(e, 'hire_date') as string, /^\d{4}-\d\d-\d\dT00:00:00[+-]\d\d:\d\d$/);
    const department = value(e, 'department') as { type: string; attributes: { id: number; name: string } };
    assert.equal(department.type, 'Department');
    assert.equal(typeof department.attributes.id, 'number');
    assert.equal(e.attributes[customKeys.skills]?.type, 'tags');
    assert.equal(e.attributes[customKeys.title]?.universal_id, null);
  });

  test('supervisor carries id, names and email; the dirty cycle is served as is', async () => {
    const { body } = await s.get<{ data: RenderedEmployee }>('/v1/company/employees/1013');
    const supervisor = value(body.data, 'supervisor') as RenderedEmployee;
    assert.equal(supervisor.type, 'Employee');
    assert.deepEqual(Object.keys(supervisor.attributes), ['id', 'first_name', 'last_name', 'email']);
    assert.equal(supervisor.attributes.id?.value, 1014);
    const back = await s.get<{ data: RenderedEmployee }>('/v1/company/employees/1014');
    assert.equal((value(back.body.data, 'supervisor') as RenderedEmployee).attributes.id?.value, 1013);
  });

  test('dirty records reach the API unchanged', async () => {
    const get = async (id: number) =>
      (await s.get<{ data: RenderedEmployee }>(`/v1/company/employees/${id}`)).body.data;
    assert.ok(!('email' in (await get(1003)).attributes));
    assert.equal(value(await get(1004), 'email'), '');
    assert.equal(value(await get(1009), 'department'), '');
    assert.deepEqual(value(await get(1010), 'office'), []);
    assert.equal(typeof value(await get(1012), customKeys.skills), 'string');
  });

  test('email= is an exact, case-sensitive match and still a list', async () => {
    const lower = (await s.get<{ data: RenderedEmployee }>('/v1/company/employees/1007')).body.data;
    const address = value(lower, 'email') as string;
    const { body } = await s.get<ListBody>(`/v1/company/employees?email=${encodeURIComponent(address)}`);
    assert.deepEqual(
      body.data.map((e) => value(e, 'id')),
      [1007],
    );
    assert.equal(body.metadata.total_elements, 1);
    const none = await s.get<ListBody>('/v1/company/employees?email=nobody%40acme.example.com');
    assert.deepEqual(none.body.data, []);
    assert.equal(none.body.metadata.total_elements, 0);
  });

  test('attributes[] projects onto the given attributes and keeps id; attributes= works too', async () => {
    const { body } = await s.get<ListBody>(
      '/v1/company/employees?limit=5&attributes[]=last_name&attributes[]=status',
    );
    for (const e of body.data) assert.deepEqual(Object.keys(e.attributes), ['id', 'last_name', 'status']);
    const single = await s.get<ListBody>('/v1/company/employees?limit=5&attributes=email');
    assert.deepEqual(Object.keys(single.body.data[0]!.attributes), ['id', 'email']);
  });

  test('updated_since selects by last_modified_at; with attributes[] by those attributes', async () => {
    const generatedLatest = Date.parse('2025-06-30T10:00:00Z');
    const all = await s.get<ListBody>('/v1/company/employees?updated_since=2000-01-01&limit=100');
    assert.equal(all.body.metadata.total_elements, 60);
    const before = clock.now();
    const future = new Date(before).toISOString().slice(0, 19) + 'Z';
    assert.ok(before > generatedLatest);
    assert.equal(
      (await s.get<ListBody>(`/v1/company/employees?updated_since=${future}`)).body.metadata.total_elements,
      0,
    );

    clock.advance(60_000);
    s.sandbox.data.changeEmail(1030, 'new.address@acme.example.com');
    s.sandbox.data.changeName(1031, 'Zoë', "O'Hara-Łukasiewicz");
    const changed = await s.get<ListBody>(`/v1/company/employees?updated_since=${future}`);
    assert.deepEqual(
      changed.body.data.map((e) => value(e, 'id')),
      [1030, 1031],
    );
    for (const e of changed.body.data)
      assert.ok(Date.parse(value(e, 'last_modified_at') as string) >= before);
    const emailOnly = await s.get<ListBody>(
      `/v1/company/employees?updated_since=${future}&attributes[]=email`,
    );
    assert.deepEqual(
      emailOnly.body.data.map((e) => value(e, 'id')),
      [1030],
    );
    // Offsets in the value are honoured: the same instant written in Berlin time ("+" encoded).
    const berlin = encodeURIComponent(new Date(before + 3600_000).toISOString().slice(0, 19) + '+01:00');
    const viaOffset = await s.get<ListBody>(`/v1/company/employees?updated_since=${berlin}`);
    assert.equal(viaOffset.body.metadata.total_elements, 2);
  });

  test('GET /v1/company/employees/attributes lists every readable attribute', async () => {
    const { status, body } = await s.get<{ success: boolean; data: { key: string; options: string[] }[] }>(
      '/v1/company/employees/attributes',
    );
    assert.equal(status, 200);
    assert.deepEqual(
      body.data.map((a) => a.key),
      allAttributeKeys.filter((k) => k !== 'id'),
    );
    assert.deepEqual(body.data.find((a) => a.key === 'status')?.options, [
      'active',
      'onboarding',
      'leave',
      'inactive',
    ]);
  });
});

describe('credential scope', () => {
  test('attributes outside the scope are absent everywhere, including in supervisor', async () => {
    const s = await start({ employees: 30, scope: ['first_name', 'last_name', 'supervisor'] });
    try {
      const { body } = await s.get<ListBody>('/v1/company/employees?limit=30');
      for (const e of body.data) {
        assert.deepEqual(
          Object.keys(e.attributes).filter((k) => k !== 'supervisor'),
          ['id', 'first_name', 'last_name'],
        );
        const supervisor = value(e, 'supervisor') as RenderedEmployee | null;
        if (supervisor)
          assert.deepEqual(Object.keys(supervisor.attributes), ['id', 'first_name', 'last_name']);
      }
      const projected = await s.get<ListBody>(
        '/v1/company/employees?attributes[]=email&attributes[]=last_name',
      );
      assert.deepEqual(Object.keys(projected.body.data[0]!.attributes), ['id', 'last_name']);
      const attributes = await s.get<{ data: { key: string }[] }>('/v1/company/employees/attributes');
      assert.deepEqual(
        attributes.body.data.map((a) => a.key),
        ['first_name', 'last_name', 'supervisor'],
      );
    } finally {
      await s.sandbox.close();
    }
  });
});

describe("Personio's employees rate limit", () => {
  test('bursts of 15/s and 300/min, answered 429 "Too Many Requests"', async () => {
    const clock = fakeClock();
    const s = await start({
      employees: 3,
      now: clock.now,
      employeesRateLimit: { perMinute: 300, perSecond: 15 },
    });
    try {
      for (let i = 0; i < 15; i++) assert.equal((await s.get('/v1/company/employees')).status, 200);
      const limited = await s.get<ErrorBody>('/v1/company/employees/1001');
      assert.equal(limited.status, 429);
      assert.deepEqual(limited.body, { success: false, error: { code: 429, message: 'Too Many Requests' } });
      // Fill the minute: 20 seconds of 15.
      for (let second = 1; second < 20; second++) {
        clock.advance(1000);
        for (let i = 0; i < 15; i++) assert.equal((await s.get('/v1/company/employees')).status, 200);
      }
      clock.advance(1000);
      assert.equal((await s.get('/v1/company/employees')).status, 429, '300 used within the minute');
      clock.advance(40_000);
      assert.equal((await s.get('/v1/company/employees')).status, 200, 'a new minute');
      const stats = s.sandbox.stats.snapshot();
      assert.equal(stats.requests['GET /v1/company/employees']?.['429'], 1);
    } finally {
      await s.sandbox.close();
    }
  });

  test('on by default in-process, off only by name; numbers are configurable', async () => {
    const s = await start({ employees: 1 });
    const off = await start({ employees: 1, employeesRateLimit: false });
    const tight = await start({ employees: 1, employeesRateLimit: { perMinute: 2, perSecond: 100 } });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 16; i++) statuses.push((await s.get('/v1/company/employees')).status);
      assert.deepEqual(
        statuses,
        [...Array<number>(15).fill(200), 429],
        "Personio's documented 15 a second by default",
      );
      for (let i = 0; i < 40; i++) assert.equal((await off.get('/v1/company/employees')).status, 200);
      assert.equal((await tight.get('/v1/company/employees')).status, 200);
      assert.equal((await tight.get('/v1/company/employees')).status, 200);
      assert.equal((await tight.get('/v1/company/employees')).status, 429);
    } finally {
      await s.sandbox.close();
      await off.sandbox.close();
      await tight.sandbox.close();
    }
  });
});
