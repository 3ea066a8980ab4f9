/**
 * The Temporal part of benchmark workload D (1,000 employees, no latency), as a regression
 * check on history size rather than time: the import's workflows together (parent runs and
 * page children) stay at ≤ 8 history events per employee, no single history nears
 * Temporal's 10,240-event warning, and a re-run with nothing changed writes nothing and
 * costs far fewer events (every employee is settled per page, not one activity each).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { historyStats } from '../../bench/history.js';
import { WORKLOADS } from '../../bench/workloads.js';
import { startImportEnv } from '../helpers/import-env.js';

const EMPLOYEES = WORKLOADS.D.employees;
const MAX_EVENTS_PER_EMPLOYEE = 8;
const MAX_HISTORY = 10_240;

test('workload D: history events per employee stay within budget', async (t) => {
  const env = await startImportEnv(t, { personio: { employees: EMPLOYEES, seed: 42, dirty: true } });
  const input = { notify: { when: 'never' as const } };

  const first = await env.runImport(input, { workflowId: `${env.taskQueue}-first` });
  assert.ok(first.report.employeesTotal >= EMPLOYEES);
  const firstHistory = await historyStats(env.client, first.workflowId);
  const perEmployee = firstHistory.totalEvents / first.report.employeesTotal;
  t.diagnostic(
    `first run: ${firstHistory.totalEvents} events in ${firstHistory.workflows} workflows, ` +
      `${perEmployee.toFixed(2)} per employee, largest ${firstHistory.largestHistory}`,
  );
  assert.ok(perEmployee <= MAX_EVENTS_PER_EMPLOYEE, `${perEmployee.toFixed(2)} events per employee`);
  assert.ok(firstHistory.largestHistory <= MAX_HISTORY, `largest history ${firstHistory.largestHistory}`);

  env.jumpcloud.stats.clear();
  const rerun = await env.runImport(input, { workflowId: `${env.taskQueue}-rerun` });
  const rerunHistory = await historyStats(env.client, rerun.workflowId);
  const rerunPerEmployee = rerunHistory.totalEvents / rerun.report.employeesTotal;
  t.diagnostic(`re-run: ${rerunHistory.totalEvents} events, ${rerunPerEmployee.toFixed(2)} per employee`);
  assert.deepEqual(env.jumpcloud.stats.snapshot().writes, {}, 're-run writes nothing');
  assert.equal(rerun.report.counts.created + rerun.report.counts.updated, 0);
  assert.ok(rerunPerEmployee <= 1, `re-run: ${rerunPerEmployee.toFixed(2)} events per employee`);

  // Every employee of a re-run is settled by its page's one activity, former employees and
  // held-back ones included: not one stageEmployee activity is scheduled.
  let stageActivities = 0;
  let pages = 0;
  for await (const execution of env.client.workflow.list({
    query: `WorkflowId STARTS_WITH "${rerun.workflowId}/"`,
  })) {
    pages++;
    const history = await env.client.workflow.getHandle(execution.workflowId, execution.runId).fetchHistory();
    stageActivities += (history.events ?? []).filter(
      (e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'stageEmployee',
    ).length;
  }
  assert.ok(pages >= EMPLOYEES / 100, `${pages} page workflows found`);
  assert.equal(stageActivities, 0, 'stageEmployee activities in the re-run');
});
