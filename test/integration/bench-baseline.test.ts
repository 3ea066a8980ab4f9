/**
 * The benchmark's plain-loop baseline (bench/baseline.ts) is as lean as the import it is
 * measured against: like the page workflow, it trusts the page's batched lookup of who has no
 * JumpCloud user yet (StageRequest.knownAbsent) and creates them without looking each one up
 * again. Both run a first import of the same directory into an empty JumpCloud.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runBaseline } from '../../bench/baseline.js';
import { parseImportInput } from '../../domain/import-input.js';
import { startImportEnv } from '../helpers/import-env.js';

const EMPLOYEES = 250;
const SEARCH = 'POST /api/search/systemusers';

test('the plain-loop baseline looks users up no more than the import does', async (t) => {
  const env = await startImportEnv(t, { personio: { employees: EMPLOYEES, seed: 42 } });
  const options = { pageSize: 100, notify: { when: 'never' as const } };
  const parsed = parseImportInput(options);
  assert.ok(parsed.ok);

  const baseline = await runBaseline({
    deps: env.makeDeps(),
    input: parsed.input,
    activitySlots: 16,
    pagesInFlight: 2,
  });
  const baselineSearches = Object.values(env.jumpcloud.stats.snapshot().requests[SEARCH] ?? {}).reduce(
    (a, b) => a + b,
    0,
  );
  assert.ok(baseline.counts.created >= EMPLOYEES * 0.9, `${baseline.counts.created} created`);

  env.jumpcloud.reset();
  const run = await env.runImport(options);
  const importSearches = Object.values(env.jumpcloud.stats.snapshot().requests[SEARCH] ?? {}).reduce(
    (a, b) => a + b,
    0,
  );
  t.diagnostic(`user lookups: baseline ${baselineSearches}, import ${importSearches}`);
  assert.equal(baseline.counts.created, run.report.counts.created, 'both create the same users');
  // Looking each created user up again would cost at least one search per user.
  assert.ok(
    baselineSearches < baseline.counts.created,
    `${baselineSearches} searches for ${baseline.counts.created} created users`,
  );
  assert.ok(baselineSearches <= importSearches, `baseline ${baselineSearches}, import ${importSearches}`);
});
