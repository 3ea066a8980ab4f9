/**
 * Several worker processes on one task queue share an import and produce exactly the
 * result one worker would; each answers its health check and stops cleanly on SIGTERM.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { freePort } from '../../local-temporal/dev-server.js';
import { createJumpCloudSandbox, SANDBOX_JUMPCLOUD_API_KEY } from '../../sandbox/jumpcloud/server.js';
import {
  createPersonioSandbox,
  SANDBOX_CLIENT_ID,
  SANDBOX_CLIENT_SECRET,
} from '../../sandbox/personio/server.js';
import { expectedUsers } from '../helpers/expected-directory.js';
import { taskQueueFor, testTemporal } from '../helpers/temporal.js';
import { runProject } from '../helpers/worker-process.js';

test('three workers on one task queue finish an import with the exact result', async () => {
  const employees = 240;
  const personio = createPersonioSandbox({ employees, seed: 31 });
  const jumpcloud = createJumpCloudSandbox();
  await personio.listen(0);
  await jumpcloud.listen(0);
  const { address } = await testTemporal();
  const taskQueue = taskQueueFor('multiple-workers');
  const common = {
    TEMPORAL_ADDRESS: address,
    TEMPORAL_TASK_QUEUE: taskQueue,
    PAYLOAD_KEYS: `k:${randomBytes(32).toString('base64')}`,
  };
  const healthPorts = [await freePort(), await freePort(), await freePort()];
  const workers = healthPorts.map((port) =>
    runProject('worker/main.ts', [], {
      ...common,
      PERSONIO_BASE_URL: personio.url,
      PERSONIO_CLIENT_ID: SANDBOX_CLIENT_ID,
      PERSONIO_CLIENT_SECRET: SANDBOX_CLIENT_SECRET,
      JUMPCLOUD_BASE_URL: jumpcloud.url,
      JUMPCLOUD_API_KEY: SANDBOX_JUMPCLOUD_API_KEY,
      HEALTH_BIND_ADDRESS: `127.0.0.1:${port}`,
    }),
  );
  try {
    await Promise.all(workers.map((w) => w.waitFor(/worker started/)));
    for (const port of healthPorts) {
      const health = await fetch(`http://127.0.0.1:${port}/healthz`);
      assert.equal(health.status, 200);
    }
    const cli = runProject('client/cli.ts', ['import', '--page-size', '20', '--notify', 'never'], common);
    assert.equal(await cli.exited, 0, cli.output.join('\n'));

    const records = Array.from({ length: employees }, (_, i) => personio.data.get(1001 + i)!);
    const expected = expectedUsers(records);
    const state = (await (await fetch(`${jumpcloud.url}/_sandbox/state`)).json()) as {
      users: { employeeIdentifier: string }[];
    };
    assert.deepEqual(
      state.users.map((u) => Number(u.employeeIdentifier)).sort((a, b) => a - b),
      [...expected.keys()].sort((a, b) => a - b),
    );
    assert.equal(jumpcloud.stats.snapshot().writes.usersCreated, expected.size, 'no user created twice');
    const busy = workers.filter((w) => w.output.some((l) => l.includes('"employee staged"')));
    assert.ok(busy.length >= 2, `the work was shared (${busy.length} of 3 workers staged employees)`);
  } finally {
    const codes = await Promise.all(workers.map((w) => w.stop('SIGTERM')));
    assert.deepEqual(codes, [0, 0, 0], 'every worker stops cleanly on SIGTERM');
    await personio.close();
    await jumpcloud.close();
  }
});
