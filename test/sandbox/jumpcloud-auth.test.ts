import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SANDBOX_JUMPCLOUD_API_KEY } from '../../sandbox/jumpcloud/server.js';
import { startSandbox } from './jumpcloud-helpers.js';

const UNAUTHORIZED = { error: 'Unauthorized', message: 'Unauthorized: api key user not found' };
const ORG = '5f00000000000000000000aa';

test('a request without x-api-key is 401 with the exact JumpCloud body', async (t) => {
  const { call } = await startSandbox(t);
  for (const path of ['/api/systemusers', '/api/v2/usergroups', '/api/applications', '/api/nowhere']) {
    const response = await call('GET', path, { apiKey: null });
    assert.equal(response.status, 401, path);
    assert.deepEqual(response.body, UNAUTHORIZED);
  }
});

test('a wrong key is 401 for reads and writes alike, and nothing is written', async (t) => {
  const { call, sandbox } = await startSandbox(t);
  const read = await call('GET', '/api/systemusers', { apiKey: 'not-the-key' });
  assert.equal(read.status, 401);
  assert.deepEqual(read.body, UNAUTHORIZED);
  const write = await call('POST', '/api/systemusers', {
    apiKey: SANDBOX_JUMPCLOUD_API_KEY.toUpperCase(),
    body: { username: 'ann', email: 'ann@example.com' },
  });
  assert.equal(write.status, 401);
  assert.equal(sandbox.store.userCount, 0);
});

test('the default key works and SANDBOX_JUMPCLOUD_API_KEY is exported', async (t) => {
  const { call } = await startSandbox(t);
  assert.equal(SANDBOX_JUMPCLOUD_API_KEY, 'sandbox-jumpcloud-api-key');
  assert.equal((await call('GET', '/api/systemusers')).status, 200);
});

test('key length is never validated: legacy 40-char and long jca_ keys both work', async (t) => {
  for (const apiKey of ['a'.repeat(40), `jca_${'Z9'.repeat(30)}`, 'k']) {
    const { call } = await startSandbox(t, { apiKey });
    assert.equal((await call('GET', '/api/systemusers')).status, 200, apiKey);
    assert.equal((await call('GET', '/api/systemusers', { apiKey: `${apiKey}x` })).status, 401);
  }
});

test('with orgId configured, x-org-id missing is 401, malformed 400, unknown 404, right 200', async (t) => {
  const { call } = await startSandbox(t, { orgId: ORG });
  const missing = await call('GET', '/api/systemusers');
  assert.equal(missing.status, 401);
  assert.equal(typeof missing.body.message, 'string');
  const malformed = await call('GET', '/api/systemusers', { headers: { 'x-org-id': 'not-an-object-id' } });
  assert.equal(malformed.status, 400);
  assert.equal(typeof malformed.body.message, 'string');
  const unknown = await call('GET', '/api/systemusers', {
    headers: { 'x-org-id': '5f00000000000000000000bb' },
  });
  assert.equal(unknown.status, 404);
  const right = await call('GET', '/api/v2/usergroups', { headers: { 'x-org-id': ORG } });
  assert.equal(right.status, 200);
});

test('the api key is checked before the organisation', async (t) => {
  const { call } = await startSandbox(t, { orgId: ORG });
  const response = await call('GET', '/api/systemusers', { apiKey: 'wrong', headers: { 'x-org-id': 'bad' } });
  assert.equal(response.status, 401);
  assert.deepEqual(response.body, UNAUTHORIZED);
});

test('users created under an org carry it as their organization', async (t) => {
  const { call } = await startSandbox(t, { orgId: ORG });
  const created = await call('POST', '/api/systemusers', {
    headers: { 'x-org-id': ORG },
    body: { username: 'ann', email: 'ann@example.com' },
  });
  assert.equal(created.status, 200);
  assert.equal(created.body.organization, ORG);
});

test('a malformed orgId option is refused at construction', async (t) => {
  await assert.rejects(async () => startSandbox(t, { orgId: 'xyz' }), /orgId must be 24/);
});

test('admin routes need no key and no org', async (t) => {
  const { call } = await startSandbox(t, { orgId: ORG });
  for (const path of ['/_sandbox/state', '/_sandbox/stats', '/_sandbox/faults']) {
    assert.equal((await call('GET', path, { apiKey: null })).status, 200, path);
  }
});
