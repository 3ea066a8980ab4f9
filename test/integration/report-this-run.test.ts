/**
 * A report holds this run's employees, each exactly once, however many runs went before it
 * under the same workflow id within the same minute (run ids are time-ordered, so their first
 * characters are shared). Through the real processes: `import --report`, `import --dry-run
 * --plan-output`, and `report --format csv` on a run waiting for approval. The report is what
 * the workflows answer, never an event read out of a history: the rows are each held page's
 * answer to `pageReport` while the run waits, its result once the run has ended.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  directoryPageWorkflowId,
  pageReportQuery,
  type HeldPageReport,
} from '../../workflows/directory-page-api.js';
import { progressQuery, type ImportReport } from '../../workflows/import-api.js';
import { startRealProcesses, type RealProcesses } from '../helpers/real-processes.js';

/** personioId → outcome, failing on an employee listed twice. */
function outcomes(csv: string): Map<number, string> {
  const rows = csv.trim().split('\n').slice(1);
  const byId = new Map<number, string>();
  for (const row of rows) {
    const [, id, outcome] = /^(\d+),([a-z-]+),/.exec(row) ?? [];
    assert.ok(id && outcome, `a row with an id and an outcome: ${row}`);
    assert.ok(!byId.has(Number(id)), `employee ${id} is listed once, not again as ${outcome}`);
    byId.set(Number(id), outcome);
  }
  return byId;
}

/** personioId → outcome as the run's held pages answer, in page order (as applied, else as planned). */
async function pagesAnswer(
  env: RealProcesses,
  run: { firstRunId: string; heldPages?: number; pageSize: number },
  ask: (id: string) => Promise<HeldPageReport>,
): Promise<Map<number, string>> {
  assert.ok(run.heldPages, 'the run holds its pages');
  const byId = new Map<number, string>();
  for (let i = 0; i < run.heldPages; i++) {
    const held = await ask(directoryPageWorkflowId(env.workflowId, run.firstRunId, i * run.pageSize));
    for (const r of held.applied ?? held.planned ?? []) byId.set(r.personioId, r.outcome);
  }
  return byId;
}

test('every report holds this run’s employees once, with this run’s outcomes', async (t) => {
  const employees = 40;
  const env = await startRealProcesses(t, { personio: { employees, seed: 53 } });
  const dir = mkdtempSync(join(tmpdir(), 'report-this-run-'));
  const quiet = ['--notify', 'never', '--page-size', '15'];

  const first = await env.cli(['import', ...quiet, '--report', join(dir, 'first.csv')]);
  assert.equal(first.code, 0, first.output);
  const firstRows = outcomes(readFileSync(join(dir, 'first.csv'), 'utf8'));
  assert.equal(firstRows.size, employees);

  const leavers = [...firstRows]
    .filter(([, o]) => o === 'created')
    .map(([id]) => id)
    .slice(0, 3);
  for (const id of leavers) env.personio.data.setStatus(id, 'inactive');

  // A preview right after: the users exist, so nobody is `created`; the leavers are `suspended`.
  const preview = await env.cli(['import', '--dry-run', ...quiet, '--plan-output', join(dir, 'plan')]);
  assert.equal(preview.code, 0, preview.output);
  const planned = outcomes(readFileSync(join(dir, 'plan.csv'), 'utf8'));
  assert.equal(planned.size, employees, 'every employee read, once');
  for (const id of leavers) assert.equal(planned.get(id), 'suspended', `leaver ${id} in the plan`);
  assert.equal([...planned.values()].filter((o) => o === 'created').length, 0, 'nobody created twice');

  // A run that pauses for approval: the approver's report is this run's plan.
  const paused = env.startCli([
    'import',
    '--input-json',
    JSON.stringify({ notify: { when: 'never' }, pageSize: 15, safeguards: { maxSuspensions: 1 } }),
  ]);
  await paused.waitFor(/Waiting for approval/, 120_000);
  const waiting = await env.cli(['report', '--format', 'csv', '--output', join(dir, 'waiting.csv')]);
  assert.equal(waiting.code, 0, waiting.output);
  const waitingRows = outcomes(readFileSync(join(dir, 'waiting.csv'), 'utf8'));
  assert.equal(waitingRows.size, employees);
  assert.deepEqual(
    [...waitingRows]
      .filter(([, o]) => o === 'suspended')
      .map(([id]) => id)
      .sort(),
    [...leavers].sort(),
  );
  // Each page, asked while the run waits: the report is their answers, in directory order.
  const progress = await env.client.workflow.getHandle(env.workflowId).query(progressQuery);
  const asked = await pagesAnswer(
    env,
    { ...progress, firstRunId: progress.firstRunId!, pageSize: progress.pageSize! },
    (id) => env.client.workflow.getHandle(id).query(pageReportQuery),
  );
  assert.deepEqual([...waitingRows], [...asked], 'the waiting report is what the pages answer');
  const approve = await env.cli([
    'approve',
    '--by',
    'ops@example.com',
    '--key',
    env.approverKey('ops@example.com'),
  ]);
  assert.equal(approve.code, 0, approve.output);
  assert.equal(await paused.exited, 0, paused.output.join('\n'));

  // The real run's report, read afterwards: this run's outcomes (the leavers suspended).
  const report = await env.cli(['report', '--format', 'csv', '--output', join(dir, 'applied.csv')]);
  assert.equal(report.code, 0, report.output);
  const applied = outcomes(readFileSync(join(dir, 'applied.csv'), 'utf8'));
  assert.equal(applied.size, employees);
  for (const id of leavers) assert.equal(applied.get(id), 'suspended');
  assert.equal([...applied.values()].filter((o) => o === 'created').length, 0);
  // Once the run has ended, each page's result: the report is what they returned.
  const run = (await env.client.workflow.getHandle(env.workflowId).result()) as ImportReport;
  assert.ok((run.heldPages ?? 0) >= 3, `several pages: ${run.heldPages}`);
  const returned = await pagesAnswer(
    env,
    run,
    async (id) => (await env.client.workflow.getHandle(id).result()) as HeldPageReport,
  );
  assert.deepEqual([...applied], [...returned], 'the report is what the pages returned');
});
