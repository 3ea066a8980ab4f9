/**
 * The preview's JumpCloud lookups run while the directory is still being read (README,
 * Performance; activities/read-ahead.ts), through the real worker and CLI: the first
 * JumpCloud search arrives before Personio's last page is read, no page is looked up twice,
 * and the preview built from those answers is the same as one built from its own lookups (a
 * re-run previews every imported employee as unchanged). The read then previews every page
 * itself (activities/read-preview.ts): no page runs a plan activity, each keeps its plan.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { startRealProcesses } from '../helpers/real-processes.js';
import { directoryPageWorkflowId, pageReportQuery } from '../../workflows/directory-page-api.js';

const EMPLOYEES = 600;
const PAGE_SIZE = 20;
const PAGES = EMPLOYEES / PAGE_SIZE;

/** Notes when each request to `prefix` arrives. */
function recordArrivals(app: FastifyInstance, prefix: string): number[] {
  const arrivals: number[] = [];
  app.addHook('onRequest', async (req) => {
    if (req.url.startsWith(prefix)) arrivals.push(performance.now());
  });
  return arrivals;
}

test('the preview’s JumpCloud lookups overlap the Personio read, once per page, and the read plans every page', async (t) => {
  let pages: number[] = [];
  let searches: number[] = [];
  const project = await startRealProcesses(t, {
    // Personio's documented limits (15 a second) spread the 30 page reads over 2 s or more.
    personio: { employees: EMPLOYEES, seed: 71 },
    beforeListen: ({ personio, jumpcloud }) => {
      pages = recordArrivals(personio.app, '/v1/company/employees');
      searches = recordArrivals(jumpcloud.app, '/api/search/systemusers');
    },
  });
  const args = ['import', '--notify', 'never', '--page-size', String(PAGE_SIZE)];
  const first = await project.cli(args);
  assert.equal(first.code, 0, first.output);
  const created = (await project.client.workflow.getHandle(project.workflowId).result()) as {
    counts: { created: number };
  };
  assert.ok(created.counts.created > 0);

  pages.length = 0;
  searches.length = 0;
  const rerun = await project.cli([...args, '--dry-run', '--id', `${project.workflowId}-preview`]);
  assert.equal(rerun.code, 0, rerun.output);
  assert.equal(pages.length, PAGES, 'each page read once');
  assert.ok(
    searches[0]! < pages.at(-1)!,
    `the first JumpCloud search (${Math.round(searches[0]! - pages[0]!)} ms after the first page) came before the last page was read (${Math.round(pages.at(-1)! - pages[0]!)} ms)`,
  );
  // By id, by email for those not found so, the supervisors: at most three a page, never a page twice.
  assert.ok(searches.length <= 3 * PAGES, `${searches.length} searches for ${PAGES} pages`);
  const report = (await project.client.workflow.getHandle(`${project.workflowId}-preview`).result()) as {
    counts: { unchanged: number; created: number; updated: number };
    firstRunId: string;
  };
  assert.equal(
    report.counts.unchanged,
    created.counts.created,
    'every imported employee previews as unchanged',
  );
  assert.equal(report.counts.created + report.counts.updated, 0);

  // The read made the preview itself (activities/read-preview.ts): no page was sent a plan
  // step (no planPage activity in any page's history), and each page still holds its whole
  // plan for the report.
  for (let offset = 0; offset < EMPLOYEES; offset += PAGE_SIZE) {
    const page = project.client.workflow.getHandle(
      directoryPageWorkflowId(`${project.workflowId}-preview`, report.firstRunId, offset),
    );
    const { events } = await page.fetchHistory();
    const activities = (events ?? []).flatMap((e) => {
      const name = e.activityTaskScheduledEventAttributes?.activityType?.name;
      return name ? [name] : [];
    });
    assert.deepEqual(activities, [], `page ${offset} ran no activity of its own`);
    const held = await page.query(pageReportQuery);
    assert.equal(held.planned?.length, PAGE_SIZE, `page ${offset} holds its plan`);
    assert.ok(held.planned.every((r) => r.outcome === 'unchanged' || r.outcome === 'skipped'));
  }
});
