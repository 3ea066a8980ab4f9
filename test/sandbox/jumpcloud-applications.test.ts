import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Application } from '../../sandbox/jumpcloud/store.js';
import { seedUsers, startSandbox, type Edge } from './jumpcloud-helpers.js';

interface AppList {
  results: Application[];
  totalCount: number;
}

test('GET /api/applications finds the seeded "Personio Import" application by displayLabel', async (t) => {
  const { call } = await startSandbox(t);
  const response = await call<AppList>('GET', '/api/applications?filter=displayLabel:$eq:Personio%20Import');
  assert.equal(response.status, 200);
  assert.equal(response.body.totalCount, 1);
  const [app] = response.body.results;
  assert.match(app!._id, /^[0-9a-f]{24}$/);
  assert.equal(app!.id, app!._id);
  assert.equal(app!.displayLabel, 'Personio Import');
  assert.equal(typeof app!.name, 'string');
  assert.equal(typeof app!.ssoUrl, 'string');
  assert.equal(app!.active, true);
  const miss = await call<AppList>('GET', '/api/applications?filter=displayLabel:$eq:personio%20import');
  assert.deepEqual(miss.body, { totalCount: 0, results: [] }, 'case-sensitive');
  assert.equal((await call('GET', '/api/applications?limit=101')).status, 400);
  assert.equal((await call('GET', `/api/applications/${app!._id}`)).status, 200);
  assert.equal((await call('GET', '/api/applications/5c00000000000000000000ff')).status, 404);
});

test('seedApplications replaces the default applications; paging and sort by name work', async (t) => {
  const { call } = await startSandbox(t, {
    seedApplications: [
      { displayLabel: 'Zeta', name: 'zeta' },
      { displayLabel: 'Alpha', name: 'alpha', active: false, ssoUrl: 'https://sso.example/alpha' },
    ],
  });
  const all = await call<AppList>('GET', '/api/applications');
  assert.deepEqual(
    all.body.results.map((a) => a.displayLabel),
    ['Alpha', 'Zeta'],
    'sorted by name by default',
  );
  assert.equal(all.body.results[0]!.active, false);
  assert.equal(all.body.results[0]!.ssoUrl, 'https://sso.example/alpha');
  const second = await call<AppList>('GET', '/api/applications?limit=1&skip=1');
  assert.deepEqual(
    second.body.results.map((a) => a.displayLabel),
    ['Zeta'],
  );
  assert.equal(second.body.totalCount, 2);
});

test('associations: add 204, repeat 409 Already Exists, list, remove 204, remove again 404', async (t) => {
  const { call, sandbox } = await startSandbox(t);
  const [group, other] = sandbox.seedGroups([{ name: 'Eng' }, { name: 'Sales' }]);
  const [app] = sandbox.store.allApplications();
  const path = `/api/v2/applications/${app!._id}/associations`;
  const op = (o: string, id: string) => call('POST', path, { body: { op: o, type: 'user_group', id } });

  assert.equal((await op('add', group!.id)).status, 204);
  const repeat = await op('add', group!.id);
  assert.equal(repeat.status, 409);
  assert.deepEqual(repeat.body, { message: 'Already Exists' });
  assert.equal((await op('add', other!.id)).status, 204);
  const listed = await call<Edge[]>('GET', `${path}?targets=user_group`);
  assert.deepEqual(listed.body, [
    { to: { id: group!.id, type: 'user_group' }, attributes: null },
    { to: { id: other!.id, type: 'user_group' }, attributes: null },
  ]);
  assert.equal(listed.headers.get('x-total-count'), '2');
  const paged = await call<Edge[]>('GET', `${path}?targets=user_group&limit=1&skip=1`);
  assert.deepEqual(
    paged.body.map((e) => e.to.id),
    [other!.id],
  );
  assert.deepEqual((await call('GET', `${path}?targets=user`)).body, [], 'user targets are listed apart');
  assert.equal((await op('remove', group!.id)).status, 204);
  assert.equal((await op('remove', group!.id)).status, 404);
  assert.deepEqual(
    (await call<Edge[]>('GET', `${path}?targets=user_group`)).body.map((e) => e.to.id),
    [other!.id],
  );
});

test('associations: targets missing or unknown is 400; unknown app or group is 404; bad op 400', async (t) => {
  const { call, sandbox } = await startSandbox(t);
  const [group] = sandbox.seedGroups([{ name: 'Eng' }]);
  const [user] = seedUsers(sandbox, 1);
  const [app] = sandbox.store.allApplications();
  const path = `/api/v2/applications/${app!._id}/associations`;
  assert.equal((await call('GET', path)).status, 400);
  assert.equal((await call('GET', `${path}?targets=system`)).status, 400);
  assert.equal(
    (await call('GET', '/api/v2/applications/5c00000000000000000000ff/associations?targets=user_group'))
      .status,
    404,
  );
  const unknownApp = await call('POST', '/api/v2/applications/5c00000000000000000000ff/associations', {
    body: { op: 'add', type: 'user_group', id: group!.id },
  });
  assert.equal(unknownApp.status, 404);
  const unknownGroup = await call('POST', path, {
    body: { op: 'add', type: 'user_group', id: '5b00000000000000000000ff' },
  });
  assert.equal(unknownGroup.status, 404);
  for (const body of [
    { op: 'link', type: 'user_group', id: group!.id },
    { op: 'add', type: 'system_group', id: group!.id },
    { op: 'add', type: 'user_group' },
  ]) {
    assert.equal((await call('POST', path, { body })).status, 400, JSON.stringify(body));
  }
  // Direct user associations exist on the real API too.
  assert.equal((await call('POST', path, { body: { op: 'add', type: 'user', id: user!._id } })).status, 204);
  const users = await call<Edge[]>('GET', `${path}?targets=user`);
  assert.deepEqual(users.body, [{ to: { id: user!._id, type: 'user' }, attributes: null }]);
});
