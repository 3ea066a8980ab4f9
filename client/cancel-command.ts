/** `cancel`: stop a running import; what was done stays done, and this says how far it got. */
import { loadTemporalSettings } from '../config/env.js';
import { countsLine } from '../domain/summary.js';
import { importWorkflowId, progressQuery } from '../workflows/import-api.js';
import { connectClient } from './temporal-client.js';
import { noWorkerMessage, workersPolling } from './worker-presence.js';

export async function cancelCommand(workflowIdArg: string | undefined): Promise<void> {
  const settings = loadTemporalSettings();
  const { client, close } = await connectClient(settings);
  try {
    const workflowId = workflowIdArg ?? importWorkflowId(settings.taskQueue);
    const handle = client.workflow.getHandle(workflowId);
    const description = await handle.describe();
    if (description.status.name !== 'RUNNING') {
      // Nothing to stop: say how it ended instead of "waiting for it to stop".
      console.log(
        `${workflowId} is not running: it ended ${description.status.name}` +
          `${description.closeTime ? ` at ${description.closeTime.toISOString()}` : ''}; nothing to cancel (\`status\` shows its outcome).`,
      );
      return;
    }
    await handle.cancel();
    if ((await workersPolling(client, settings.namespace, description.taskQueue)) === 0) {
      console.log(
        `asked ${workflowId} to cancel; it stops once a worker runs it. ${noWorkerMessage(settings.namespace, description.taskQueue)}`,
      );
      return;
    }
    console.error(`asked ${workflowId} to cancel; waiting for it to stop`);
    await handle.result().catch(() => {}); // a cancelled workflow "fails" with CancelledFailure
    const p = await handle.query(progressQuery).catch(() => null);
    if (p)
      console.log(
        `${workflowId} ${p.phase} after ${p.employeesProcessed} employees: ${countsLine(p.counts)}`,
      );
    else console.log(`${workflowId} stopped (no worker answered for its progress)`);
  } finally {
    await close();
  }
}
