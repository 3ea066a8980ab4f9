/**
 * Starting an import: two starts at the same moment give one run that imports once, and a
 * malformed input fails the workflow at once, naming every bad field, before any API call.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApplicationFailure, WorkflowFailedError, type WorkflowExecutionInfo } from '@temporalio/client';
import { startOrAttach } from '../../client/import-command.js';
import { parseImportInput } from '../../domain/import-input.js';
import { totalOutcomes } from '../../domain/outcomes.js';
import { IMPORT_WORKFLOW_TYPE, progressQuery } from '../../workflows/import-api.js';
import { importEmployees } from '../../workflows/index.js';
import { startImportEnv } from '../helpers/import-env.js';

const EMPLOYEES = 40;

test('two starts at the same moment give one run, and the import happens once', async (t) => {
  const env = await startImportEnv(t, { personio: { employees: EMPLOYEES, seed: 21 } });
  const raw = { pageSize: 10, notify: { when: 'never' } };
  const parsed = parseImportInput(raw);
  assert.ok(parsed.ok);
  const workflowId = `${env.taskQueue}-import`;

  const { starts, reports, progress } = await env.withImportWorker(async () => {
    const starts = await Promise.all([
      startOrAttach(env.client, env.taskQueue, workflowId, raw, parsed.input),
      startOrAttach(env.client, env.taskQueue, workflowId, raw, parsed.input),
    ]);
    const reports = await Promise.all(starts.map((s) => s.handle.result()));
    // Queried after the end, while the worker still runs: the final progress.
    const progress = await starts[0].handle.query(progressQuery);
    return { starts, reports, progress };
  });

  assert.deepEqual(
    starts.map((s) => s.attached).sort(),
    [false, true],
    'exactly one start attached to the other',
  );
  const [first, second] = await Promise.all(starts.map((s) => s.handle.describe()));
  assert.equal(first!.runId, second!.runId, 'both handles follow the same run');
  const report = reports[0]!;
  assert.equal(report.firstRunId, reports[1]!.firstRunId, 'both results come from one run');
  assert.equal(report.firstRunId, first!.runId);

  // Visibility is eventually consistent: wait (bounded) until the closed run is listed.
  let runs: WorkflowExecutionInfo[] = [];
  for (let attempt = 0; attempt < 50; attempt++) {
    runs = [];
    for await (const run of env.client.workflow.list({ query: `WorkflowId = "${workflowId}"` }))
      runs.push(run);
    if (runs.some((r) => r.status.name === 'COMPLETED')) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.equal(runs.length, 1, 'one execution with this workflow id');
  assert.equal(runs[0]!.type, IMPORT_WORKFLOW_TYPE);
  assert.equal(runs[0]!.status.name, 'COMPLETED');

  // Imported once: as many creates as users, every employee counted once.
  const state = (await (await fetch(`${env.jumpcloud.url}/_sandbox/state`)).json()) as { users: unknown[] };
  assert.ok(state.users.length > 0);
  assert.equal(env.jumpcloud.stats.snapshot().writes.usersCreated, state.users.length);
  assert.equal(report.counts.created, state.users.length);
  assert.equal(totalOutcomes(report.counts), EMPLOYEES);

  assert.equal(progress.phase, 'done');
  assert.deepEqual(progress.counts, report.counts);
  assert.equal(progress.employeesProcessed, EMPLOYEES);
  assert.equal(progress.employeesTotal, EMPLOYEES);
  assert.equal(progress.pagesDone, progress.pagesTotal);
});

test('a malformed input fails the workflow at once, naming every bad field, before any API call', async (t) => {
  const env = await startImportEnv(t, { personio: { employees: 5 } });
  const err = await env.withImportWorker(async () => {
    const started = performance.now();
    const failed = await env.client.workflow
      .execute(importEmployees, {
        taskQueue: env.taskQueue,
        workflowId: `${env.taskQueue}-import`,
        args: [{ pageSize: 1000, dryrun: true, createState: 'NOPE' }],
      })
      .then(
        () => assert.fail('a malformed input was accepted'),
        (e: unknown) => e,
      );
    // Timings belong to the benchmark; that it failed without a retry is checked below.
    t.diagnostic(`failed after ${Math.round(performance.now() - started)} ms`);
    return failed;
  });

  assert.ok(err instanceof WorkflowFailedError, `WorkflowFailedError expected, got ${String(err)}`);
  const failure = err.cause;
  assert.ok(failure instanceof ApplicationFailure, `ApplicationFailure expected, got ${String(failure)}`);
  assert.equal(failure.type, 'InvalidImportInput');
  assert.equal(failure.nonRetryable, true);
  assert.match(failure.message, /pageSize: must be between 1 and 100/);
  assert.match(failure.message, /dryrun: unknown field/);
  assert.match(failure.message, /createState: must be "STAGED" or "ACTIVATED"; got "NOPE"/);

  assert.equal(env.personio.stats.snapshot().totalRequests, 0, 'no Personio request');
  assert.equal(env.jumpcloud.stats.snapshot().totalRequests, 0, 'no JumpCloud request');
});
