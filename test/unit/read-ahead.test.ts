// The read-ahead's rules (activities/read-ahead.ts) against a real JumpCloud sandbox: the
// answers are taken once, only for the page they were read for and only when they cover
// every employee the preview plans; old or failed answers make the preview look up itself.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { JumpCloudClient } from '../../clients/jumpcloud.js';
import { JumpCloudReadAhead } from '../../activities/read-ahead.js';
import { createJumpCloudSandbox, SANDBOX_JUMPCLOUD_API_KEY } from '../../sandbox/jumpcloud/server.js';
import { employee } from './domain/employee-fixture.js';

describe('JumpCloudReadAhead', () => {
  const sandbox = createJumpCloudSandbox();
  let jumpcloud: JumpCloudClient;
  before(async () => {
    await sandbox.listen(0);
    jumpcloud = new JumpCloudClient({ baseUrl: sandbox.url, apiKey: SANDBOX_JUMPCLOUD_API_KEY });
    await jumpcloud.createUser({
      username: 'anna',
      email: 'anna@example.com',
      employeeIdentifier: '1',
      firstname: 'Anna',
      lastname: 'A',
    });
    await jumpcloud.createUser({ username: 'boss', email: 'boss@example.com', employeeIdentifier: '9' });
  });
  after(() => sandbox.close());

  const page = [
    employee({ personioId: 1, email: 'anna@example.com', supervisorId: 9 }),
    employee({ personioId: 2, email: 'ben@example.com', supervisorId: 9 }),
  ];
  const searches = () => sandbox.stats.snapshot().requests['POST /api/search/systemusers']?.['200'] ?? 0;

  it('reads a page’s users, supervisors included, and hands them over once', async () => {
    const readAhead = new JumpCloudReadAhead(jumpcloud);
    const before = searches();
    readAhead.start('page-0', page);
    const users = await readAhead.take('page-0', page);
    assert.ok(users);
    assert.equal(users.byId.get('1')?.[0]?.username, 'anna');
    assert.equal(users.byId.has('2'), false);
    assert.deepEqual([...users.byEmail.keys()], [], 'ben has no user by email either');
    assert.equal(users.supervisors.get('9')?.[0]?.username, 'boss');
    assert.equal(searches() - before, 3, 'by id, by email, the supervisors');
    assert.equal(await readAhead.take('page-0', page), undefined, 'taken once');
    assert.equal(readAhead.size, 0);
  });

  it('another page, or an employee it did not read: none', async () => {
    const readAhead = new JumpCloudReadAhead(jumpcloud);
    readAhead.start('page-0', page.slice(0, 1));
    assert.equal(await readAhead.take('page-1', page.slice(0, 1)), undefined);
    assert.equal(await readAhead.take('page-0', page), undefined, 'ben was not read');
  });

  it('answers older than ten minutes are dropped; failed lookups are none', async () => {
    let now = 0;
    const readAhead = new JumpCloudReadAhead(jumpcloud, () => now);
    readAhead.start('page-0', page);
    now = 10 * 60_000 + 1;
    assert.equal(await readAhead.take('page-0', page), undefined, 'too old');
    readAhead.start('page-1', page);
    now = 30 * 60_000;
    readAhead.start('page-2', page);
    assert.equal(readAhead.size, 1, 'old pages are forgotten as new ones come');

    const broken = new JumpCloudClient({ baseUrl: sandbox.url, apiKey: 'wrong-key' });
    const failing = new JumpCloudReadAhead(broken);
    failing.start('page-0', page);
    assert.equal(await failing.take('page-0', page), undefined, 'a refused lookup: the preview asks itself');
  });
});
