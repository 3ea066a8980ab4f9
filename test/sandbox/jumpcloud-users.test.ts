import assert from 'node:assert/strict';
import { test } from 'node:test';
import { seedUsers, startSandbox, userBody, type SystemUser, type UserList } from './jumpcloud-helpers.js';

const OBJECT_ID = /^[0-9a-f]{24}$/;

// ---- create --------------------------------------------------------------------------------

test('POST /api/systemusers creates a STAGED user and returns it with ids and derived fields', async (t) => {
  const { call } = await startSandbox(t);
  const before = Date.now();
  const response = await call<SystemUser>('POST', '/api/systemusers', {
    body: {
      ...userBody(1),
      email: 'Ann.Example+hr@Example.COM',
      jobTitle: 'Engineer',
      department: 'R&D',
      attributes: [{ name: 'personioId', value: '42' }],
      password: 'never-returned',
      unknownField: 'ignored',
    },
  });
  assert.equal(response.status, 200);
  const user = response.body;
  assert.match(user._id, OBJECT_ID);
  assert.equal(user.id, user._id);
  assert.equal(user.email, 'ann.example+hr@example.com', 'email is lower-cased');
  assert.equal(user.username, 'user1');
  assert.equal(user.state, 'STAGED');
  assert.equal(user.activated, false);
  assert.equal(user.suspended, false);
  assert.equal(user.account_locked, false);
  assert.equal(typeof user.organization, 'string');
  assert.ok(Date.parse(user.created) >= before - 1000, 'created is an ISO date');
  assert.equal(user.jobTitle, 'Engineer');
  assert.equal(user.employeeIdentifier, 'E1');
  assert.deepEqual(user.attributes, [{ name: 'personioId', value: '42' }]);
  assert.equal('password' in user, false);
  assert.equal('unknownField' in user, false);
});

test('ids are distinct, 24-hex and increase with creation', async (t) => {
  const { call } = await startSandbox(t);
  const a = await call<SystemUser>('POST', '/api/systemusers', { body: userBody(1) });
  const b = await call<SystemUser>('POST', '/api/systemusers', { body: userBody(2) });
  assert.notEqual(a.body._id, b.body._id);
  assert.ok(a.body._id < b.body._id);
});

test('state on create: explicit states, the defaultState option, activated/suspended agree', async (t) => {
  const { call } = await startSandbox(t, { defaultState: 'ACTIVATED' });
  const byDefault = await call<SystemUser>('POST', '/api/systemusers', { body: userBody(1) });
  assert.equal(byDefault.body.state, 'ACTIVATED');
  assert.equal(byDefault.body.activated, true);
  const suspended = await call<SystemUser>('POST', '/api/systemusers', {
    body: userBody(2, { state: 'SUSPENDED' }),
  });
  assert.equal(suspended.body.state, 'SUSPENDED');
  assert.equal(suspended.body.suspended, true);
  assert.equal(suspended.body.activated, false);
  const staged = await call<SystemUser>('POST', '/api/systemusers', {
    body: userBody(3, { state: 'STAGED' }),
  });
  assert.equal(staged.body.state, 'STAGED');
  const bad = await call('POST', '/api/systemusers', { body: userBody(4, { state: 'PENDING' }) });
  assert.equal(bad.status, 400);
  const disagree = await call('POST', '/api/systemusers', {
    body: userBody(5, { state: 'ACTIVATED', suspended: true }),
  });
  assert.equal(disagree.status, 400);
});

test('create without username or email is 400 naming the field', async (t) => {
  const { call, sandbox } = await startSandbox(t);
  const noUsername = await call('POST', '/api/systemusers', { body: { email: 'a@example.com' } });
  assert.equal(noUsername.status, 400);
  assert.match(String(noUsername.body.message), /username/);
  const noEmail = await call('POST', '/api/systemusers', { body: { username: 'ann' } });
  assert.equal(noEmail.status, 400);
  assert.match(String(noEmail.body.message), /email/);
  const notJson = await call('POST', '/api/systemusers', { body: ['not', 'an', 'object'] });
  assert.equal(notJson.status, 400);
  assert.equal(sandbox.store.userCount, 0);
});

test('username rules: starts with a letter, [A-Za-z0-9._-], at most 30 characters', async (t) => {
  const { call } = await startSandbox(t);
  const refused = ['1ann', '.ann', 'ann smith', 'ann@example', 'änn', 'a'.repeat(31), ''];
  for (const [i, username] of refused.entries()) {
    const response = await call('POST', '/api/systemusers', {
      body: { username, email: `r${i}@example.com` },
    });
    assert.equal(response.status, 400, JSON.stringify(username));
    assert.match(String(response.body.message), /username/);
  }
  const accepted = ['a', 'Ann.Smith-2_x', 'a'.repeat(30)];
  for (const [i, username] of accepted.entries()) {
    const response = await call('POST', '/api/systemusers', {
      body: { username, email: `a${i}@example.com` },
    });
    assert.equal(response.status, 200, username);
  }
});

test('email must look like an email; string lengths are limited', async (t) => {
  const { call } = await startSandbox(t);
  assert.equal(
    (await call('POST', '/api/systemusers', { body: { username: 'a', email: 'no-at-sign' } })).status,
    400,
  );
  const longName = await call('POST', '/api/systemusers', {
    body: userBody(1, { firstname: 'x'.repeat(1025) }),
  });
  assert.equal(longName.status, 400);
  assert.match(String(longName.body.message), /firstname/);
  const okName = await call('POST', '/api/systemusers', {
    body: userBody(2, { firstname: 'x'.repeat(1024) }),
  });
  assert.equal(okName.status, 200);
  const longId = await call('POST', '/api/systemusers', {
    body: userBody(3, { employeeIdentifier: 'e'.repeat(257) }),
  });
  assert.equal(longId.status, 400);
  assert.match(String(longId.body.message), /employeeIdentifier/);
  const okId = await call('POST', '/api/systemusers', {
    body: userBody(4, { employeeIdentifier: 'e'.repeat(256) }),
  });
  assert.equal(okId.status, 200);
  const wrongType = await call('POST', '/api/systemusers', { body: userBody(5, { department: 7 }) });
  assert.equal(wrongType.status, 400);
});

test('duplicates of username, email (any case) or employeeIdentifier are 400 User already exists', async (t) => {
  const { call, sandbox } = await startSandbox(t);
  assert.equal((await call('POST', '/api/systemusers', { body: userBody(1) })).status, 200);
  const duplicates = [
    { username: 'user1', email: 'other1@example.com' },
    { username: 'USER1', email: 'other2@example.com' },
    { username: 'other3', email: 'user1@example.com' },
    { username: 'other4', email: 'USER1@Example.COM' },
    { username: 'other5', email: 'other5@example.com', employeeIdentifier: 'E1' },
  ];
  for (const body of duplicates) {
    const response = await call('POST', '/api/systemusers', { body });
    assert.equal(response.status, 400, JSON.stringify(body));
    assert.deepEqual(response.body, { message: 'User already exists' });
  }
  assert.equal(sandbox.store.userCount, 1);
  // employeeIdentifier is compared exactly; an empty one is "none" and never collides.
  assert.equal(
    (await call('POST', '/api/systemusers', { body: userBody(6, { employeeIdentifier: 'e1' }) })).status,
    200,
  );
  assert.equal(
    (await call('POST', '/api/systemusers', { body: userBody(7, { employeeIdentifier: '' }) })).status,
    200,
  );
  assert.equal(
    (await call('POST', '/api/systemusers', { body: userBody(8, { employeeIdentifier: '' }) })).status,
    200,
  );
});

test('duplicateUserStatus 409 imitates the deployments that answer 409', async (t) => {
  const { call } = await startSandbox(t, { duplicateUserStatus: 409 });
  await call('POST', '/api/systemusers', { body: userBody(1) });
  const response = await call('POST', '/api/systemusers', { body: userBody(1) });
  assert.equal(response.status, 409);
  assert.deepEqual(response.body, { message: 'User already exists' });
});

test('manager must be an existing user id', async (t) => {
  const { call } = await startSandbox(t);
  const boss = await call<SystemUser>('POST', '/api/systemusers', { body: userBody(1) });
  const unknown = await call('POST', '/api/systemusers', {
    body: userBody(2, { manager: '5a00000000000000000000ff' }),
  });
  assert.equal(unknown.status, 400);
  assert.match(String(unknown.body.message), /manager/);
  const ok = await call<SystemUser>('POST', '/api/systemusers', {
    body: userBody(3, { manager: boss.body._id }),
  });
  assert.equal(ok.status, 200);
  assert.equal(ok.body.manager, boss.body._id);
});

// ---- read, list, filter, sort, fields ------------------------------------------------------

test('GET /api/systemusers/{id} returns the user; unknown ids are 404', async (t) => {
  const { call, sandbox } = await startSandbox(t);
  const [user] = seedUsers(sandbox, 1);
  const found = await call<SystemUser>('GET', `/api/systemusers/${user!._id}`);
  assert.equal(found.status, 200);
  assert.deepEqual(found.body, user);
  const projected = await call('GET', `/api/systemusers/${user!._id}?fields=email`);
  assert.deepEqual(projected.body, { _id: user!._id, id: user!._id, email: user!.email });
  for (const id of ['5a00000000000000000000ff', 'not-an-id']) {
    const missing = await call('GET', `/api/systemusers/${id}`);
    assert.equal(missing.status, 404);
    assert.equal(typeof missing.body.message, 'string');
  }
});

test('list: default limit 10, limit up to 100, limit over 100 or invalid is 400', async (t) => {
  const { call, sandbox } = await startSandbox(t);
  seedUsers(sandbox, 120);
  const byDefault = await call<UserList>('GET', '/api/systemusers');
  assert.equal(byDefault.body.results.length, 10);
  assert.equal(byDefault.body.totalCount, 120);
  assert.equal((await call<UserList>('GET', '/api/systemusers?limit=100')).body.results.length, 100);
  for (const query of ['limit=101', 'limit=1000', 'limit=-1', 'limit=abc', 'limit=0', 'skip=-5']) {
    const response = await call('GET', `/api/systemusers?${query}`);
    assert.equal(response.status, 400, query);
    assert.equal(typeof response.body.message, 'string');
  }
  const tail = await call<UserList>('GET', '/api/systemusers?skip=115&limit=100');
  assert.equal(tail.body.results.length, 5);
  assert.equal(tail.body.totalCount, 120);
});

for (const count of [0, 1, 100, 101, 250]) {
  test(`paging with sort=_id visits each of ${count} users exactly once`, async (t) => {
    const { call, sandbox } = await startSandbox(t);
    const seeded = seedUsers(sandbox, count);
    for (const limit of [100, 7]) {
      const seen: string[] = [];
      for (let skip = 0; ; skip += limit) {
        const { body } = await call<UserList>('GET', `/api/systemusers?sort=_id&limit=${limit}&skip=${skip}`);
        assert.equal(body.totalCount, count);
        seen.push(...body.results.map((u) => u._id));
        if (body.results.length < limit) break;
      }
      assert.deepEqual(seen, seeded.map((u) => u._id).sort(), `limit ${limit}`);
    }
  });
}

test('list filters: $eq is exact and case-sensitive, repeated filters AND together', async (t) => {
  const { call, sandbox } = await startSandbox(t);
  const users = sandbox.seedUsers([
    userBody(1, { department: 'Sales', costCenter: '100' }),
    userBody(2, { department: 'Sales', costCenter: '200' }),
    userBody(3, { department: 'sales', costCenter: '300' }),
  ]);
  const q = (...filters: string[]) =>
    call<UserList>(
      'GET',
      `/api/systemusers?${filters.map((f) => `filter=${encodeURIComponent(f)}`).join('&')}`,
    );
  const ids = (list: UserList) => list.results.map((u) => u.username);

  assert.deepEqual(ids((await q('department:$eq:Sales')).body), ['user1', 'user2']);
  assert.deepEqual(ids((await q('department:$eq:Sales', 'costCenter:$eq:200')).body), ['user2']);
  assert.deepEqual(ids((await q('department:$ne:Sales')).body), ['user3']);
  assert.deepEqual(ids((await q('costCenter:$gt:100')).body), ['user2', 'user3']);
  assert.deepEqual(ids((await q('costCenter:$gte:200')).body), ['user2', 'user3']);
  assert.deepEqual(ids((await q('costCenter:$lt:200')).body), ['user1']);
  assert.deepEqual(ids((await q('costCenter:$lte:200')).body), ['user1', 'user2']);
  assert.deepEqual(ids((await q('state:$eq:STAGED')).body), ['user1', 'user2', 'user3']);
  assert.deepEqual(ids((await q('activated:$eq:false')).body), ['user1', 'user2', 'user3']);
  // Indexed fields: exact and case-sensitive, even though uniqueness ignores case.
  assert.deepEqual(ids((await q('email:$eq:user2@example.com')).body), ['user2']);
  assert.equal((await q('email:$eq:USER2@example.com')).body.totalCount, 0);
  assert.deepEqual(ids((await q('username:$eq:user3')).body), ['user3']);
  assert.equal((await q('username:$eq:User3')).body.totalCount, 0);
  assert.deepEqual(ids((await q('employeeIdentifier:$eq:E1')).body), ['user1']);
  assert.deepEqual(ids((await q(`_id:$eq:${users[1]!._id}`)).body), ['user2']);
  assert.equal((await q('email:$eq:user2@example.com', 'department:$eq:Nope')).body.totalCount, 0);

  for (const bad of ['department:eq:Sales', 'department', 'department:$like:x']) {
    assert.equal((await q(bad)).status, 400, bad);
  }
});

test('a + in a filter value must be percent-encoded, as on the real API', async (t) => {
  const { call, sandbox } = await startSandbox(t);
  sandbox.seedUsers([userBody(1, { email: 'ann+hr@example.com' })]);
  const encoded = await call<UserList>(
    'GET',
    `/api/systemusers?filter=${encodeURIComponent('email:$eq:ann+hr@example.com')}`,
  );
  assert.equal(encoded.body.totalCount, 1);
  const raw = await call<UserList>('GET', '/api/systemusers?filter=email:$eq:ann+hr@example.com');
  assert.equal(raw.body.totalCount, 0, 'a raw + reads as a space');
});

test('sort by a field, descending with -, and fields projection keeps ids', async (t) => {
  const { call, sandbox } = await startSandbox(t);
  sandbox.seedUsers([
    userBody(1, { lastname: 'B' }),
    userBody(2, { lastname: 'C' }),
    userBody(3, { lastname: 'A' }),
  ]);
  const asc = await call<UserList>('GET', '/api/systemusers?sort=lastname');
  assert.deepEqual(
    asc.body.results.map((u) => u.lastname),
    ['A', 'B', 'C'],
  );
  const desc = await call<UserList>('GET', '/api/systemusers?sort=-lastname');
  assert.deepEqual(
    desc.body.results.map((u) => u.lastname),
    ['C', 'B', 'A'],
  );
  const byIdDesc = await call<UserList>('GET', '/api/systemusers?sort=-_id');
  assert.deepEqual(
    byIdDesc.body.results.map((u) => u.username),
    ['user3', 'user2', 'user1'],
  );
  const projected = await call<UserList>(
    'GET',
    `/api/systemusers?fields=${encodeURIComponent('email lastname')}&limit=1`,
  );
  const [only] = projected.body.results;
  assert.deepEqual(Object.keys(only!).sort(), ['_id', 'email', 'id', 'lastname']);
});

// ---- search --------------------------------------------------------------------------------

test('POST /api/search/systemusers: and, or, operators, fields, paging', async (t) => {
  const { call, sandbox } = await startSandbox(t);
  sandbox.seedUsers([
    userBody(1, { email: 'ann+x@example.com', department: 'Sales' }),
    userBody(2, { department: 'Sales' }),
    userBody(3, { department: 'IT' }),
  ]);
  const search = (body: unknown) => call<UserList>('POST', '/api/search/systemusers', { body });
  const names = (r: { body: UserList }) => r.body.results.map((u) => u.username);

  const byEmail = await search({ filter: { and: [{ email: 'ann+x@example.com' }] }, fields: 'email' });
  assert.equal(byEmail.status, 200);
  assert.deepEqual(byEmail.body.results, [
    { _id: byEmail.body.results[0]?._id, id: byEmail.body.results[0]?._id, email: 'ann+x@example.com' },
  ]);
  assert.equal(byEmail.body.totalCount, 1);
  assert.deepEqual(
    names(await search({ filter: { or: [{ email: 'user2@example.com' }, { username: 'user3' }] } })),
    ['user2', 'user3'],
  );
  assert.deepEqual(
    names(await search({ filter: { and: [{ department: 'Sales' }, { username: 'user2' }] } })),
    ['user2'],
  );
  assert.deepEqual(names(await search({ filter: { and: [{ department: { $ne: 'Sales' } }] } })), ['user3']);
  assert.deepEqual(
    names(await search({ filter: { and: [{ employeeIdentifier: { $in: ['E1', 'E3'] } }] } })),
    ['user1', 'user3'],
  );
  assert.equal((await search({ filter: { and: [{ email: 'ANN+X@example.com' }] } })).body.totalCount, 0);
  assert.deepEqual(names(await search({ filter: { and: [{ department: 'Sales' }] }, limit: 1, skip: 1 })), [
    'user2',
  ]);
  assert.equal((await search({})).body.totalCount, 3);
  assert.deepEqual(names(await search({ searchFilter: { searchTerm: 'USER3', fields: ['username'] } })), [
    'user3',
  ]);
  assert.equal((await search({ limit: 101 })).status, 400);
  assert.equal((await search({ filter: { and: 'nope' } })).status, 400);
  assert.equal((await search({ filter: { and: [{ email: { $regex: '.*' } }] } })).status, 400);
});

// ---- update, activate, delete --------------------------------------------------------------

test('PUT updates only the fields given and returns the user', async (t) => {
  const { call, sandbox } = await startSandbox(t);
  const [user] = sandbox.seedUsers([userBody(1, { jobTitle: 'Dev', department: 'IT' })]);
  const response = await call<SystemUser>('PUT', `/api/systemusers/${user!._id}`, {
    body: { jobTitle: 'Lead', email: 'New.Mail@Example.com' },
  });
  assert.equal(response.status, 200);
  assert.equal(response.body.jobTitle, 'Lead');
  assert.equal(response.body.department, 'IT');
  assert.equal(response.body.email, 'new.mail@example.com');
  assert.equal(response.body.created, user!.created);
  assert.deepEqual((await call('GET', `/api/systemusers/${user!._id}`)).body, response.body);
  const byNewMail = await call<UserList>('GET', '/api/systemusers?filter=email:$eq:new.mail@example.com');
  assert.equal(byNewMail.body.totalCount, 1);
  const byOldMail = await call<UserList>('GET', '/api/systemusers?filter=email:$eq:user1@example.com');
  assert.equal(byOldMail.body.totalCount, 0);
});

test('PUT state: STAGED refused; ACTIVATED/SUSPENDED keep activated and suspended consistent', async (t) => {
  const { call, sandbox } = await startSandbox(t);
  const [user] = seedUsers(sandbox, 1);
  const path = `/api/systemusers/${user!._id}`;
  const staged = await call('PUT', path, { body: { state: 'STAGED' } });
  assert.equal(staged.status, 400);
  assert.match(String(staged.body.message), /STAGED/);
  const active = await call<SystemUser>('PUT', path, { body: { state: 'ACTIVATED' } });
  assert.deepEqual(
    [active.body.state, active.body.activated, active.body.suspended],
    ['ACTIVATED', true, false],
  );
  const suspended = await call<SystemUser>('PUT', path, { body: { state: 'SUSPENDED' } });
  assert.deepEqual(
    [suspended.body.state, suspended.body.activated, suspended.body.suspended],
    ['SUSPENDED', false, true],
  );
  assert.equal((await call('PUT', path, { body: { state: 'STAGED' } })).status, 400);
  const viaFlag = await call<SystemUser>('PUT', path, { body: { suspended: false } });
  assert.equal(viaFlag.body.state, 'ACTIVATED');
  assert.equal((await call('PUT', path, { body: { state: 'ACTIVATED', suspended: true } })).status, 400);
});

test('PUT replaces attributes whole', async (t) => {
  const { call, sandbox } = await startSandbox(t);
  const [user] = sandbox.seedUsers([
    userBody(1, {
      attributes: [
        { name: 'a', value: '1' },
        { name: 'b', value: '2' },
      ],
    }),
  ]);
  const path = `/api/systemusers/${user!._id}`;
  const replaced = await call<SystemUser>('PUT', path, { body: { attributes: [{ name: 'c', value: '3' }] } });
  assert.deepEqual(replaced.body.attributes, [{ name: 'c', value: '3' }]);
  const untouched = await call<SystemUser>('PUT', path, { body: { jobTitle: 'x' } });
  assert.deepEqual(untouched.body.attributes, [{ name: 'c', value: '3' }]);
  const cleared = await call<SystemUser>('PUT', path, { body: { attributes: [] } });
  assert.deepEqual(cleared.body.attributes, []);
});

test('PUT manager: must exist, not self; null clears', async (t) => {
  const { call, sandbox } = await startSandbox(t);
  const [boss, user] = seedUsers(sandbox, 2);
  const path = `/api/systemusers/${user!._id}`;
  assert.equal((await call('PUT', path, { body: { manager: '5a00000000000000000000ff' } })).status, 400);
  assert.equal((await call('PUT', path, { body: { manager: user!._id } })).status, 400);
  const set = await call<SystemUser>('PUT', path, { body: { manager: boss!._id } });
  assert.equal(set.body.manager, boss!._id);
  const cleared = await call<SystemUser>('PUT', path, { body: { manager: null } });
  assert.equal(cleared.status, 200);
  assert.equal(cleared.body.manager, undefined);
});

test('PUT re-checks uniqueness and username rules; username may change; unknown id is 404', async (t) => {
  const { call, sandbox } = await startSandbox(t);
  const [, second] = seedUsers(sandbox, 2);
  const path = `/api/systemusers/${second!._id}`;
  for (const body of [{ email: 'USER0@example.com' }, { username: 'user0' }, { employeeIdentifier: 'E0' }]) {
    const response = await call('PUT', path, { body });
    assert.equal(response.status, 400, JSON.stringify(body));
    assert.deepEqual(response.body, { message: 'User already exists' });
  }
  assert.equal((await call('PUT', path, { body: { username: '9lives' } })).status, 400);
  assert.equal((await call('PUT', path, { body: { firstname: 'x'.repeat(1025) } })).status, 400);
  // Re-sending its own values is not a clash with itself.
  assert.equal(
    (await call('PUT', path, { body: { email: 'user1@example.com', username: 'user1' } })).status,
    200,
  );
  const renamed = await call<SystemUser>('PUT', path, { body: { username: 'renamed' } });
  assert.equal(renamed.body.username, 'renamed');
  assert.equal((await call('PUT', '/api/systemusers/5a00000000000000000000ff', { body: {} })).status, 404);
});

test('POST /state/activate moves STAGED to ACTIVATED, is a no-op when active, 400 when suspended', async (t) => {
  const { call, sandbox } = await startSandbox(t);
  const [user, other] = seedUsers(sandbox, 2);
  const activated = await call<SystemUser>('POST', `/api/systemusers/${user!._id}/state/activate`, {
    body: { email: false },
  });
  assert.equal(activated.status, 200);
  assert.deepEqual([activated.body.state, activated.body.activated], ['ACTIVATED', true]);
  const again = await call<SystemUser>('POST', `/api/systemusers/${user!._id}/state/activate`);
  assert.equal(again.status, 200);
  assert.equal(again.body.state, 'ACTIVATED');
  await call('PUT', `/api/systemusers/${other!._id}`, { body: { state: 'SUSPENDED' } });
  assert.equal((await call('POST', `/api/systemusers/${other!._id}/state/activate`)).status, 400);
  assert.equal((await call('POST', '/api/systemusers/5a00000000000000000000ff/state/activate')).status, 404);
});

test('DELETE returns the deleted user, frees its unique values, drops memberships and manager links', async (t) => {
  const { call, sandbox } = await startSandbox(t);
  const [boss] = sandbox.seedUsers([userBody(1)]);
  const [reportUser] = sandbox.seedUsers([userBody(2, { manager: boss!._id })]);
  const [group] = sandbox.seedGroups([{ name: 'Eng', members: [boss!._id, reportUser!._id] }]);

  const deleted = await call<SystemUser>('DELETE', `/api/systemusers/${boss!._id}`);
  assert.equal(deleted.status, 200);
  assert.equal(deleted.body._id, boss!._id);
  assert.equal((await call('GET', `/api/systemusers/${boss!._id}`)).status, 404);
  assert.equal((await call('DELETE', `/api/systemusers/${boss!._id}`)).status, 404);
  const members = await call<{ to: { id: string } }[]>('GET', `/api/v2/usergroups/${group!.id}/members`);
  assert.deepEqual(
    members.body.map((m) => m.to.id),
    [reportUser!._id],
  );
  const after = await call<SystemUser>('GET', `/api/systemusers/${reportUser!._id}`);
  assert.equal(after.body.manager, undefined);
  assert.equal(
    (await call('POST', '/api/systemusers', { body: userBody(1) })).status,
    200,
    'values are free again',
  );
});
