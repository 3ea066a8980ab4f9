/**
 * The report of a run recorded before pages were held (a child workflow per page): a preview
 * child returns only its counts and problems, and the report asks it for its whole plan
 * (`pageReport`, a query: a worker replays a page that has ended to answer). It reads no
 * history: here the pages are fakes whose history throws.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { collectPlanSoFar, collectReport } from '../../../client/report-command.js';
import { countOutcomes, type EmployeeResult } from '../../../domain/outcomes.js';
import type { HeldPageReport } from '../../../workflows/directory-page-api.js';
import { planWorkflowId, type ImportReport, type PageReport } from '../../../workflows/import-api.js';

const IMPORT = 'personio-import-q';
const FIRST_RUN = '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b';
const PLAN: EmployeeResult[] = [
  { personioId: 1, outcome: 'created', changedFields: ['email'], username: 'anna.schmidt' },
  { personioId: 2, outcome: 'unchanged', jumpcloudUserId: 'u2' },
  { personioId: 3, outcome: 'skipped', reason: 'email shared with 4' },
];
/** What a preview child returned: counts and the problems only. */
const CHILD_RESULT: PageReport = {
  offset: 0,
  results: PLAN.filter((r) => r.outcome === 'skipped'),
  counts: countOutcomes(PLAN),
  totalElements: PLAN.length,
  planned: { writes: true, importedUsers: 1, fullPlanInActivity: true },
};

/** A Temporal client over one import and its one preview child; histories are off limits. */
function fakeClient(importResult: Partial<ImportReport>): { client: Client; asked: string[] } {
  const asked: string[] = [];
  const planId = planWorkflowId(IMPORT, FIRST_RUN, 0);
  const handle = (id: string) => ({
    async result() {
      if (id === IMPORT) return importResult;
      if (id === planId) return CHILD_RESULT;
      throw new WorkflowNotFoundError('not found', id, undefined);
    },
    async describe() {
      if (id !== IMPORT && id !== planId) throw new WorkflowNotFoundError('not found', id, undefined);
      return {
        runId: FIRST_RUN,
        startTime: new Date(),
        raw: { workflowExecutionInfo: { firstRunId: FIRST_RUN } },
      };
    },
    async query(query: { name: string }) {
      asked.push(`${id} ${query.name}`);
      if (id === IMPORT && query.name === 'progress') return { phase: 'awaiting-approval' };
      if (id === planId && query.name === 'pageReport')
        return {
          offset: 0,
          planned: PLAN,
          plannedWrites: true,
          applied: null,
          links: null,
        } satisfies HeldPageReport;
      throw new Error(`unexpected query ${query.name} of ${id}`);
    },
    fetchHistory() {
      throw new Error(`the report read the history of ${id}`);
    },
  });
  const client = {
    workflow: {
      getHandle: handle,
      async *list() {
        yield { workflowId: planId, runId: 'r', status: { name: 'COMPLETED' } };
      },
    },
  } as unknown as Client;
  return { client, asked };
}

test('a finished run’s preview child: every employee of its plan, asked of the page', async () => {
  const { client, asked } = fakeClient({
    firstRunId: FIRST_RUN,
    pages: 1,
    pageSize: 3,
    startedAt: new Date().toISOString(),
    managers: { notes: [] } as unknown as ImportReport['managers'],
  });
  const { rows } = await collectReport(client, IMPORT);
  assert.deepEqual(
    rows.map((r) => [r.personioId, r.outcome]),
    PLAN.map((r) => [r.personioId, r.outcome]),
  );
  assert.equal(rows[0]!.username, 'anna.schmidt');
  assert.ok(asked.includes(`${planWorkflowId(IMPORT, FIRST_RUN, 0)} pageReport`));
});

test('a run waiting for approval: the plan so far, asked of each preview child', async () => {
  const { client } = fakeClient({});
  const rows = await collectPlanSoFar(client, IMPORT);
  assert.deepEqual(
    rows.map((r) => [r.personioId, r.outcome, r.changedFields]),
    [
      [1, 'created', 'email'],
      [2, 'unchanged', ''],
      [3, 'skipped', ''],
    ],
  );
});
