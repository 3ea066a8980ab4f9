/**
 * The CLI's progress moves with every employee written, not a page at a time: through the
 * real worker and CLI (its plain lines, as in a CI log), the staging lines count the
 * employees the pages in flight have finished. A small company's pages are all in flight at
 * once (here the one page of 90), so before this the bar sat at 0 until the page was done.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createJumpCloudSandbox, SANDBOX_JUMPCLOUD_API_KEY } from '../../sandbox/jumpcloud/server.js';
import {
  createPersonioSandbox,
  SANDBOX_CLIENT_ID,
  SANDBOX_CLIENT_SECRET,
} from '../../sandbox/personio/server.js';
import { taskQueueFor, testTemporal } from '../helpers/temporal.js';
import { runProject, type ProcessHandle } from '../helpers/worker-process.js';

const personio = createPersonioSandbox({ employees: 90, seed: 11 });
const jumpcloud = createJumpCloudSandbox();
let worker: ProcessHandle;
let common: Record<string, string>;

before(async () => {
  await personio.listen(0);
  await jumpcloud.listen(0);
  const { address } = await testTemporal();
  common = {
    TEMPORAL_ADDRESS: address,
    TEMPORAL_TASK_QUEUE: taskQueueFor('progress-moves'),
    PAYLOAD_ENCRYPTION: 'off',
  };
  worker = runProject('worker/main.ts', [], {
    ...common,
    PERSONIO_BASE_URL: personio.url,
    PERSONIO_CLIENT_ID: SANDBOX_CLIENT_ID,
    PERSONIO_CLIENT_SECRET: SANDBOX_CLIENT_SECRET,
    JUMPCLOUD_BASE_URL: jumpcloud.url,
    JUMPCLOUD_API_KEY: SANDBOX_JUMPCLOUD_API_KEY,
    // Slow enough that staging outlasts a few of the CLI's plain lines (one every 5 s).
    JUMPCLOUD_REQUESTS_PER_SECOND: '12',
  });
  await worker.waitFor(/worker started/, 120_000);
});

after(async () => {
  await worker?.stop();
  await personio.close();
  await jumpcloud.close();
});

test('the staging lines count each employee the pages in flight have finished', async () => {
  const cli = runProject('client/cli.ts', ['import', '--notify', 'never'], common);
  assert.equal(await cli.exited, 0, cli.output.join('\n'));
  const staging = cli.output
    .map((line) => /^\[staging\] (\d+)\/90 employees/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => Number(m[1]));
  assert.ok(
    staging.some((n) => n > 0 && n < 90),
    `a staging line between 0 and 90 employees; got ${JSON.stringify(staging)}`,
  );
  for (let i = 1; i < staging.length; i++)
    assert.ok(staging[i]! >= staging[i - 1]!, `progress never goes back: ${JSON.stringify(staging)}`);
  assert.match(cli.output.join('\n'), /90 employees read/);
});
