/**
 * History size of one import: every run of the parent (continue-as-new included) and every
 * page child share the parent's workflow id as a prefix (workflows/import-api.ts
 * pageWorkflowId), so one visibility query finds them all.
 */
import type { Client } from '@temporalio/client';

export interface HistoryStats {
  workflows: number;
  /** Runs of the parent workflow (1 + continue-as-new runs). */
  parentRuns: number;
  totalEvents: number;
  largestHistory: number;
  largestHistoryWorkflowId: string;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Lists the import's workflows. Visibility trails the histories by a moment, so this reads
 * until two reads agree and nothing is still running (bounded: 60 s).
 */
export async function historyStats(client: Client, workflowId: string): Promise<HistoryStats> {
  const deadline = Date.now() + 60_000;
  let previous = '';
  for (;;) {
    const stats: HistoryStats = {
      workflows: 0,
      parentRuns: 0,
      totalEvents: 0,
      largestHistory: 0,
      largestHistoryWorkflowId: '',
    };
    let running = 0;
    for await (const execution of client.workflow.list({ query: `WorkflowId STARTS_WITH "${workflowId}"` })) {
      stats.workflows++;
      if (execution.workflowId === workflowId) stats.parentRuns++;
      if (execution.status.name === 'RUNNING') running++;
      stats.totalEvents += execution.historyLength;
      if (execution.historyLength > stats.largestHistory) {
        stats.largestHistory = execution.historyLength;
        stats.largestHistoryWorkflowId = execution.workflowId;
      }
    }
    const fingerprint = `${stats.workflows}/${stats.totalEvents}`;
    if ((running === 0 && fingerprint === previous) || Date.now() > deadline) return stats;
    previous = fingerprint;
    await sleep(1000);
  }
}
