/**
 * The import's approval, in the order it happens: a plan that breaks a safeguard opens a
 * request (with the digest of the plan an approver signs), tells the admin, and waits for
 * `approve` or `reject` until the request expires. Decisions arrive as updates; a signed
 * one is checked on the worker (activities/approval.ts). Call from workflow code.
 */
import {
  ApplicationFailure,
  condition,
  patched,
  proxyLocalActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import type { ImportInput } from '../domain/import-input.js';
import { countsLine } from '../domain/summary.js';
import { workerCheck } from './activity-options.js';
import {
  approveUpdate,
  rejectUpdate,
  type ApprovalDecisionInput,
  type ApprovalRecord,
} from './import-api.js';
import { deliver } from './import-notify.js';
import type { ImportState } from './import-state.js';
import { parseDuration } from './sync-window.js';
import { APPROVAL_REFUSED } from '../domain/failure-types.js';

const { digestPlan, verifyApproval } = proxyLocalActivities<Activities>(workerCheck);

/**
 * The safeguards' decision: accepted only while this run waits for one. A run that holds a
 * plan digest takes only a decision signed by a listed approver over that plan (checked on
 * the worker: activities/approval.ts); runs recorded before signed approvals take `by`.
 */
export function handleDecisions(state: ImportState, publish: () => void): void {
  const decide = (decision: 'approved' | 'rejected') => async (answer: ApprovalDecisionInput) => {
    const waitingOn = state.approval!;
    let by = answer.by.trim();
    let keyId: string | undefined;
    let at = new Date().toISOString();
    if (waitingOn.planDigest !== undefined) {
      const { workflowId, runId, firstExecutionRunId } = workflowInfo();
      const signed = answer.signed!;
      const verdict = await verifyApproval({
        statement: {
          workflowId: signed.workflowId,
          runId: signed.runId,
          planDigest: signed.planDigest,
          decision: signed.decision,
          by,
          at: signed.at,
        },
        signature: signed.signature,
        expected: {
          workflowId,
          runId,
          planDigest: waitingOn.planDigest,
          decision: decision === 'approved' ? 'approve' : 'reject',
        },
        requestedAt: waitingOn.requestedAt,
        now: at,
        firstRunId: firstExecutionRunId,
      });
      if (!verdict.ok)
        throw ApplicationFailure.create({ type: APPROVAL_REFUSED, message: `refused: ${verdict.reason}` });
      if (state.approval!.decision !== null)
        throw ApplicationFailure.create({
          type: APPROVAL_REFUSED,
          message: 'refused: this import was decided meanwhile',
        });
      ({ name: by, keyId } = verdict);
      at = signed.at;
    }
    state.approval = {
      ...state.approval!,
      decision,
      by,
      ...(keyId ? { keyId } : {}),
      at,
      comment: answer.comment?.trim() || null,
    };
    // Temporal Web's details line names the approver and key (signed decisions only: runs
    // recorded before replay without this command).
    if (keyId) publish();
    return state.approval;
  };
  const validateDecision = (answer: ApprovalDecisionInput) => {
    if (state.phase !== 'awaiting-approval' || !state.approval || state.approval.decision !== null)
      throw new Error(`this import is not waiting for approval (phase: ${state.phase})`);
    if (typeof answer?.by !== 'string' || answer.by.trim() === '' || answer.by.length > 200)
      throw new Error('`by` must name who decides (1 to 200 characters), e.g. {"by": "jane@example.com"}');
    if (answer.comment !== undefined && (typeof answer.comment !== 'string' || answer.comment.length > 1000))
      throw new Error('`comment` must be text of at most 1000 characters');
    if (state.approval.planDigest !== undefined) {
      const s = answer.signed;
      const text = (v: unknown) => typeof v === 'string' && v.length > 0 && v.length <= 500;
      if (!s || ![s.workflowId, s.runId, s.planDigest, s.decision, s.at, s.signature].every(text))
        throw new Error(
          'a decision must be signed by an approver key: npm run cli -- approve --by NAME --key FILE (see approver-key create)',
        );
    }
  };
  setHandler(approveUpdate, decide('approved'), { validator: validateDecision });
  setHandler(rejectUpdate, decide('rejected'), { validator: validateDecision });
}

/** Opens the request for a plan that broke the safeguards `reasons`: when it expires, what is signed. */
export async function openApproval(input: ImportInput, state: ImportState, reasons: string[]): Promise<void> {
  const now = Date.now();
  state.approval = {
    reasons,
    requestedAt: new Date(now).toISOString(),
    expiresAt: new Date(now + (parseDuration(input.safeguards!.approvalTimeout) ?? 0)).toISOString(),
    decision: null,
    by: null,
    at: null,
    comment: null,
  };
  // What an approver signs: this run's plan (patched: runs recorded before take `by` alone).
  if (patched('signed-approvals')) {
    const { workflowId, runId, firstExecutionRunId } = workflowInfo();
    state.approval.planDigest = await digestPlan({
      workflowId,
      runId,
      firstExecutionRunId,
      plan: state.plan!,
      reasons,
    });
  }
}

/** Tells the admin a run waits for them: what it would do, why it paused, how to decide. */
export async function requestApproval(
  input: ImportInput,
  state: ImportState,
  perChannel: boolean,
): Promise<void> {
  const approval = state.approval!;
  const { workflowId } = workflowInfo();
  const text = [
    `A Personio → JumpCloud import is waiting for approval before it writes anything.`,
    `Why: ${approval.reasons.join('; ')}.`,
    `Plan: ${countsLine(state.plan!.counts)} (${state.plan!.importedUsers} employees already in JumpCloud).`,
    `It rejects itself at ${approval.expiresAt} unless someone decides:`,
    `  npm run cli -- approve ${workflowId} --by <approver name> --key <private key file>     (or: reject)`,
    `  temporal workflow update execute --workflow-id ${workflowId} --name approve --input '<the signed decision: README, Approval safeguards>' --codec-endpoint <your codec server, e.g. http://127.0.0.1:8888>`,
    `The full plan: npm run cli -- report ${workflowId} --format csv`,
  ].join('\n');
  await deliver(perChannel, {
    subject: `Personio import needs approval: ${approval.reasons[0] ?? ''}`,
    text,
    summary: { workflowId, awaitingApproval: approval.reasons, counts: state.plan!.counts },
    email: input.notify.email,
    webhookUrl: input.notify.webhookUrl,
  });
}

/**
 * Waits for the decision until the request expires (an undecided request rejects itself).
 * True when approved; rejected or expired, nothing was written.
 */
export async function awaitDecision(state: ImportState): Promise<boolean> {
  const approval: ApprovalRecord = state.approval!;
  const decided = await condition(
    () => state.approval!.decision !== null,
    Math.max(0, Date.parse(approval.expiresAt) - Date.now()),
  );
  if (!decided) state.approval = { ...state.approval!, decision: 'expired', at: new Date().toISOString() };
  return state.approval!.decision === 'approved';
}
