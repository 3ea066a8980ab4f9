/**
 * `approve` / `reject`: decide on an import the safeguards paused. Sent as Temporal updates,
 * so the answer says at once whether the import took the decision (or why not).
 */
import { userInfo } from 'node:os';
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { loadTemporalSettings } from '../config/env.js';
import { approveUpdate, importWorkflowId, rejectUpdate } from '../workflows/import-api.js';
import { connectClient } from './temporal-client.js';
import { UsageError } from './usage-error.js';

export function approvalCommand(decision: 'approve' | 'reject') {
  return async (workflowIdArg: string | undefined, flags: { by?: string; comment?: string }) => {
    const settings = loadTemporalSettings();
    const by = (flags.by ?? userInfo().username).trim();
    if (by === '') throw new UsageError('--by: name who decides, e.g. --by jane@example.com');
    const { client, close } = await connectClient(settings);
    const workflowId = workflowIdArg ?? importWorkflowId(settings.taskQueue);
    try {
      const handle = client.workflow.getHandle(workflowId);
      const record = await handle.executeUpdate(decision === 'approve' ? approveUpdate : rejectUpdate, {
        args: [{ by, ...(flags.comment ? { comment: flags.comment } : {}) }],
      });
      console.log(
        decision === 'approve'
          ? `Approved by ${record.by}: ${workflowId} goes on and writes its changes.`
          : `Rejected by ${record.by}: ${workflowId} ends without writing anything.`,
      );
    } catch (err) {
      if (err instanceof WorkflowNotFoundError)
        throw new UsageError(`no running import ${workflowId}: \`status\` shows where it stands`);
      if (err instanceof WorkflowUpdateFailedError)
        throw new UsageError(`${workflowId} did not take the decision: ${err.cause?.message ?? err.message}`);
      throw err;
    } finally {
      await close();
    }
  };
}
