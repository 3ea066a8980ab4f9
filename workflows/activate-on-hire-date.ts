/**
 * One staged user's activation on their hire date, as a workflow of its own: a durable timer
 * that survives worker restarts and deployments, can be moved (`rescheduleActivation`) or
 * cancelled (`cancelActivation`) by signal, and looks at Personio and JumpCloud again before it
 * acts (activities/activation.ts). Started by the import (workflows/activation-timers.ts) and
 * left running when the import ends.
 *
 * The history stays a handful of events: one timer per wait, one activity per check.
 */
import {
  ApplicationFailure,
  condition,
  continueAsNew,
  defineQuery,
  defineSignal,
  log,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import { shortCall } from './activity-options.js';
import { INVALID_ACTIVATION_TIME } from '../domain/failure-types.js';

const { activateIfStillHired } = proxyActivities<Activities>(shortCall);

export const ACTIVATION_WORKFLOW_TYPE = 'activateOnHireDate';

export interface ActivationRequest {
  personioId: number;
  jumpcloudUserId: string;
  /** When to activate: an ISO 8601 instant (domain/activation-time.ts activationInstant). */
  activateAt: string;
  /**
   * How activateAt was derived from the hire date (the import input's `activation.localTime`
   * and `activation.timeZone`): with them, a hire date moved later in Personio is recognised at
   * the check and waited for. Defaults: "09:00", "Europe/Berlin", as in the import input.
   */
  localTime?: string;
  timeZone?: string;
}

export type ActivationOutcome = 'activated' | 'cancelled' | 'already-active';

export interface ActivationResult {
  outcome: ActivationOutcome;
  /** Why it was cancelled (or why the user was already active); ids and facts, no personal data. */
  reason?: string;
  /** When the workflow decided (ISO 8601). */
  at: string;
}

export interface ActivationStatus {
  phase: 'waiting' | 'checking' | ActivationOutcome;
  personioId: number;
  jumpcloudUserId: string;
  activateAt: string;
  /** How often the time was moved (by signal or by a later hire date found at the check). */
  rescheduled: number;
  reason?: string;
}

/** Move the activation to another instant (ISO 8601), e.g. because the hire date moved. */
export const rescheduleActivationSignal = defineSignal<[activateAt: string]>('rescheduleActivation');
/** Cancel the activation; the reason ends up in the result. */
export const cancelActivationSignal = defineSignal<[reason: string]>('cancelActivation');
export const activationStatusQuery = defineQuery<ActivationStatus>('activationStatus');

/** Far below Temporal's limits; reached only by a hire date moved again and again. */
const CONTINUE_AS_NEW_AFTER_EVENTS = 1000;

export async function activateOnHireDate(request: ActivationRequest): Promise<ActivationResult> {
  if (!isInstant(request.activateAt)) {
    throw ApplicationFailure.create({
      type: INVALID_ACTIVATION_TIME,
      message: `activateAt must be an ISO 8601 instant; got ${JSON.stringify(request.activateAt)}`,
      nonRetryable: true,
    });
  }
  const status: ActivationStatus = {
    phase: 'waiting',
    personioId: request.personioId,
    jumpcloudUserId: request.jumpcloudUserId,
    activateAt: request.activateAt,
    rescheduled: 0,
  };
  let cancelReason: string | undefined;

  setHandler(rescheduleActivationSignal, (activateAt) => {
    // A bad signal must not end the timer: keep the time we have and say so in the log.
    if (!isInstant(activateAt)) {
      log.warn('rescheduleActivation ignored: not an ISO 8601 instant', { activateAt });
      return;
    }
    // Every import re-run signals the time it computed; the same time changes nothing.
    if (Date.parse(activateAt) === Date.parse(status.activateAt)) return;
    status.activateAt = activateAt;
    status.rescheduled++;
  });
  setHandler(cancelActivationSignal, (reason) => {
    cancelReason ??= reason || 'cancelled by signal';
  });
  setHandler(activationStatusQuery, () => ({ ...status }));

  for (;;) {
    const info = workflowInfo();
    if (info.historyLength > CONTINUE_AS_NEW_AFTER_EVENTS || info.continueAsNewSuggested) {
      await continueAsNew<typeof activateOnHireDate>({ ...request, activateAt: status.activateAt });
    }

    await waitUntil(status, () => cancelReason !== undefined);
    if (cancelReason !== undefined) return finish(status, 'cancelled', cancelReason);

    status.phase = 'checking';
    setCurrentDetails(`Checking Personio and JumpCloud before activating (due ${status.activateAt}).`);
    const planned = status.activateAt;
    const decision = await activateIfStillHired({
      personioId: request.personioId,
      jumpcloudUserId: request.jumpcloudUserId,
      activateAt: status.activateAt,
      ...(request.localTime ? { localTime: request.localTime } : {}),
      ...(request.timeZone ? { timeZone: request.timeZone } : {}),
    });
    switch (decision.kind) {
      case 'activated':
        status.jumpcloudUserId = decision.jumpcloudUserId;
        return finish(status, 'activated');
      case 'already-active':
        status.jumpcloudUserId = decision.jumpcloudUserId;
        return finish(status, 'already-active', 'the JumpCloud user was already active');
      case 'cancelled':
        return finish(status, 'cancelled', decision.reason);
      case 'wait':
        // The hire date moved later. A cancel or reschedule signalled during the check wins:
        // it is newer than what the check saw.
        if (cancelReason !== undefined) return finish(status, 'cancelled', cancelReason);
        if (status.activateAt === planned) {
          status.activateAt = decision.activateAt;
          status.rescheduled++;
        }
        log.info('hire date moved later; waiting again', {
          personioId: request.personioId,
          activateAt: status.activateAt,
        });
    }
  }
}

/**
 * Sleeps until status.activateAt, durably. condition() with a timeout is one timer; a
 * reschedule ends the wait early and the loop starts a timer for the new time. A time that
 * has passed (a late start, a worker down for days) returns at once: activate now.
 */
async function waitUntil(status: ActivationStatus, cancelled: () => boolean): Promise<void> {
  while (!cancelled()) {
    const planned = status.activateAt;
    const remaining = Date.parse(planned) - Date.now();
    if (remaining <= 0) return;
    status.phase = 'waiting';
    setCurrentDetails(
      `Activates JumpCloud user ${status.jumpcloudUserId} (Personio employee ${status.personioId}) at ${planned}. ` +
        'Signal cancelActivation to cancel or rescheduleActivation to move it.',
    );
    const interrupted = await condition(() => cancelled() || status.activateAt !== planned, remaining);
    if (!interrupted) return; // the timer fired: due
  }
}

function finish(status: ActivationStatus, outcome: ActivationOutcome, reason?: string): ActivationResult {
  status.phase = outcome;
  if (reason !== undefined) status.reason = reason;
  const at = new Date(Date.now()).toISOString();
  setCurrentDetails(`${outcome} at ${at}${reason ? `: ${reason}` : ''}`);
  log.info('activation finished', { personioId: status.personioId, outcome });
  return { outcome, ...(reason !== undefined ? { reason } : {}), at };
}

function isInstant(text: unknown): text is string {
  return typeof text === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(text) && !Number.isNaN(Date.parse(text));
}
