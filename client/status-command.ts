/** `status`: where an import stands (running: its progress; closed: its outcome). */
import { loadTemporalSettings } from '../config/env.js';
import { countsLine } from '../domain/summary.js';
import { importWorkflowId, progressQuery, type ImportReport } from '../workflows/import-api.js';
import { summaryFromReport } from './import-command.js';
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
    if (
      description.status.name === 'RUNNING' &&
      (await workersPolling(client, settings.namespace, description.taskQueue)) === 0
    ) {
      // A query needs a worker: without one it would only time out.
      console.log(noWorkerMessage(settings.namespace, description.taskQueue));
    } else if (description.status.name === 'RUNNING') {
      const p = await handle.query(progressQuery);
      console.log(
        `phase ${p.phase}; pages ${p.pagesDone}/${p.pagesTotal ?? '?'}; employees ${p.employeesProcessed}/${p.employeesTotal ?? '?'}`,
      );
      console.log(countsLine(p.counts));
      if (p.awaitingApproval)
        console.log(
          `waiting for approval: ${p.awaitingApproval.reasons.join('; ')}; expires ${p.awaitingApproval.expiresAt}` +
            ` (\`approve\` or \`reject\`)`,
        );
    } else if (description.status.name === 'COMPLETED') {
      console.log(summaryFromReport((await handle.result()) as ImportReport));
    }
  } finally {
    await close();
  }
}
