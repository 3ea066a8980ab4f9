/**
 * What an import has done so far, counted per employee, and why a closed one ended: for
 * `status`, `cancel` and `report`. The parent counts a page when it finishes; the pages in
 * flight (or cancelled midway) answer the `pageProgress` query with the employees they have
 * finished, so the counts move with every employee written, and a cancelled run's counts
 * include the half-done pages.
 */
import { WorkflowFailedError, type Client, type WorkflowClient } from '@temporalio/client';
import {
  addOutcomeCounts,
  countOutcomes,
  emptyOutcomeCounts,
  totalOutcomes,
  type EmployeeResult,
  type ImportProgress,
  type OutcomeCounts,
} from '../domain/outcomes.js';
import { pageProgressQuery, progressQuery, runKey } from '../workflows/import-api.js';
import { directoryPageWorkflowId } from '../workflows/directory-page-api.js';
import { rootCauseMessage } from './failure-message.js';

export interface LiveProgress {
  /** The import's own progress (pages it has counted); null when no worker answered. */
  progress: ImportProgress | null;
  /** Everything finished so far: the counted pages plus the pages in flight or cut short. */
  counts: OutcomeCounts;
  employeesProcessed: number;
  /** Employees finished on pages not yet counted by the import, by page. */
  unfinishedPages: { workflowId: string; status: string; results: EmployeeResult[] }[];
}

/** The first run id of the chain a workflow id's latest run belongs to. */
export async function firstRunIdOf(client: Client, workflowId: string): Promise<string> {
  const d = await client.workflow.getHandle(workflowId).describe();
  return d.raw.workflowExecutionInfo?.firstRunId || d.runId;
}

export async function liveProgress(client: Client, workflowId: string): Promise<LiveProgress> {
  const handle = client.workflow.getHandle(workflowId);
  const progress = await handle.query(progressQuery).catch(() => null);
  const unfinishedPages =
    progress?.applyingOffsets && progress.firstRunId
      ? await applyingHeldPages(client.workflow, workflowId, progress.firstRunId, progress.applyingOffsets)
      : await unfinishedPagesOf(client, workflowId);
  // While previewing, progress is the preview's: nothing was written yet.
  const counted = withUnfinishedPages(
    progress?.counts ?? emptyOutcomeCounts(),
    progress?.phase === 'planning' ? [] : unfinishedPages,
  );
  return { progress, ...counted, unfinishedPages };
}

/**
 * The import's counts with what its unfinished pages have done that it has not counted yet:
 * one way of counting for `status`, `cancel` and the CLI's live progress.
 */
export function withUnfinishedPages(
  counts: OutcomeCounts,
  pages: readonly { results: EmployeeResult[] }[],
): { counts: OutcomeCounts; employeesProcessed: number } {
  let total = counts;
  for (const page of pages) total = addOutcomeCounts(total, countOutcomes(page.results));
  return { counts: total, employeesProcessed: totalOutcomes(total) };
}

/**
 * What a stopped import did, counted once the pages it was applying have stopped too. The
 * import ends as soon as it has asked those pages to stop (a cancel request to another
 * workflow is only recorded); each page stops on its own next workflow task and may record a
 * few more employees until then. Counted earlier, `cancel` would print one number and a
 * later `status` or `report` another. `stillStopping`: pages that had not stopped within
 * `waitMs` (no worker, say), so the counts may still grow.
 */
export async function stoppedProgress(
  client: Client,
  workflowId: string,
  waitMs = 60_000,
): Promise<LiveProgress & { stillStopping: number }> {
  const first = await liveProgress(client, workflowId);
  const pageIds =
    first.progress?.applyingOffsets && first.progress.firstRunId
      ? first.progress.applyingOffsets.map((offset) =>
          directoryPageWorkflowId(workflowId, first.progress!.firstRunId!, offset),
        )
      : first.unfinishedPages.filter((p) => p.status === 'RUNNING').map((p) => p.workflowId);
  if (pageIds.length === 0) return { ...first, stillStopping: 0 };
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>(
    (resolve) => (timer = setTimeout(() => resolve('timeout'), waitMs)),
  );
  const stopped = new Set<string>();
  try {
    await Promise.race([
      Promise.all(
        pageIds.map((id) =>
          client.workflow
            .getHandle(id)
            .result()
            .catch(() => undefined) // cancelled or failed: stopped all the same
            .then(() => void stopped.add(id)),
        ),
      ),
      timedOut,
    ]);
  } finally {
    clearTimeout(timer);
  }
  return { ...(await liveProgress(client, workflowId)), stillStopping: pageIds.length - stopped.size };
}

/**
 * The pages being applied that the import has not counted: running, or stopped midway
 * (cancelled, failed, terminated). Each answers with what it finished.
 */
async function unfinishedPagesOf(
  client: Client,
  workflowId: string,
): Promise<LiveProgress['unfinishedPages']> {
  const firstRunId = await firstRunIdOf(client, workflowId);
  const pages: LiveProgress['unfinishedPages'] = [];
  for (const length of ['whole', 'short'] as const) {
    const prefix = `${workflowId}/${runKey(firstRunId, length)}/page-`;
    const query = `WorkflowId STARTS_WITH "${prefix}" AND ExecutionStatus != "Completed"`;
    for await (const child of client.workflow.list({ query })) {
      const page = await client.workflow
        .getHandle(child.workflowId, child.runId)
        .query(pageProgressQuery)
        .catch(() => null);
      if (page)
        pages.push({ workflowId: child.workflowId, status: child.status.name, results: page.results });
    }
    if (pages.length > 0) break;
  }
  return pages;
}

/** The held pages being applied (the import names them): each answers with what it finished. */
export async function applyingHeldPages(
  workflows: Pick<WorkflowClient, 'getHandle'>,
  workflowId: string,
  firstRunId: string,
  offsets: readonly number[],
): Promise<LiveProgress['unfinishedPages']> {
  const pages: LiveProgress['unfinishedPages'] = [];
  for (const offset of offsets) {
    const id = directoryPageWorkflowId(workflowId, firstRunId, offset);
    const page = await workflows
      .getHandle(id)
      .query(pageProgressQuery)
      .catch(() => null);
    if (page && page.results.length > 0)
      pages.push({ workflowId: id, status: 'RUNNING', results: page.results });
  }
  return pages;
}

/** Why a closed import ended, in a line for `status`, `cancel` and `report`. */
export async function endReason(client: Client, workflowId: string, status: string): Promise<string> {
  const handle = client.workflow.getHandle(workflowId);
  if (status === 'FAILED' || status === 'TIMED_OUT') {
    try {
      await handle.result();
    } catch (err) {
      if (err instanceof WorkflowFailedError) return `it failed: ${rootCauseMessage(err)}`;
      return `it failed: ${err instanceof Error ? err.message : String(err)}`;
    }
  }
  if (status === 'CANCELLED' || status === 'TERMINATED') {
    const history = await handle.fetchHistory();
    for (const event of [...(history.events ?? [])].reverse()) {
      const requested = event.workflowExecutionCancelRequestedEventAttributes;
      if (requested)
        return `it was cancelled on request${requested.identity ? ` (by ${requested.identity})` : ''}${requested.cause ? `: ${requested.cause}` : ''}`;
      const terminated = event.workflowExecutionTerminatedEventAttributes;
      if (terminated)
        return `it was terminated${terminated.identity ? ` by ${terminated.identity}` : ''}${terminated.reason ? `: ${terminated.reason}` : ''}`;
    }
    return status === 'CANCELLED' ? 'it was cancelled' : 'it was terminated';
  }
  return status.toLowerCase();
}
