/**
 * Workflow-side helpers the import calls to start, move and cancel a staged user's activation
 * timer (workflows/activate-on-hire-date.ts). Call them from workflow code only.
 *
 * One timer per employee and task queue, found by its workflow id, so a re-run of the import
 * moves the existing timer instead of starting a second one.
 */
import {
  ApplicationFailure,
  getExternalWorkflowHandle,
  log,
  ParentClosePolicy,
  startChild,
  workflowInfo,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import {
  activateOnHireDate,
  cancelActivationSignal,
  rescheduleActivationSignal,
  type ActivationRequest,
} from './activate-on-hire-date.js';

/** The activation timer's workflow id: one per employee and task queue (a Personio/JumpCloud pair). */
export function activationWorkflowId(taskQueue: string, personioId: number): string {
  return `personio-activation-${taskQueue}-${personioId}`;
}

/**
 * Starts the employee's activation timer, or, when one is already running, moves it to
 * request.activateAt (a no-op in the timer when the time is the same). The timer is
 * abandoned by its parent, so it outlives the import page that started it.
 *
 * Returns what it did. Costs the caller's history about 2 events on a start and 6 on a move.
 */
export async function ensureActivationTimer(request: ActivationRequest): Promise<'started' | 'rescheduled'> {
  const workflowId = activationWorkflowId(workflowInfo().taskQueue, request.personioId);
  // Twice at most: a timer that closes between our start and our signal is started anew.
  for (let attempt = 1; ; attempt++) {
    try {
      await startChild(activateOnHireDate, {
        workflowId,
        args: [request],
        parentClosePolicy: ParentClosePolicy.ABANDON,
        staticSummary: `Activate Personio employee ${request.personioId} on the hire date`,
      });
      return 'started';
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
    try {
      await getExternalWorkflowHandle(workflowId).signal(rescheduleActivationSignal, request.activateAt);
      return 'rescheduled';
    } catch (err) {
      if (!isNotFound(err) || attempt >= 2) throw err;
    }
  }
}

/**
 * Cancels the employee's activation timer (the hire was withdrawn, the employee left).
 * No timer (never started, or already finished) is fine: returns false then.
 */
export async function cancelActivationTimer(personioId: number, reason: string): Promise<boolean> {
  const workflowId = activationWorkflowId(workflowInfo().taskQueue, personioId);
  try {
    await getExternalWorkflowHandle(workflowId).signal(cancelActivationSignal, reason);
    return true;
  } catch (err) {
    if (!isNotFound(err)) throw err;
    log.info('no activation timer to cancel', { personioId });
    return false;
  }
}

/**
 * A signal to a workflow that is not running fails with an ApplicationFailure whose type is
 * the server's cause (SDK core: "Unable to signal external workflow because it was not found").
 */
function isNotFound(err: unknown): boolean {
  return (
    err instanceof ApplicationFailure &&
    (/NOT_FOUND|NotFound/i.test(err.type ?? '') || /not found/i.test(err.message))
  );
}
