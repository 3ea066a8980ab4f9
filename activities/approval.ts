/**
 * Signed approvals, checked on the worker: a decision counts only with a valid Ed25519
 * signature, by a key in APPROVER_KEYS_FILE, over {this workflow, this run, the plan it waits
 * on, the decision, the name, the time}; with four eyes, not by whoever started the run. Local
 * activities: the keys and the file stay on the worker; only the verdict is recorded.
 */
import { createHash, verify } from 'node:crypto';
import { activityInfo, Context } from '@temporalio/activity';
import { canonicalJson } from './carried-state.js';
import type { ApprovalSettings } from '../config/approver-keys.js';
import { statementText, type ApprovalStatement } from '../domain/approval-statement.js';
import type { ImportDeps } from './deps.js';

export interface ApprovalCheck {
  statement: ApprovalStatement;
  /** base64 Ed25519 signature over statementText(statement). */
  signature: string;
  expected: { workflowId: string; runId: string; planDigest: string; decision: 'approve' | 'reject' };
  /** When the run asked for a decision (ISO); the workflow's "now" (ISO). */
  requestedAt: string;
  now: string;
  /** The first run of the import: its start event says who started it. */
  firstRunId: string;
}

export type ApprovalVerdict = { ok: true; name: string; keyId: string } | { ok: false; reason: string };

/** Clocks differ: a signature may be this much older than the request or younger than now. */
const SKEW_MS = 5 * 60_000;

export function createApprovalActivities(deps: Partial<ImportDeps>) {
  const settings = (): ApprovalSettings => deps.approval ?? { approvers: [], fourEyes: true };
  return {
    /** The digest an approver signs: sha256 over the plan summary the run holds. */
    async digestPlan(plan: unknown): Promise<string> {
      return createHash('sha256').update(canonicalJson(plan)).digest('hex');
    },

    async verifyApproval(check: ApprovalCheck): Promise<ApprovalVerdict> {
      const refuse = (reason: string): ApprovalVerdict => ({ ok: false, reason });
      const { statement: s, expected } = check;
      const { approvers, fourEyes } = settings();
      if (approvers.length === 0)
        return refuse('this worker lists no approver (APPROVER_KEYS_FILE is not set): nobody can approve');
      const keys = approvers.filter((a) => a.name === s.by);
      if (keys.length === 0)
        return refuse(`${s.by} is not an approver listed in the worker's APPROVER_KEYS_FILE`);
      const signature = Buffer.from(check.signature, 'base64');
      const key = keys.find((k) => verify(null, Buffer.from(statementText(s)), k.key, signature));
      if (!key)
        return refuse(
          `the signature is not valid for ${s.by}'s key (a different key, or a changed statement)`,
        );
      if (s.workflowId !== expected.workflowId || s.runId !== expected.runId)
        return refuse('the signature is for another import run');
      if (s.planDigest !== expected.planDigest)
        return refuse('the signature is over another plan than the one this run waits on');
      if (s.decision !== expected.decision)
        return refuse(`the signature is for "${s.decision}", not "${expected.decision}"`);
      const at = Date.parse(s.at);
      if (
        Number.isNaN(at) ||
        at < Date.parse(check.requestedAt) - SKEW_MS ||
        at > Date.parse(check.now) + SKEW_MS
      )
        return refuse(
          'the signature was made before this run asked for a decision (or in the future): sign again',
        );
      if (fourEyes && expected.decision === 'approve') {
        const starter = await startedBy(check.firstRunId);
        const user = starter?.split('@')[0];
        if (starter && (starter === s.by || user === s.by || user === s.by.split('@')[0]))
          return refuse(
            `four eyes: ${s.by} started this import and may not approve it (APPROVAL_FOUR_EYES=on)`,
          );
      }
      return { ok: true, name: key.name, keyId: key.keyId };
    },
  };
}

/** The identity that started the import's first run, from its start event (null if unknown). */
async function startedBy(firstRunId: string): Promise<string | null> {
  const { workflowNamespace, workflowExecution } = activityInfo();
  const history = await Context.current().client.workflowService.getWorkflowExecutionHistory({
    namespace: workflowNamespace,
    execution: { workflowId: workflowExecution?.workflowId, runId: firstRunId },
    maximumPageSize: 1,
  });
  return history.history?.events?.[0]?.workflowExecutionStartedEventAttributes?.identity ?? null;
}
