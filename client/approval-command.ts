/**
 * `approve` / `reject`: decide on an import the safeguards paused. The decision is signed with
 * the approver's Ed25519 key (`approver-key create`) over {workflow id, run id, the digest of
 * the plan the run waits on, the decision, the name, the time}, and sent as a Temporal update,
 * so the answer says at once whether the import took it (or why not).
 */
import { createPrivateKey, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { loadTemporalSettings } from '../config/env.js';
import { APPROVER_NAME, statementText, type ApprovalStatement } from '../domain/approval-statement.js';
import { approveUpdate, importWorkflowId, progressQuery, rejectUpdate } from '../workflows/import-api.js';
import { connectClient } from './temporal-client.js';
import { UsageError } from './usage-error.js';

export function approvalCommand(decision: 'approve' | 'reject') {
  return async (
    workflowIdArg: string | undefined,
    flags: { by?: string; key?: string; comment?: string },
  ) => {
    const settings = loadTemporalSettings();
    const by = flags.by?.trim() ?? '';
    if (!APPROVER_NAME.test(by))
      throw new UsageError(
        "--by: the approver name listed in the worker's APPROVER_KEYS_FILE, e.g. --by jane@example.com",
      );
    if (!flags.key)
      throw new UsageError(
        `--key: the approver's private key file is needed (a decision is signed), e.g. --key ~/.config/personio-approver.pem; make one with \`approver-key create --name ${by} --private-key-out FILE\``,
      );
    let privateKey;
    try {
      privateKey = createPrivateKey(readFileSync(flags.key));
    } catch (err) {
      // A file-system error (ENOENT, EACCES) is a path to fix; OpenSSL's (ERR_OSSL_…) means a file that is no key.
      const code = (err as NodeJS.ErrnoException).code;
      const unreadable = code !== undefined && !code.startsWith('ERR_');
      throw new UsageError(
        `--key: ${flags.key} ${unreadable ? `cannot be read (${code})` : 'is not a private key (PEM from approver-key create)'}`,
      );
    }
    if (privateKey.asymmetricKeyType !== 'ed25519')
      throw new UsageError(`--key: ${flags.key} is not an Ed25519 key (make one with approver-key create)`);
    const { client, close } = await connectClient(settings);
    const workflowId = workflowIdArg ?? importWorkflowId(settings.taskQueue);
    try {
      const handle = client.workflow.getHandle(workflowId);
      const { runId } = await handle.describe();
      const waiting = (await handle.query(progressQuery)).awaitingApproval;
      if (!waiting?.planDigest)
        throw new UsageError(`${workflowId} is not waiting for approval: \`status\` shows where it stands`);
      const statement: ApprovalStatement = {
        workflowId,
        runId,
        planDigest: waiting.planDigest,
        decision,
        by,
        at: new Date().toISOString(),
      };
      const signature = sign(null, Buffer.from(statementText(statement)), privateKey).toString('base64');
      console.error(
        `Signing "${decision}" of plan ${waiting.planDigest.slice(0, 16)} (${waiting.reasons.join('; ')}) as ${by}`,
      );
      const record = await handle.executeUpdate(decision === 'approve' ? approveUpdate : rejectUpdate, {
        args: [
          { by, ...(flags.comment ? { comment: flags.comment } : {}), signed: { ...statement, signature } },
        ],
      });
      const who = `${record.by}${record.keyId ? ` (key ${record.keyId})` : ''}`;
      console.log(
        decision === 'approve'
          ? `Approved by ${who}: ${workflowId} goes on and writes its changes.`
          : `Rejected by ${who}: ${workflowId} ends without writing anything.`,
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
