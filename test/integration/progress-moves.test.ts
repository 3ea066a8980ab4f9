/**
 * The CLI's progress moves with every employee written, not a page at a time: through the
 * real worker and CLI (its plain lines, as in a CI log), the staging lines count the
 * employees the pages in flight have finished. A small company's pages are all in flight at
 * once (here the one page of 90), so before this the bar sat at 0 until the page was done.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startRealProcesses } from '../helpers/real-processes.js';

test('the staging lines count each employee the pages in flight have finished', async (t) => {
  const project = await startRealProcesses(t, {
    personio: { employees: 90, seed: 11 },
    // Slow enough that staging outlasts a few of the CLI's plain lines (one every 5 s).
    workerEnv: { JUMPCLOUD_REQUESTS_PER_SECOND: '12' },
  });
  const run = await project.cli(['import', '--notify', 'never']);
  assert.equal(run.code, 0, run.output);
  const staging = [...run.output.matchAll(/^\[staging\] (\d+)\/90 employees/gm)].map((m) => Number(m[1]));
  assert.ok(
    staging.some((n) => n > 0 && n < 90),
    `a staging line between 0 and 90 employees; got ${JSON.stringify(staging)}`,
  );
  for (let i = 1; i < staging.length; i++)
    assert.ok(staging[i]! >= staging[i - 1]!, `progress never goes back: ${JSON.stringify(staging)}`);
  assert.match(run.output, /90 employees read/);
});
