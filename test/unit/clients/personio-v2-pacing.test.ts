/**
 * The v2 client paces through clients/http.ts's shared limiter: against a bucket much tighter
 * than its own rule it follows the `x-ratelimit-*` headers (waits when no token is left), waits
 * out the rare 429 (no Retry-After) and reads every employee exactly as with no limit at all.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PersonioV2Client } from '../../../clients/personio-v2.js';
import {
  createPersonioSandbox,
  SANDBOX_CLIENT_ID,
  SANDBOX_CLIENT_SECRET,
} from '../../../sandbox/personio/server.js';
import type { BucketRule } from '../../../sandbox/personio/v2-rate-limit.js';

async function readAll(v2RateLimit: BucketRule | false) {
  const sandbox = createPersonioSandbox({ employees: 40, seed: 3, v2RateLimit });
  const url = await sandbox.listen(0);
  try {
    const client = new PersonioV2Client({
      baseUrl: url,
      clientId: SANDBOX_CLIENT_ID,
      clientSecret: SANDBOX_CLIENT_SECRET,
      appId: 'TEST',
    });
    const page = await client.listEmployees({ offset: 0, limit: 100 });
    const answers = Object.values(sandbox.stats.snapshot().requests);
    const count = (status: string) => answers.reduce((n, byStatus) => n + (byStatus[status] ?? 0), 0);
    return { records: page.records, sent: client.requestsSent, limited: count('429'), ok: count('200') };
  } finally {
    await sandbox.close();
  }
}

test('a bucket tighter than the client’s own rule: headers followed, every employee read', async () => {
  const free = await readAll(false);
  const tight = await readAll({ replenishRate: 10, burstCapacity: 10 });
  assert.equal(tight.records.length, 40);
  assert.deepEqual(tight.records, free.records, 'the same records as with no limit');
  assert.equal(tight.sent, tight.ok + tight.limited, 'every request answered 200 or 429, none failed');
  assert.ok(
    tight.limited <= tight.sent / 4,
    `few 429s: the headers make requests wait (${tight.limited} of ${tight.sent})`,
  );
});
