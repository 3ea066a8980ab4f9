/**
 * Follows a running import: a live progress bar on a terminal, a line every few seconds
 * elsewhere (CI logs, pipes). Polls the workflow's `progress` query; the workflow's result
 * ends it.
 */
import { SingleBar, Presets } from 'cli-progress';
import type { WorkflowHandle } from '@temporalio/client';
import type { ImportProgress } from '../domain/outcomes.js';
import { countsLine } from '../domain/summary.js';
import { progressQuery, type ImportReport } from '../workflows/import-api.js';
import type { importEmployees } from '../workflows/index.js';
import { applyingHeldPages, withUnfinishedPages } from './run-facts.js';

const POLL_MS = 500;
const PLAIN_EVERY_MS = 5000;

export async function followImport(
  handle: WorkflowHandle<typeof importEmployees>,
  out: NodeJS.WriteStream = process.stderr,
): Promise<ImportReport> {
  const interactive = out.isTTY === true;
  const bar = interactive
    ? new SingleBar(
        {
          format: ' {phase} |{bar}| {value}/{total} employees · pages {pages} · {counts}',
          hideCursor: true,
          clearOnComplete: false,
          stream: out,
        },
        Presets.shades_classic,
      )
    : null;
  let started = false;
  let lastPlain = 0;
  let lastPhase = '';
  let toldApproval = false;
  const show = (p: ImportProgress) => {
    if (p.awaitingApproval && !toldApproval) {
      toldApproval = true;
      bar?.stop();
      out.write(
        `\nWaiting for approval before writing anything: ${p.awaitingApproval.reasons.join('; ')}.\n` +
          `Decide with \`approve\` or \`reject\` (e.g. npm run cli -- approve --by <you>); ` +
          `it rejects itself at ${p.awaitingApproval.expiresAt}.\n`,
      );
    }
    const total = p.employeesTotal ?? 0;
    const payload = {
      phase: p.phase.padEnd(16),
      pages: `${p.pagesDone}/${p.pagesTotal ?? '?'}`,
      counts: countsLine(p.counts),
    };
    if (bar) {
      if (!started) bar.start(total, p.employeesProcessed, payload);
      started = true;
      bar.setTotal(Math.max(total, 1));
      bar.update(p.employeesProcessed, payload);
    } else if (p.phase !== lastPhase || Date.now() - lastPlain >= PLAIN_EVERY_MS) {
      out.write(
        `[${p.phase}] ${p.employeesProcessed}/${total || '?'} employees, pages ${payload.pages}, ${payload.counts}\n`,
      );
      lastPlain = Date.now();
    }
    lastPhase = p.phase;
  };

  const result = handle.result();
  let done = false;
  void result.finally(() => (done = true)).catch(() => {});
  while (!done) {
    try {
      show(await withPagesInFlight(handle, await handle.query(progressQuery)));
    } catch {
      // The workflow may not have run its first task yet, or just finished: keep waiting.
    }
    await Promise.race([result.catch(() => {}), new Promise((r) => setTimeout(r, POLL_MS))]);
  }
  try {
    const report = await result;
    // A run rejected or expired at approval wrote nothing: no "done" line with the plan's
    // counts (they would read as done); the summary says what happened, first.
    if (report.applied === false && !report.dryRun) return report;
    show({
      phase: 'done',
      pagesDone: report.pages,
      pagesTotal: report.pages,
      employeesProcessed: Object.values(report.counts).reduce((a, b) => a + b, 0),
      employeesTotal: report.employeesTotal,
      counts: report.counts,
    });
    return report;
  } finally {
    bar?.stop();
  }
}

/**
 * The import counts a page when the whole page is done; while staging, the pages in flight
 * (a few, each up to 100 employees) answer with the employees they have finished, so the bar
 * moves with every employee written rather than a page at a time (a small company's pages are
 * all in flight at once: the bar sat at 0 until the end).
 */
async function withPagesInFlight(
  handle: WorkflowHandle<typeof importEmployees>,
  progress: ImportProgress,
): Promise<ImportProgress> {
  if (progress.phase !== 'staging' || !progress.applyingOffsets?.length || !progress.firstRunId)
    return progress;
  const pages = await applyingHeldPages(
    handle.client,
    handle.workflowId,
    progress.firstRunId,
    progress.applyingOffsets,
  ).catch(() => []);
  return { ...progress, ...withUnfinishedPages(progress.counts, pages) };
}
