import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { EmployeeRecord } from '../../sandbox/personio/model.js';
import { createPersonioSandbox } from '../../sandbox/personio/server.js';
import {
  authenticate,
  fakeClock,
  start,
  value,
  type ListBody,
  type RenderedEmployee,
  type Started,
} from './personio-helpers.js';

const DAY = 86_400_000;

describe('mutations (in-process)', () => {
  const clock = fakeClock(Date.parse('2026-03-02T09:00:00Z'));
  let s: Started;
  before(async () => {
    s = await start({ employees: 40, seed: 11, now: clock.now });
  });
  after(() => s.sandbox.close());

  const fetchOne = async (id: number) =>
    (await s.get<{ data: RenderedEmployee }>(`/v1/company/employees/${id}`)).body.data;
  const modified = (e: RenderedEmployee) => Date.parse(value(e, 'last_modified_at') as string);

  test('hire: a new id, visible in the list, last_modified_at = now, email from the name', async () => {
    clock.advance(1000);
    const hired = s.sandbox.data.hire({ firstName: 'Jürgen', lastName: "O'Brien-Weiß", department: 'Sales' });
    assert.equal(hired.id, 1041);
    assert.equal(hired.email, 'juergen.obrien-weiss@acme.example.com');
    assert.equal(hired.status, 'active');
    assert.deepEqual(hired.department, { id: 281522, name: 'Sales' });
    const { body } = await s.get<ListBody>('/v1/company/employees?limit=100');
    assert.equal(body.metadata.total_elements, 41);
    const rendered = body.data.at(-1)!;
    assert.equal(value(rendered, 'first_name'), 'Jürgen');
    assert.equal(modified(rendered), clock.now());
    assert.equal(value(rendered, 'hire_date'), '2026-03-02T00:00:00+01:00');
  });

  test('hire with a future date is onboarding; an unknown supervisor is refused', () => {
    assert.equal(s.sandbox.data.hire({ hireDate: '2026-05-01' }).status, 'onboarding');
    assert.throws(() => s.sandbox.data.hire({ supervisorId: 5 }), /supervisor 5 not found/);
  });

  test('terminate in the past: inactive at once', async () => {
    clock.advance(1000);
    s.sandbox.data.terminate(1002, '2026-02-27');
    const e = await fetchOne(1002);
    assert.equal(value(e, 'status'), 'inactive');
    assert.equal(value(e, 'termination_date'), '2026-02-27T00:00:00+01:00');
    assert.equal(modified(e), clock.now());
  });

  test('terminate today: still active, inactive from the next day', async () => {
    const before = s.sandbox.data.get(1003)!.status;
    const terminated = s.sandbox.data.terminate(1003);
    assert.equal(terminated.terminationDate, '2026-03-02T00:00:00+01:00');
    assert.equal(value(await fetchOne(1003), 'status'), before);
    clock.advance(DAY);
    s.token = await authenticate(s.url); // a day later the first token has expired
    const e = await fetchOne(1003);
    assert.equal(value(e, 'status'), 'inactive');
    // Dated when it became due (midnight Berlin), not when it was noticed.
    assert.equal(value(e, 'last_modified_at'), '2026-03-03T00:00:00+01:00');
  });

  test('rehire clears the termination', async () => {
    clock.advance(1000);
    s.sandbox.data.rehire(1002);
    const e = await fetchOne(1002);
    assert.equal(value(e, 'status'), 'active');
    assert.equal(value(e, 'termination_date'), null);
    assert.equal(modified(e), clock.now());
  });

  test('moveDepartment, changeEmail, setStatus show up in the API', async () => {
    clock.advance(1000);
    s.sandbox.data.moveDepartment(1004, 'Brand New Department');
    s.sandbox.data.changeEmail(1005, 'Changed.Address@acme.example.com');
    s.sandbox.data.setStatus(1006, 'leave');
    const moved = value(await fetchOne(1004), 'department') as { attributes: { id: number; name: string } };
    assert.equal(moved.attributes.name, 'Brand New Department');
    const byEmail = await s.get<ListBody>('/v1/company/employees?email=Changed.Address%40acme.example.com');
    assert.deepEqual(
      byEmail.body.data.map((e) => value(e, 'id')),
      [1005],
    );
    assert.equal(value(await fetchOne(1006), 'status'), 'leave');
    for (const id of [1004, 1005, 1006]) assert.equal(modified(await fetchOne(id)), clock.now());
  });

  test("changeName shows in the reports' supervisor too (cached pages are refreshed)", async () => {
    const report = s.sandbox.data.get(1010)!;
    const boss = report.supervisorId!;
    await s.get('/v1/company/employees?limit=100'); // warm the page cache
    s.sandbox.data.changeName(boss, 'Ærøskøbing', 'Ångström');
    const { body } = await s.get<ListBody>('/v1/company/employees?limit=100');
    const rendered = body.data.find((e) => value(e, 'id') === 1010)!;
    const supervisor = value(rendered, 'supervisor') as RenderedEmployee;
    assert.equal(supervisor.attributes.first_name?.value, 'Ærøskøbing');
    // The report itself did not change.
    assert.ok(modified(rendered) < clock.now());
  });

  test('remove: 404 afterwards, reports lose their supervisor', async () => {
    const boss = s.sandbox.data.get(1010)!.supervisorId!;
    const removed = s.sandbox.data.remove(boss);
    assert.equal(removed.id, boss);
    assert.equal((await s.get(`/v1/company/employees/${boss}`)).status, 404);
    assert.equal(value(await fetchOne(1010), 'supervisor'), null);
    assert.throws(() => s.sandbox.data.remove(boss), /not found/);
    // Ids are not reused.
    assert.ok(s.sandbox.data.hire().id > 1042);
  });

  test('returned records are copies', () => {
    const copy = s.sandbox.data.get(1001)!;
    copy.firstName = 'Changed';
    assert.notEqual(s.sandbox.data.get(1001)!.firstName, 'Changed');
  });
});

describe('mutations over HTTP (/_sandbox/employees)', () => {
  let s: Started;
  before(async () => {
    s = await start({ employees: 20, seed: 2 });
  });
  after(() => s.sandbox.close());

  const admin = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${s.url}/_sandbox/employees${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as EmployeeRecord & { error?: string } };
  };

  test('hire, change, terminate, rehire, delete; GET returns the internal record', async () => {
    const hired = await admin('POST', '', { firstName: 'Siobhán', lastName: 'Ó Súilleabháin' });
    assert.equal(hired.status, 201);
    assert.equal(hired.body.email, 'siobhan.osuilleabhain@acme.example.com');
    const id = hired.body.id;

    assert.equal(
      (await admin('POST', `/${id}/name`, { firstName: 'Saoirse', lastName: 'Kelly' })).body.lastName,
      'Kelly',
    );
    assert.equal(
      (await admin('POST', `/${id}/email`, { email: 'saoirse@acme.example.com' })).body.email,
      'saoirse@acme.example.com',
    );
    const moved = await admin('POST', `/${id}/department`, { department: { id: 1, name: 'X' } });
    assert.deepEqual(moved.body.department, { id: 1, name: 'X' });
    assert.equal((await admin('POST', `/${id}/status`, { status: 'leave' })).body.status, 'leave');
    assert.equal((await admin('POST', `/${id}/supervisor`, { supervisorId: 1001 })).body.supervisorId, 1001);
    const terminated = await admin('POST', `/${id}/terminate`, { date: '2020-01-31' });
    assert.equal(terminated.body.status, 'inactive');
    assert.equal((await admin('POST', `/${id}/rehire`)).body.terminationDate, null);

    const internal = await admin('GET', `/${id}`);
    assert.equal(internal.body.firstName, 'Saoirse');
    const api = await s.get<{ data: RenderedEmployee }>(`/v1/company/employees/${id}`);
    assert.equal(value(api.body.data, 'email'), 'saoirse@acme.example.com');

    assert.equal((await admin('DELETE', `/${id}`)).status, 200);
    assert.equal((await admin('GET', `/${id}`)).status, 404);
  });

  test('bad input: 400 for invalid bodies, 404 for unknown employees, 422 for bad dates', async () => {
    assert.equal((await admin('POST', '/1001/status', { status: 'retired' })).status, 400);
    assert.equal((await admin('POST', '', { unknownField: 1 })).status, 400);
    assert.equal((await admin('POST', '/99999/rehire')).status, 404);
    assert.equal((await admin('POST', '/1001/terminate', { date: 'soon' })).status, 422);
  });

  test('POST /_sandbox/reset regenerates the data and forgets tokens, stats and faults', async () => {
    await s.post('/_sandbox/employees/1001/name', { firstName: 'Temp', lastName: 'Name' });
    await s.post('/_sandbox/faults', { latencyMs: 5 });
    assert.equal((await s.post('/_sandbox/reset')).status, 200);
    assert.equal((await admin('GET', '/1001')).body.firstName !== 'Temp', true);
    assert.equal(s.sandbox.faults.settings.latencyMs, 0);
    assert.equal(s.sandbox.stats.snapshot().totalRequests, 0);
    assert.equal((await s.get('/v1/company/employees')).status, 403, 'old token forgotten');
  });
});

describe('stateFile', () => {
  test('a restarted sandbox keeps the mutations', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'personio-sandbox-'));
    const stateFile = join(dir, 'state.json');
    try {
      const first = createPersonioSandbox({ employees: 10, stateFile });
      first.data.changeName(1001, 'Persisted', 'Person');
      const hired = first.data.hire({ firstName: 'Neu', lastName: 'Eingestellt' });
      first.data.remove(1002);
      await first.close();

      const second = createPersonioSandbox({ employees: 10, stateFile });
      assert.equal(second.data.get(1001)?.firstName, 'Persisted');
      assert.equal(second.data.get(hired.id)?.lastName, 'Eingestellt');
      assert.equal(second.data.get(1002), undefined);
      assert.ok(second.data.hire().id > hired.id);
      second.reset();
      await second.close();

      const third = createPersonioSandbox({ employees: 10, stateFile });
      assert.notEqual(third.data.get(1001)?.firstName, 'Persisted', 'reset is persisted too');
      await third.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
