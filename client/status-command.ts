/** `status`: where an import stands (running: its progress; closed: its outcome). */
import type { Client } from '@temporalio/client';
import { loadTemporalSettings } from '../config/env.js';
import { countsLine } from '../domain/summary.js';
import { importWorkflowId, progressQuery, type ImportReport } from '../workflows/import-api.js';
import { EXIT } from './exit-codes.js';
import { endReason, liveProgress, stoppedProgress } from './run-facts.js';
import { notAppliedLine, summaryFromReport } from './import-command.js';
import { connectClient } from './temporal-client.js';
import { workflowLink } from './web-links.js';
import { noWorkerMessage, workersPolling } from './worker-presence.js';

export async function statusCommand(workflowIdArg: string | undefined): Promise<void> {
  const settings = loadTemporalSettings();
  const { client, close } = await connectClient(settings);
  try {
    const workflowId = workflowIdArg ?? importWorkflowId(settings.taskQueue);
    const handle = client.workflow.getHandle(workflowId);
    const description = await handle.describe();
    console.log(`${workflowId}: ${description.status.name} (started ${description.startTime.toISOString()})`);
    console.log(`Temporal Web: ${workflowLink(settings.namespace, workflowId)}`);
    const status = description.status.name;
    if (
      status === 'RUNNING' &&
      (await workersPolling(client, settings.namespace, description.taskQueue)) === 0
    ) {
      // A query needs a worker: without one it would only time out.
      console.log(noWorkerMessage(settings.namespace, description.taskQueue));
    } else if (status === 'RUNNING') {
      // Counted per employee: the import's finished pages plus those in flight.
      const live = await liveProgress(client, workflowId);
      const p = live.progress ?? (await handle.query(progressQuery));
      console.log(
        `phase ${p.phase}; pages ${p.pagesDone}/${p.pagesTotal ?? '?'}; employees ${live.employeesProcessed}/${p.employeesTotal ?? '?'}`,
      );
      console.log(countsLine(live.counts));
      if (p.awaitingApproval)
        console.log(
          `waiting for approval: ${p.awaitingApproval.reasons.join('; ')}; expires ${p.awaitingApproval.expiresAt}` +
            ` (\`approve\` or \`reject\`)`,
        );
    } else if (status === 'COMPLETED') {
      const report = (await handle.result()) as ImportReport;
      console.log(summaryFromReport(report));
      if (notAppliedLine(report)) process.exitCode = EXIT.notApplied;
    } else {
      // Cancelled, failed, terminated: why it ended, and what it had done by then.
      console.log(await stoppedSummary(client, workflowId, status));
      process.exitCode = status === 'CANCELLED' || status === 'TERMINATED' ? EXIT.cancelled : EXIT.failed;
    }
  } finally {
    await close();
  }
}

/**
 * A closed import that did not finish: why it ended, and what it wrote before (the pages it
 * counted and those cut short). What was done stays done; the next run does the rest.
 */
export async function stoppedSummary(client: Client, workflowId: string, status: string): Promise<string> {
  const why = await endReason(client, workflowId, status);
  const live = await stoppedProgress(client, workflowId);
  const done = live.progress
    ? `Before that it had finished ${live.employeesProcessed} employees (phase ${live.progress.phase}): ${countsLine(live.counts)}.`
    : `No worker answered for its progress: start one (npm run worker) to see how far it got.`;
  return [
    `The import did not finish: ${why}.`,
    done,
    'What was written stays written; the next import does the rest.',
  ].join('\n');
}
