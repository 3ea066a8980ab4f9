/**
 * No worker on the task queue, as an admin meets it: `import` says within seconds that no
 * worker polls (and keeps saying it while it waits), `status` says so instead of a query
 * that times out, a worker started later takes the import to its end, and `cancel` on the
 * finished import says it has finished.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createJumpCloudSandbox, SANDBOX_JUMPCLOUD_API_KEY } from '../../sandbox/jumpcloud/server.js';
import {
  createPersonioSandbox,
  SANDBOX_CLIENT_ID,
  SANDBOX_CLIENT_SECRET,
} from '../../sandbox/personio/server.js';
import { taskQueueFor, testTemporal } from '../helpers/temporal.js';
import { until } from '../helpers/wait.js';
import { runProject, type ProcessHandle } from '../helpers/worker-process.js';

const NO_WORKER = /No worker is polling task queue "([^"]+)"/;

describe('an import with no worker on its task queue', () => {
  const personio = createPersonioSandbox({ employees: 20, seed: 5 });
  const jumpcloud = createJumpCloudSandbox();
  let common: Record<string, string>;
  let importer: ProcessHandle;
  let worker: ProcessHandle | undefined;
  let taskQueue: string;

  before(async () => {
    await personio.listen(0);
    await jumpcloud.listen(0);
    const { address } = await testTemporal();
    taskQueue = taskQueueFor('no-worker');
    common = { TEMPORAL_ADDRESS: address, TEMPORAL_TASK_QUEUE: taskQueue, PAYLOAD_ENCRYPTION: 'off' };
    importer = runProject('client/cli.ts', ['import', '--notify', 'never'], common);
  });

  after(async () => {
    await importer?.stop();
    await worker?.stop();
    await personio.close();
    await jumpcloud.close();
  });

  it('import says that no worker polls the queue, and keeps saying it', async () => {
    const line = await importer.waitFor(NO_WORKER);
    assert.equal(NO_WORKER.exec(line)![1], taskQueue);
    assert.match(line, /npm run worker/);
    await until('the warning repeated', async () =>
      importer.output.filter((l) => NO_WORKER.test(l)).length >= 2 ? true : undefined,
    );
  });

  it('status says so instead of waiting for a query to time out', async () => {
    const status = runProject('client/cli.ts', ['status'], common);
    assert.equal(await status.exited, 0, status.output.join('\n'));
    const out = status.output.join('\n');
    assert.match(out, /RUNNING/);
    assert.match(out, NO_WORKER);
  });

  it('a worker started later takes the import to its end, and the CLI says so', async () => {
    worker = runProject('worker/main.ts', [], {
      ...common,
      PERSONIO_BASE_URL: personio.url,
      PERSONIO_CLIENT_ID: SANDBOX_CLIENT_ID,
      PERSONIO_CLIENT_SECRET: SANDBOX_CLIENT_SECRET,
      JUMPCLOUD_BASE_URL: jumpcloud.url,
      JUMPCLOUD_API_KEY: SANDBOX_JUMPCLOUD_API_KEY,
    });
    assert.equal(await importer.exited, 0, importer.output.join('\n'));
    const out = importer.output.join('\n');
    assert.match(out, /A worker polls task queue .* now/);
    assert.match(out, /20 employees read/);
  });

  it('cancel on the finished import says it has finished', async () => {
    const cancel = runProject('client/cli.ts', ['cancel'], common);
    assert.equal(await cancel.exited, 0, cancel.output.join('\n'));
    const out = cancel.output.join('\n');
    assert.match(out, /is not running: it ended COMPLETED/);
    assert.doesNotMatch(out, /waiting for it to stop/);
  });
});
