// A signed approval: what an approver signs (client/approval-command.ts) and the worker checks
// (activities/approval.ts). Pure and shared, so both sides build the same bytes.

export interface ApprovalStatement {
  workflowId: string;
  runId: string;
  /** The digest of the previewed plan the run waits on (the progress query shows it). */
  planDigest: string;
  decision: 'approve' | 'reject';
  /** The approver's name, as listed in the worker's APPROVER_KEYS_FILE. */
  by: string;
  /** When it was signed (ISO 8601). */
  at: string;
}

/** The exact text that is signed: fixed field order, one version tag. */
export function statementText(s: ApprovalStatement): string {
  return JSON.stringify([
    'personio-jumpcloud-sync approval v1',
    s.workflowId,
    s.runId,
    s.planDigest,
    s.decision,
    s.by,
    s.at,
  ]);
}

/** Names in APPROVER_KEYS_FILE and on `--by`: letters, digits and . _ @ - (no spaces). */
export const APPROVER_NAME = /^[A-Za-z0-9._@+-]{1,100}$/;
