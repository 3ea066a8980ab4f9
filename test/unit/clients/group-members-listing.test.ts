// JumpCloudClient.listGroupMembers against the sandbox: the first page's x-total-count lets the
// other pages be asked at once (paced by the client's caps) rather than one round trip after
// another, and every member comes back once, whatever the group's size.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { JumpCloudClient } from '../../../clients/jumpcloud.js';
import { createJumpCloudSandbox, SANDBOX_JUMPCLOUD_API_KEY } from '../../../sandbox/jumpcloud/server.js';

describe('listing a group’s members', () => {
  const sandbox = createJumpCloudSandbox();
  let jumpcloud: JumpCloudClient;
  let inFlight = 0;
  let peak = 0;
  before(async () => {
    // Counted on arrival, before the sandbox's latency fault holds the request.
    sandbox.app.server.on('request', (req, res) => {
      if (req.method !== 'GET' || !req.url?.includes('/members')) return;
      peak = Math.max(peak, ++inFlight);
      res.on('finish', () => inFlight--);
    });
    await sandbox.listen(0);
    jumpcloud = new JumpCloudClient({
      baseUrl: sandbox.url,
      apiKey: SANDBOX_JUMPCLOUD_API_KEY,
      maxConcurrency: 4,
    });
  });
  after(() => sandbox.close());

  async function groupOf(name: string, size: number): Promise<{ id: string; members: string[] }> {
    const { group } = await jumpcloud.ensureGroup(name, 'test');
    const members: string[] = [];
    for (let i = 0; i < size; i++) {
      const user = await jumpcloud.createUser({
        username: `${name}-${i}`,
        email: `${name}-${i}@example.com`,
      });
      await jumpcloud.addMember(group.id, user._id);
      members.push(user._id);
    }
    return { id: group.id, members };
  }
  const listings = () =>
    sandbox.stats.snapshot().requests['GET /api/v2/usergroups/:gid/members']?.['200'] ?? 0;

  for (const size of [0, 99, 100, 250, 300]) {
    it(`${size} members: each once`, async () => {
      const { id, members } = await groupOf(`g${size}`, size);
      const listed = await jumpcloud.listGroupMembers(id);
      assert.deepEqual([...listed].sort(), [...members].sort());
    });
  }

  it('the pages after the first are asked at once', async () => {
    const { id } = await groupOf('wide', 500);
    sandbox.faults.set({ latencyMs: 50 });
    peak = 0;
    const before = listings();
    const listed = await jumpcloud.listGroupMembers(id);
    sandbox.faults.set({ latencyMs: 0 });
    assert.equal(listed.length, 500);
    assert.equal(listings() - before, 5, 'five pages of 100, each asked once');
    assert.equal(peak, 4, 'four pages in flight (the client’s cap), not one after another');
  });
});
