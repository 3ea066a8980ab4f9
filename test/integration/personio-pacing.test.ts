/**
 * PERSONIO_REQUESTS_PER_MINUTE through the real worker and CLI: a Personio account whose
 * employees endpoint allows only 20 requests a minute (the sandbox set that low, so the minute
 * rule binds within a short test) and a worker told the same. An import needing 25 page reads
 * spreads them over more than a minute, never sends more than 20 in any 60 s, and Personio
 * refuses nothing. And two workers on one task queue keep to it together (PERSONIO_SHARED_BUDGET,
 * on by default: one budget through Temporal, the `apiBudget` workflow).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { Client } from '@temporalio/client';
import { createJumpCloudSandbox, SANDBOX_JUMPCLOUD_API_KEY } from '../../sandbox/jumpcloud/server.js';
import {
  createPersonioSandbox,
  SANDBOX_CLIENT_ID,
  SANDBOX_CLIENT_SECRET,
} from '../../sandbox/personio/server.js';
import { taskQueueFor, testTemporal } from '../helpers/temporal.js';
import { runProject } from '../helpers/worker-process.js';

const PER_MINUTE = 20;
const LIST = 'GET /v1/company/employees';

/** The most arrivals within any 60 s. */
function peakPerMinute(arrivals: number[]): number {
  let peak = 0;
  for (let i = 0, j = 0; i < arrivals.length; i++) {
    while (arrivals[i]! - arrivals[j]! >= 60_000) j++;
    peak = Math.max(peak, i - j + 1);
  }
  return peak;
}

test('PERSONIO_REQUESTS_PER_MINUTE: at most that many Personio requests in any minute, none refused', async (t) => {
  const personio = createPersonioSandbox({
    employees: 250,
    seed: 61,
    employeesRateLimit: { perSecond: 15, perMinute: PER_MINUTE },
  });
  const arrivals: number[] = [];
  personio.app.addHook('onRequest', async (req) => {
    if (req.url.startsWith('/v1/')) arrivals.push(performance.now());
  });
  const jumpcloud = createJumpCloudSandbox();
  await personio.listen(0);
  await jumpcloud.listen(0);
  const { address } = await testTemporal();
  const common = {
    TEMPORAL_ADDRESS: address,
    TEMPORAL_TASK_QUEUE: taskQueueFor('personio-pacing'),
    PAYLOAD_KEYS: `k:${randomBytes(32).toString('base64')}`,
  };
  const worker = runProject('worker/main.ts', [], {
    ...common,
    PERSONIO_BASE_URL: personio.url,
    PERSONIO_CLIENT_ID: SANDBOX_CLIENT_ID,
    PERSONIO_CLIENT_SECRET: SANDBOX_CLIENT_SECRET,
    PERSONIO_REQUESTS_PER_MINUTE: String(PER_MINUTE),
    JUMPCLOUD_BASE_URL: jumpcloud.url,
    JUMPCLOUD_API_KEY: SANDBOX_JUMPCLOUD_API_KEY,
  });
  t.after(async () => {
    await worker.stop('SIGTERM');
    await personio.close();
    await jumpcloud.close();
  });
  await worker.waitFor(/worker started/);

  const cli = runProject('client/cli.ts', ['import', '--notify', 'never', '--page-size', '10'], common);
  const code = await cli.exited;
  assert.equal(code, 0, cli.output.join('\n'));
  const reads = personio.stats.snapshot().requests[LIST] ?? {};
  assert.equal(reads['200'], 25, `25 pages of 10, each read once (${JSON.stringify(reads)})`);
  assert.equal(arrivals.length, 26, 'one token and the 25 page reads: nothing read twice');
  assert.equal(reads['429'] ?? 0, 0, 'paced by the worker: Personio refused nothing');
  const peak = peakPerMinute(arrivals);
  assert.ok(peak <= PER_MINUTE, `${peak} Personio requests within one minute`);
  const spread = arrivals.at(-1)! - arrivals[0]!;
  assert.ok(
    spread >= 60_000,
    `the reads beyond ${PER_MINUTE} waited for the minute: spread over ${spread} ms`,
  );
});

test('PERSONIO_SHARED_BUDGET: two workers on one task queue keep to one Personio budget together', async (t) => {
  const perMinute = 15;
  const personio = createPersonioSandbox({
    employees: 100,
    seed: 62,
    employeesRateLimit: { perSecond: 15, perMinute },
  });
  const arrivals: number[] = [];
  personio.app.addHook('onRequest', async (req) => {
    if (req.url.startsWith('/v1/company/')) arrivals.push(performance.now());
  });
  const jumpcloud = createJumpCloudSandbox();
  await personio.listen(0);
  await jumpcloud.listen(0);
  const { address, connection } = await testTemporal();
  const common = {
    TEMPORAL_ADDRESS: address,
    TEMPORAL_TASK_QUEUE: taskQueueFor('personio-shared-budget'),
    PAYLOAD_KEYS: `k:${randomBytes(32).toString('base64')}`,
  };
  // One activity at a time each: the two previews' directory reads run on different workers.
  const workerEnv = {
    ...common,
    PERSONIO_BASE_URL: personio.url,
    PERSONIO_CLIENT_ID: SANDBOX_CLIENT_ID,
    PERSONIO_CLIENT_SECRET: SANDBOX_CLIENT_SECRET,
    PERSONIO_REQUESTS_PER_MINUTE: String(perMinute),
    PERSONIO_SHARED_BUDGET: 'on',
    WORKER_MAX_CONCURRENT_ACTIVITIES: '1',
    JUMPCLOUD_BASE_URL: jumpcloud.url,
    JUMPCLOUD_API_KEY: SANDBOX_JUMPCLOUD_API_KEY,
  };
  const workers = [runProject('worker/main.ts', [], workerEnv), runProject('worker/main.ts', [], workerEnv)];
  t.after(async () => {
    for (const w of workers) await w.stop('SIGTERM');
    await personio.close();
    await jumpcloud.close();
  });
  for (const w of workers) await w.waitFor(/worker started/);

  // Two previews at once (a preview writes nothing, so both may run): 2 × 10 page reads.
  const previews = ['a', 'b'].map((id) =>
    runProject(
      'client/cli.ts',
      [
        'import',
        '--dry-run',
        '--notify',
        'never',
        '--page-size',
        '10',
        '--id',
        `${common.TEMPORAL_TASK_QUEUE}-${id}`,
      ],
      common,
    ),
  );
  for (const p of previews) assert.equal(await p.exited, 0, p.output.join('\n'));
  const reads = personio.stats.snapshot().requests[LIST] ?? {};
  assert.equal(reads['200'], 20, `each preview read its 10 pages once (${JSON.stringify(reads)})`);
  assert.equal(reads['429'] ?? 0, 0, 'the two workers together kept to the one limit');
  const peak = peakPerMinute(arrivals);
  assert.ok(peak <= perMinute, `${peak} Personio page reads within one minute (the limit is ${perMinute})`);
  const budgets = [];
  for await (const w of new Client({ connection }).workflow.list({
    query: `WorkflowType = "apiBudget" AND TaskQueue = "${common.TEMPORAL_TASK_QUEUE}"`,
  }))
    budgets.push(w.workflowId);
  assert.equal(budgets.length, 1, `one shared budget for the credential: ${budgets.join(', ')}`);
});
