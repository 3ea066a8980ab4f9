/**
 * PERSONIO_REQUESTS_PER_MINUTE through the real worker and CLI: a Personio account whose
 * employees endpoint allows only 20 requests a minute (the sandbox set that low, so the minute
 * rule binds within a short test) and a worker told the same. An import needing 25 page reads
 * spreads them over more than a minute, never sends more than 20 in any 60 s, and Personio
 * refuses nothing. And two workers on one task queue keep to it together (PERSONIO_SHARED_BUDGET,
 * on by default: one budget through Temporal, the `apiBudget` workflow).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PersonioSandbox } from '../../sandbox/personio/server.js';
import { startRealProcesses } from '../helpers/real-processes.js';

const PER_MINUTE = 20;
const LIST = 'GET /v1/company/employees';

/** Notes when each Personio request (`prefix`) arrives. */
function recordArrivals(personio: PersonioSandbox, prefix: string): number[] {
  const arrivals: number[] = [];
  personio.app.addHook('onRequest', async (req) => {
    if (req.url.startsWith(prefix)) arrivals.push(performance.now());
  });
  return arrivals;
}

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
  let arrivals: number[] = [];
  const project = await startRealProcesses(t, {
    personio: { employees: 250, seed: 61, employeesRateLimit: { perSecond: 15, perMinute: PER_MINUTE } },
    beforeListen: ({ personio }) => (arrivals = recordArrivals(personio, '/v1/')),
    workerEnv: { PERSONIO_REQUESTS_PER_MINUTE: String(PER_MINUTE) },
  });
  const { personio } = project;

  const cli = await project.cli(['import', '--notify', 'never', '--page-size', '10']);
  assert.equal(cli.code, 0, cli.output);
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
  let arrivals: number[] = [];
  // One activity at a time each: the two previews' directory reads run on different workers.
  const project = await startRealProcesses(t, {
    personio: { employees: 100, seed: 62, employeesRateLimit: { perSecond: 15, perMinute } },
    beforeListen: ({ personio }) => (arrivals = recordArrivals(personio, '/v1/company/')),
    workerEnv: {
      PERSONIO_REQUESTS_PER_MINUTE: String(perMinute),
      PERSONIO_SHARED_BUDGET: 'on',
      WORKER_MAX_CONCURRENT_ACTIVITIES: '1',
    },
  });
  const { personio, taskQueue } = project;
  await project.startWorker();

  // Two previews at once (a preview writes nothing, so both may run): 2 × 10 page reads.
  const previews = ['a', 'b'].map((id) =>
    project.cli([
      'import',
      '--dry-run',
      '--notify',
      'never',
      '--page-size',
      '10',
      '--id',
      `${taskQueue}-${id}`,
    ]),
  );
  for (const p of await Promise.all(previews)) assert.equal(p.code, 0, p.output);
  const reads = personio.stats.snapshot().requests[LIST] ?? {};
  assert.equal(reads['200'], 20, `each preview read its 10 pages once (${JSON.stringify(reads)})`);
  assert.equal(reads['429'] ?? 0, 0, 'the two workers together kept to the one limit');
  const peak = peakPerMinute(arrivals);
  assert.ok(peak <= perMinute, `${peak} Personio page reads within one minute (the limit is ${perMinute})`);
  const budgets = [];
  for await (const w of project.client.workflow.list({
    query: `WorkflowType = "apiBudget" AND TaskQueue = "${taskQueue}"`,
  }))
    budgets.push(w.workflowId);
  assert.equal(budgets.length, 1, `one shared budget for the credential: ${budgets.join(', ')}`);
});
