/**
 * Large imports stay within Temporal's history limits: the parent continues as new (here
 * with a tiny event budget, so a small directory exercises it), and the result, the full
 * report and the final state are the same as in one run.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { collectReport } from '../../client/report-command.js';
import { startImportEnv } from '../helpers/import-env.js';

test('an import that continues as new several times finishes with the complete report', async (t) => {
  const env = await startImportEnv(t, { personio: { employees: 230, seed: 21 } });
  const budget = 100;
  const { report, workflowId } = await env.runImport({
    pageSize: 10,
    pagesInFlight: 3,
    continueAsNewAfterEvents: budget,
    notify: { when: 'never' },
  });

  const runs = [];
  for await (const execution of env.client.workflow.list({ query: `WorkflowId = "${workflowId}"` }))
    runs.push(execution);
  assert.ok(runs.length >= 3, `expected several runs in the chain, got ${runs.length}`);
  assert.equal(runs.filter((r) => r.status.name === 'CONTINUED_AS_NEW').length, runs.length - 1);
  for (const run of runs) {
    // The budget is checked between pages, so a run ends a window of pages past it at most.
    assert.ok((run.historyLength ?? 0) < budget * 2, `run ${run.runId} has ${run.historyLength} events`);
  }

  const total = Object.values(report.counts).reduce((a, b) => a + b, 0);
  assert.equal(total, 230);
  assert.equal(report.pages, 23);
  const { rows } = await collectReport(env.client, workflowId);
  assert.equal(rows.length, 230);
  assert.equal(new Set(rows.map((r) => r.personioId)).size, 230, 'every employee once');
  const users = ((await (await fetch(`${env.jumpcloud.url}/_sandbox/state`)).json()) as { users: unknown[] })
    .users;
  assert.equal(users.length, report.counts.created);
  assert.equal(
    env.jumpcloud.stats.snapshot().writes.usersCreated,
    report.counts.created,
    'no user created twice',
  );
  assert.ok(report.managers.linked > 0);
});
