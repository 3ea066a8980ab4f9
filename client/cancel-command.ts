/** `cancel`: stop a running import; what was done stays done, and this says how far it got. */
import { loadTemporalSettings } from '../config/env.js';
import { countsLine } from '../domain/summary.js';
import { importWorkflowId } from '../workflows/import-api.js';
import { stoppedProgress } from './run-facts.js';
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
    // Counted per employee: the pages the import finished and those cut short by the cancel,
    // once those have stopped too (so `status` and `report` later say the same).
    const live = await stoppedProgress(client, workflowId);
    if (live.progress)
      console.log(
        `${workflowId} ${live.progress.phase} after ${live.employeesProcessed} employees: ${countsLine(live.counts)}` +
          ` (what was written stays written; \`report\` lists them)` +
          (live.stillStopping > 0
            ? `; ${live.stillStopping} of its pages had not stopped yet, so \`status\` may count more`
            : ''),
      );
    else console.log(`${workflowId} stopped (no worker answered for its progress)`);
  } finally {
    await close();
  }
}
