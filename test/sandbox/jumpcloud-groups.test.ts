import assert from 'node:assert/strict';
import { test } from 'node:test';
import { seedUsers, startSandbox, type Edge, type UserGroup } from './jumpcloud-helpers.js';

const UNKNOWN_ID = '5b00000000000000000000ff';

test('POST /api/v2/usergroups creates a group (201); names are unique ignoring case (409)', async (t) => {
  const { call } = await startSandbox(t);
  const created = await call<UserGroup>('POST', '/api/v2/usergroups', {
    body: { name: 'Engineering', description: 'R&D' },
  });
  assert.equal(created.status, 201);
  assert.match(created.body.id, /^[0-9a-f]{24}$/);
  assert.equal(created.body.name, 'Engineering');
  assert.equal(created.body.type, 'user_group');
  assert.equal(created.body.description, 'R&D');
  for (const name of ['Engineering', 'engineering', 'ENGINEERING']) {
    const taken = await call('POST', '/api/v2/usergroups', { body: { name } });
    assert.equal(taken.status, 409, name);
    assert.deepEqual(taken.body, { message: 'Already Exists' });
  }
  for (const body of [{}, { name: '' }, { name: 42 }, { name: 'x', description: 1 }]) {
    assert.equal((await call('POST', '/api/v2/usergroups', { body })).status, 400, JSON.stringify(body));
  }
});

test('GET /api/v2/usergroups is a bare array with x-total-count; filters are case-sensitive', async (t) => {
  const { call, sandbox } = await startSandbox(t);
  sandbox.seedGroups([{ name: 'Eng' }, { name: 'Sales' }, { name: 'Eng Berlin' }, { name: 'Marketing' }]);
  const list = (query = '') => call<UserGroup[]>('GET', `/api/v2/usergroups${query}`);
  const names = (r: { body: UserGroup[] }) => r.body.map((g) => g.name);

  const all = await list();
  assert.ok(Array.isArray(all.body));
  assert.equal(all.headers.get('x-total-count'), '4');
  assert.deepEqual(names(await list('?filter=name:eq:Eng')), ['Eng']);
  assert.deepEqual(names(await list('?filter=name:eq:eng')), [], 'eq is case-sensitive: "eng" misses "Eng"');
  assert.deepEqual(names(await list('?filter=name:ne:Eng')), ['Sales', 'Eng Berlin', 'Marketing']);
  assert.deepEqual(names(await list(`?filter=${encodeURIComponent('name:search:Eng')}`)), [
    'Eng',
    'Eng Berlin',
  ]);
  assert.deepEqual(names(await list(`?filter=${encodeURIComponent('name:in:Sales|Marketing')}`)), [
    'Sales',
    'Marketing',
  ]);
  assert.deepEqual(names(await list('?filter=name:gt:Marketing')), ['Sales']);
  assert.deepEqual(names(await list('?filter=name:ge:Marketing')), ['Sales', 'Marketing']);
  assert.deepEqual(names(await list('?filter=name:lt:Eng%20Berlin')), ['Eng']);
  assert.deepEqual(names(await list('?filter=name:le:Eng%20Berlin')), ['Eng', 'Eng Berlin']);
  assert.deepEqual(names(await list('?filter=name:search:Eng&filter=name:ne:Eng')), ['Eng Berlin']);
  assert.deepEqual(names(await list('?sort=-name')), ['Sales', 'Marketing', 'Eng Berlin', 'Eng']);
  const paged = await list('?sort=name&limit=2&skip=1');
  assert.deepEqual(names(paged), ['Eng Berlin', 'Marketing']);
  assert.equal(paged.headers.get('x-total-count'), '4');
  const projected = await list('?fields=name&limit=1');
  assert.deepEqual(Object.keys(projected.body[0]!).sort(), ['id', 'name']);
  assert.equal((await list('?limit=101')).status, 400);
  assert.equal((await list('?filter=name:$eq:Eng')).status, 400, 'v1 operators are not v2 operators');
});

test('GET and DELETE /api/v2/usergroups/{id}', async (t) => {
  const { call, sandbox } = await startSandbox(t);
  const [group] = sandbox.seedGroups([{ name: 'Eng' }]);
  const found = await call<UserGroup>('GET', `/api/v2/usergroups/${group!.id}`);
  assert.equal(found.status, 200);
  assert.deepEqual(found.body, group);
  assert.equal((await call('GET', `/api/v2/usergroups/${UNKNOWN_ID}`)).status, 404);
  assert.equal((await call('DELETE', `/api/v2/usergroups/${group!.id}`)).status, 204);
  assert.equal((await call('GET', `/api/v2/usergroups/${group!.id}`)).status, 404);
  assert.equal((await call('DELETE', `/api/v2/usergroups/${group!.id}`)).status, 404);
  assert.equal(
    (await call('POST', '/api/v2/usergroups', { body: { name: 'eng' } })).status,
    201,
    'name is free',
  );
});

test('members: add 204, add again 409 Already Exists, remove 204, remove again 404', async (t) => {
  const { call, sandbox } = await startSandbox(t);
  const [user] = seedUsers(sandbox, 1);
  const [group] = sandbox.seedGroups([{ name: 'Eng' }]);
  const path = `/api/v2/usergroups/${group!.id}/members`;
  const op = (o: string, id = user!._id, type = 'user') => call('POST', path, { body: { op: o, type, id } });

  const added = await op('add');
  assert.equal(added.status, 204);
  assert.equal(added.body, undefined);
  const again = await op('add');
  assert.equal(again.status, 409);
  assert.deepEqual(again.body, { message: 'Already Exists' });
  const listed = await call<Edge[]>('GET', path);
  assert.deepEqual(listed.body, [{ to: { id: user!._id, type: 'user' }, attributes: null }]);
  assert.equal(listed.headers.get('x-total-count'), '1');
  assert.equal((await op('remove')).status, 204);
  assert.deepEqual((await call('GET', path)).body, []);
  assert.equal((await op('remove')).status, 404);
});

test('members: unknown group or user 404, bad op or type 400', async (t) => {
  const { call, sandbox } = await startSandbox(t);
  const [user] = seedUsers(sandbox, 1);
  const [group] = sandbox.seedGroups([{ name: 'Eng' }]);
  const path = `/api/v2/usergroups/${group!.id}/members`;
  const unknownGroup = await call('POST', `/api/v2/usergroups/${UNKNOWN_ID}/members`, {
    body: { op: 'add', type: 'user', id: user!._id },
  });
  assert.equal(unknownGroup.status, 404);
  assert.equal((await call('GET', `/api/v2/usergroups/${UNKNOWN_ID}/members`)).status, 404);
  const unknownUser = await call('POST', path, {
    body: { op: 'add', type: 'user', id: '5a00000000000000000000ff' },
  });
  assert.equal(unknownUser.status, 404);
  for (const body of [
    { op: 'update', type: 'user', id: user!._id },
    { op: 'ADD', type: 'user', id: user!._id },
    { op: 'add', type: 'system', id: user!._id },
    { op: 'add', type: 'user' },
    'nonsense',
  ]) {
    const response = await call('POST', path, { body });
    assert.equal(response.status, 400, JSON.stringify(body));
    assert.equal(typeof response.body.message, 'string');
  }
});

test('members list pages with limit/skip and x-total-count', async (t) => {
  const { call, sandbox } = await startSandbox(t);
  const users = seedUsers(sandbox, 25);
  const [group] = sandbox.seedGroups([{ name: 'Eng', members: users.map((u) => u._id) }]);
  const seen: string[] = [];
  for (let skip = 0; ; skip += 10) {
    const response = await call<Edge[]>(
      'GET',
      `/api/v2/usergroups/${group!.id}/members?limit=10&skip=${skip}`,
    );
    assert.equal(response.headers.get('x-total-count'), '25');
    seen.push(...response.body.map((e) => e.to.id));
    if (response.body.length < 10) break;
  }
  assert.deepEqual(
    seen,
    users.map((u) => u._id),
  );
  const byDefault = await call<Edge[]>('GET', `/api/v2/usergroups/${group!.id}/members`);
  assert.equal(byDefault.body.length, 10);
  assert.equal((await call('GET', `/api/v2/usergroups/${group!.id}/members?limit=101`)).status, 400);
});

test('GET /api/v2/users/{id}/memberof lists the user groups', async (t) => {
  const { call, sandbox } = await startSandbox(t);
  const [user] = seedUsers(sandbox, 1);
  const [eng, sales] = sandbox.seedGroups([
    { name: 'Eng', members: [user!._id] },
    { name: 'Sales', members: [user!._id] },
  ]);
  sandbox.seedGroups([{ name: 'Other' }]);
  const response = await call<{ id: string; type: string }[]>('GET', `/api/v2/users/${user!._id}/memberof`);
  assert.equal(response.status, 200);
  assert.deepEqual(
    response.body.map((g) => [g.id, g.type]),
    [
      [eng!.id, 'user_group'],
      [sales!.id, 'user_group'],
    ],
  );
  assert.equal(response.headers.get('x-total-count'), '2');
  assert.equal((await call('GET', '/api/v2/users/5a00000000000000000000ff/memberof')).status, 404);
});

test('membership lag: reads miss adds and removes younger than membershipLagMs; writes do not', async (t) => {
  let now = 1_700_000_000_000;
  const { call, sandbox } = await startSandbox(t, { clock: () => now, faults: { membershipLagMs: 5000 } });
  const [user] = seedUsers(sandbox, 1);
  const [group] = sandbox.seedGroups([{ name: 'Eng' }]);
  const path = `/api/v2/usergroups/${group!.id}/members`;
  const memberIds = async () => (await call<Edge[]>('GET', path)).body.map((e) => e.to.id);
  const memberOf = async () =>
    (await call<{ id: string }[]>('GET', `/api/v2/users/${user!._id}/memberof`)).body.map((g) => g.id);

  assert.equal((await call('POST', path, { body: { op: 'add', type: 'user', id: user!._id } })).status, 204);
  assert.deepEqual(await memberIds(), [], 'the add is not visible yet');
  assert.deepEqual(await memberOf(), []);
  assert.equal((await call('GET', path)).headers.get('x-total-count'), '0');
  const repeat = await call('POST', path, { body: { op: 'add', type: 'user', id: user!._id } });
  assert.equal(repeat.status, 409, 'writes see the truth');

  now += 4999;
  assert.deepEqual(await memberIds(), []);
  now += 1;
  assert.deepEqual(await memberIds(), [user!._id]);
  assert.deepEqual(await memberOf(), [group!.id]);

  assert.equal(
    (await call('POST', path, { body: { op: 'remove', type: 'user', id: user!._id } })).status,
    204,
  );
  assert.deepEqual(await memberIds(), [user!._id], 'the remove is not visible yet');
  now += 5000;
  assert.deepEqual(await memberIds(), []);
  assert.deepEqual(await memberOf(), []);

  sandbox.faults.set({ membershipLagMs: 0 });
  await call('POST', path, { body: { op: 'add', type: 'user', id: user!._id } });
  assert.deepEqual(await memberIds(), [user!._id], 'no lag: visible at once');
});

test('deleting a group removes its memberships and application associations', async (t) => {
  const { call, sandbox } = await startSandbox(t);
  const [user] = seedUsers(sandbox, 1);
  const [group] = sandbox.seedGroups([{ name: 'Eng', members: [user!._id] }]);
  const [app] = sandbox.store.allApplications();
  await call('POST', `/api/v2/applications/${app!._id}/associations`, {
    body: { op: 'add', type: 'user_group', id: group!.id },
  });
  await call('DELETE', `/api/v2/usergroups/${group!.id}`);
  assert.deepEqual((await call('GET', `/api/v2/users/${user!._id}/memberof`)).body, []);
  const associations = await call('GET', `/api/v2/applications/${app!._id}/associations?targets=user_group`);
  assert.deepEqual(associations.body, []);
});
