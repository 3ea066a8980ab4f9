import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createJumpCloudSandbox } from '../../sandbox/jumpcloud/server.js';
import {
  caller,
  seedUsers,
  startSandbox,
  userBody,
  type SystemUser,
  type UserGroup,
} from './jumpcloud-helpers.js';

interface Stats {
  writes: Record<string, number>;
  requests: Record<string, Record<string, number>>;
  totalRequests: number;
}

interface DirectoryState {
  users: SystemUser[];
  groups: (UserGroup & { members: string[] })[];
  applications: { _id: string; displayLabel: string; associations: { type: string; id: string }[] }[];
}

test('stats count each successful write that changed something, by kind', async (t) => {
  const { call, sandbox } = await startSandbox(t);
  const writes = async () => (await call<Stats>('GET', '/_sandbox/stats')).body.writes;
  const [app] = sandbox.store.allApplications();

  const user = (await call<SystemUser>('POST', '/api/systemusers', { body: userBody(1) })).body;
  await call('POST', '/api/systemusers', { body: userBody(1) }); // duplicate: no write
  const path = `/api/systemusers/${user._id}`;
  await call('PUT', path, { body: { jobTitle: 'Dev' } }); // updated
  await call('PUT', path, { body: { jobTitle: 'Dev' } }); // unchanged: not counted
  await call('PUT', path, { body: { state: 'STAGED' } }); // refused: not counted
  await call('POST', `${path}/state/activate`); // activated
  await call('POST', `${path}/state/activate`); // already active: not counted
  await call('PUT', path, { body: { state: 'SUSPENDED' } }); // updated + suspended
  await call('PUT', path, { body: { state: 'SUSPENDED' } }); // unchanged
  await call('PUT', path, { body: { state: 'ACTIVATED' } }); // updated + activated
  const group = (await call<UserGroup>('POST', '/api/v2/usergroups', { body: { name: 'Eng' } })).body;
  await call('POST', '/api/v2/usergroups', { body: { name: 'ENG' } }); // 409: no write
  const members = `/api/v2/usergroups/${group.id}/members`;
  await call('POST', members, { body: { op: 'add', type: 'user', id: user._id } });
  await call('POST', members, { body: { op: 'add', type: 'user', id: user._id } }); // 409
  await call('POST', members, { body: { op: 'remove', type: 'user', id: user._id } });
  await call('POST', members, { body: { op: 'remove', type: 'user', id: user._id } }); // 404
  const associations = `/api/v2/applications/${app!._id}/associations`;
  await call('POST', associations, { body: { op: 'add', type: 'user_group', id: group.id } });
  await call('POST', associations, { body: { op: 'add', type: 'user_group', id: group.id } }); // 409
  await call('POST', associations, { body: { op: 'remove', type: 'user_group', id: group.id } });
  await call('DELETE', path);
  await call('DELETE', path); // 404

  assert.deepEqual(await writes(), {
    usersCreated: 1,
    usersUpdated: 3,
    usersActivated: 2,
    usersSuspended: 1,
    groupsCreated: 1,
    membersAdded: 1,
    membersRemoved: 1,
    associationsAdded: 1,
    associationsRemoved: 1,
    usersDeleted: 1,
  });
  const stats = (await call<Stats>('GET', '/_sandbox/stats')).body;
  assert.deepEqual(stats.requests['POST /api/systemusers'], { '200': 1, '400': 1 });
  assert.deepEqual(stats.requests['DELETE /api/systemusers/:id'], { '200': 1, '404': 1 });
  assert.equal(stats.totalRequests, 21, 'admin routes are not counted');
});

test('POST /_sandbox/users and /_sandbox/groups seed without counting writes, under the same rules', async (t) => {
  const { call, sandbox } = await startSandbox(t);
  const seeded = await call<{ users: SystemUser[] }>('POST', '/_sandbox/users', {
    apiKey: null,
    body: [userBody(1, { state: 'ACTIVATED' }), userBody(2, { email: 'Pre.Existing@Example.com' })],
  });
  assert.equal(seeded.status, 200);
  assert.equal(seeded.body.users.length, 2);
  assert.equal(seeded.body.users[1]!.email, 'pre.existing@example.com');
  const single = await call<{ users: SystemUser[] }>('POST', '/_sandbox/users', { body: userBody(3) });
  assert.equal(single.body.users.length, 1);
  const wrapped = await call<{ users: SystemUser[] }>('POST', '/_sandbox/users', {
    body: { users: [userBody(4)] },
  });
  assert.equal(wrapped.body.users.length, 1);
  const duplicate = await call('POST', '/_sandbox/users', { body: [userBody(5), userBody(1)] });
  assert.equal(duplicate.status, 400);
  assert.match(String(duplicate.body.message), /item 1: User already exists/);

  const groups = await call<{ groups: UserGroup[] }>('POST', '/_sandbox/groups', {
    body: [{ name: 'Eng', members: [seeded.body.users[0]!._id] }],
  });
  assert.equal(groups.status, 200);
  const members = await call('GET', `/api/v2/usergroups/${groups.body.groups[0]!.id}/members`);
  assert.deepEqual(members.body, [{ to: { id: seeded.body.users[0]!._id, type: 'user' }, attributes: null }]);
  const badMember = await call('POST', '/_sandbox/groups', {
    body: { name: 'X', members: ['5a00000000000000000000ff'] },
  });
  assert.equal(badMember.status, 404);

  // A pre-existing user is found by email the way the import looks it up.
  const found = await call<{ totalCount: number }>('POST', '/api/search/systemusers', {
    body: { filter: { and: [{ email: 'pre.existing@example.com' }] } },
  });
  assert.equal(found.body.totalCount, 1);
  assert.deepEqual(sandbox.stats.snapshot().writes, {});
});

test('GET /_sandbox/state shows users, groups with members and applications with associations', async (t) => {
  const { call, sandbox } = await startSandbox(t);
  const [user] = seedUsers(sandbox, 1);
  const [group] = sandbox.seedGroups([{ name: 'Eng', members: [user!._id] }]);
  const [app] = sandbox.store.allApplications();
  await call('POST', `/api/v2/applications/${app!._id}/associations`, {
    body: { op: 'add', type: 'user_group', id: group!.id },
  });
  const state = (await call<DirectoryState>('GET', '/_sandbox/state')).body;
  assert.deepEqual(state.users, [user]);
  assert.deepEqual(state.groups, [{ ...group, members: [user!._id] }]);
  assert.equal(state.applications.length, 1);
  assert.equal(state.applications[0]!.displayLabel, 'Personio Import');
  assert.deepEqual(state.applications[0]!.associations, [{ type: 'user_group', id: group!.id }]);
});

test('POST /_sandbox/reset empties the directory, re-seeds applications, clears stats and faults', async (t) => {
  const { call, sandbox } = await startSandbox(t);
  await call('POST', '/api/systemusers', { body: userBody(1) });
  sandbox.seedGroups([{ name: 'Eng' }]);
  sandbox.faults.set({ latencyMs: 5 });
  const reset = await call('POST', '/_sandbox/reset');
  assert.equal(reset.status, 200);
  const state = (await call<DirectoryState>('GET', '/_sandbox/state')).body;
  assert.deepEqual(state.users, []);
  assert.deepEqual(state.groups, []);
  assert.deepEqual(
    state.applications.map((a) => a.displayLabel),
    ['Personio Import'],
  );
  assert.deepEqual(sandbox.stats.snapshot(), { requests: {}, writes: {}, totalRequests: 0 });
  assert.equal(sandbox.faults.settings.latencyMs, 0);
  assert.equal(
    (await call('POST', '/api/systemusers', { body: userBody(1) })).status,
    200,
    'values are free',
  );
});

test('stateFile keeps the directory across a restart, and ids are never reused', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'jumpcloud-sandbox-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const stateFile = join(dir, 'nested', 'jumpcloud.json');

  const first = createJumpCloudSandbox({ stateFile });
  const call1 = caller(await first.listen(0));
  const boss = (await call1<SystemUser>('POST', '/api/systemusers', { body: userBody(1) })).body;
  const user = (
    await call1<SystemUser>('POST', '/api/systemusers', { body: userBody(2, { manager: boss._id }) })
  ).body;
  await call1('PUT', `/api/systemusers/${user._id}`, { body: { state: 'SUSPENDED' } });
  const group = (await call1<UserGroup>('POST', '/api/v2/usergroups', { body: { name: 'Eng' } })).body;
  await call1('POST', `/api/v2/usergroups/${group.id}/members`, {
    body: { op: 'add', type: 'user', id: user._id },
  });
  const [app] = first.store.allApplications();
  await call1('POST', `/api/v2/applications/${app!._id}/associations`, {
    body: { op: 'add', type: 'user_group', id: group.id },
  });
  const before = (await call1<DirectoryState>('GET', '/_sandbox/state')).body;
  await first.close();
  assert.equal((JSON.parse(readFileSync(stateFile, 'utf8')) as { version: number }).version, 1);

  const second = createJumpCloudSandbox({ stateFile });
  t.after(() => second.close());
  const call2 = caller(await second.listen(0));
  assert.deepEqual((await call2<DirectoryState>('GET', '/_sandbox/state')).body, before);
  assert.equal(
    (await call2('POST', '/api/systemusers', { body: userBody(2) })).status,
    400,
    'indexes restored',
  );
  const member = await call2('POST', `/api/v2/usergroups/${group.id}/members`, {
    body: { op: 'add', type: 'user', id: user._id },
  });
  assert.equal(member.status, 409, 'memberships restored');
  const fresh = (await call2<SystemUser>('POST', '/api/systemusers', { body: userBody(3) })).body;
  assert.ok(fresh._id > user._id, 'the id counter continues');
  assert.equal(second.store.allApplications().length, 1, 'applications are not seeded twice');
});

test('a corrupt stateFile is refused with a clear error', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'jumpcloud-sandbox-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const stateFile = join(dir, 'jumpcloud.json');
  writeFileSync(stateFile, '{not json');
  assert.throws(() => createJumpCloudSandbox({ stateFile }), /not valid JSON/);
});

test('url is available only after listen', async (t) => {
  const sandbox = createJumpCloudSandbox();
  t.after(() => sandbox.close());
  assert.throws(() => sandbox.url, /listen/);
  const url = await sandbox.listen();
  assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
  assert.equal(sandbox.url, url);
});
