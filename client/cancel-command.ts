/** `cancel`: ask a running import to stop; what was done stays done. */
import { loadTemporalSettings } from '../config/env.js';
import { importWorkflowId } from '../workflows/import-api.js';
import { connectClient } from './temporal-client.js';

export async function cancelCommand(workflowIdArg: string | undefined): Promise<void> {
  const settings = loadTemporalSettings();
  const { client, close } = await connectClient(settings);
  try {
    const workflowId = workflowIdArg ?? importWorkflowId(settings.taskQueue);
    await client.workflow.getHandle(workflowId).cancel();
    console.log(`asked ${workflowId} to cancel; \`status ${workflowId}\` shows when it has stopped`);
  } finally {
    await close();
  }
}
