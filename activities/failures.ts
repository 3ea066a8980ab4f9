/**
 * Turns API errors into Temporal failures, so Temporal's retry policy does the right thing:
 * 429/5xx/network are retried (after Retry-After when the server sent one), rejected
 * credentials end the import at once with the message that says how to fix them, and other
 * client errors are not retried.
 */
import { ApplicationFailure, Context } from '@temporalio/activity';
import { ACTIVITY_RETRIES } from '../domain/metric-names.js';
import { withKeepAlive } from './heartbeat.js';
import { ApiError } from '../clients/api-error.js';
import { UNEXPECTED_ANSWER_ATTEMPTS, UnexpectedAnswer } from '../clients/unexpected-answer.js';

import {
  CREDENTIALS_REJECTED,
  REQUEST_REJECTED,
  transientFailureType,
  UNEXPECTED_ANSWER,
} from '../domain/failure-types.js';

// The failure type names live in domain/failure-types.ts (shared with the workflows).
export { CREDENTIALS_REJECTED, REQUEST_REJECTED, UNEXPECTED_ANSWER };

export function toActivityFailure(err: unknown, attempt = 1): unknown {
  if (!(err instanceof ApiError)) return err;
  if (err instanceof UnexpectedAnswer) {
    // A shape may be a passing glitch (a proxy's error page): a few tries, then final.
    const final = attempt >= UNEXPECTED_ANSWER_ATTEMPTS;
    return ApplicationFailure.create({
      type: UNEXPECTED_ANSWER,
      message: final ? `${err.message} (after ${attempt} tries; not retried)` : err.message,
      nonRetryable: final,
    });
  }
  if (err.kind === 'credentials') {
    return ApplicationFailure.create({
      type: CREDENTIALS_REJECTED,
      message: credentialsMessage(err),
      nonRetryable: true,
    });
  }
  if (err.retryable) {
    return ApplicationFailure.create({
      type: transientFailureType(err.system, err.kind),
      message: err.message,
      nextRetryDelay: err.retryAfterMs,
    });
  }
  return ApplicationFailure.create({ type: REQUEST_REJECTED, message: err.message, nonRetryable: true });
}

/**
 * A key or secret that stops working mid-import (revoked, expired) ends the import: say
 * which, what to do, and that nothing is lost. The clients' own start-up messages already
 * name the variables; a rejection later in the run gets the same advice here.
 */
function credentialsMessage(err: ApiError): string {
  const variable =
    err.system === 'JumpCloud' ? 'JUMPCLOUD_API_KEY' : 'PERSONIO_CLIENT_ID / PERSONIO_CLIENT_SECRET';
  if (err.message.includes(variable.split(' ')[0]!) || err.message.includes('JUMPCLOUD_CLIENT_ID'))
    return err.message;
  return (
    `${err.system} stopped accepting the credentials during the import (${err.message}). ` +
    `Set ${variable} to a current value and start the import again: what was done stays done, and the next run finishes the rest.`
  );
}

/** Runs fn with a keep-alive heartbeat, rethrows API errors as Temporal failures, counts retried attempts. */
export async function asActivity<T>(fn: () => Promise<T>): Promise<T> {
  const { info, metricMeter } = Context.current();
  if (info.attempt > 1) {
    metricMeter
      .createCounter(ACTIVITY_RETRIES, 'attempts', 'activity attempts after the first')
      .add(1, { activity: info.activityType });
  }
  try {
    return await withKeepAlive(fn);
  } catch (err) {
    throw toActivityFailure(err, info.attempt);
  }
}
