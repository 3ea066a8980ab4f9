/**
 * How the import's activities are timed and retried. Transient API trouble (429, 5xx,
 * resets, timeouts) is retried without limit, with backoff capped at a minute, because a
 * durable import should wait out an outage rather than fail; rejected credentials and
 * rejected requests are final.
 */
import type { ActivityOptions, LocalActivityOptions, RetryPolicy } from '@temporalio/workflow';

import { DESTINATION_REFUSED, FINAL_FAILURE_TYPES } from '../domain/failure-types.js';

export { FINAL_FAILURE_TYPES };

export const transientRetry: RetryPolicy = {
  initialInterval: '1s',
  backoffCoefficient: 2,
  maximumInterval: '1m',
  nonRetryableErrorTypes: FINAL_FAILURE_TYPES,
};

/**
 * Short calls: one or a few HTTP requests. They heartbeat every few seconds
 * (activities/heartbeat.ts), so a dead worker's calls are retried elsewhere within 15 s.
 */
export const shortCall: ActivityOptions = {
  startToCloseTimeout: '2m',
  heartbeatTimeout: '15s',
  retry: transientRetry,
};

/** The credential check should fail fast, not wait out an outage: a few attempts only. */
export const credentialCheck: ActivityOptions = {
  startToCloseTimeout: '30s',
  retry: { ...transientRetry, maximumAttempts: 5, maximumInterval: '10s' },
};

/** Long reads that heartbeat as they go (the directory scan). */
export const longRead: ActivityOptions = {
  startToCloseTimeout: '1h',
  heartbeatTimeout: '15s',
  retry: transientRetry,
};

/**
 * Checks the worker makes on its own configuration (the import policy, seals, signatures): local
 * activities, quick, and a few attempts only (a failure is a bug or a bad worker, not an outage).
 */
export const workerCheck: LocalActivityOptions = {
  startToCloseTimeout: '30s',
  retry: { maximumAttempts: 3, nonRetryableErrorTypes: FINAL_FAILURE_TYPES },
};

/**
 * Notifications: one channel per activity, a few attempts only (a mail server or webhook that
 * is down must not hold the import), and a refused destination is final.
 */
export const notifyCall: ActivityOptions = {
  startToCloseTimeout: '1m',
  retry: {
    initialInterval: '2s',
    backoffCoefficient: 2,
    maximumInterval: '30s',
    maximumAttempts: 4,
    nonRetryableErrorTypes: [...FINAL_FAILURE_TYPES, DESTINATION_REFUSED],
  },
};
