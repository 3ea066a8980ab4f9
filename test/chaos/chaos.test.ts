/**
 * The reliability suite's combined scenario on a small import (a few hundred employees, so
 * CI stays within minutes; `npm run chaos -- --employees 5000` is the big one): worker
 * SIGKILLs during the directory scan, mid-staging and while linking managers / binding
 * groups; the Temporal server killed and restarted on its database file; 10% 5xx and 2%
 * resets on both APIs, a 429 burst with and without Retry-After, a 10 s stall, every
 * Personio token expiring. Nothing may be lost or written twice.
 */
// No Temporal Runtime here (the worker runs in its own processes): an installed Runtime that
// never gets a native worker keeps the process from exiting.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chaosTable, runChaos } from './harness.js';

test('an import survives worker kills, a server restart and faulty APIs with the exact final state', async () => {
  const report = await runChaos({ employees: 250, log: (m) => console.log(`# chaos: ${m}`) });
  console.log(chaosTable(report).replace(/^/gm, '# '));
  assert.deepEqual(report.mismatches, []);
  assert.equal(report.duplicates, 0, 'no user created twice');
  assert.equal(report.lost, 0, 'no employee lost');
  assert.ok(report.finalStateCorrect);
  assert.ok(report.workerKills >= 3, 'at least three worker kills');
  assert.equal(report.serverRestarts, 1);
  for (const kind of ['serverError', 'reset', 'rateLimited', 'stall']) {
    assert.ok((report.faultsInjected[kind] ?? 0) > 0, `faults of kind ${kind} were injected`);
  }
});
