/**
 * Heartbeats for the import's activities. Each activity beats every few seconds while it
 * runs, so when a worker dies its activities are retried elsewhere within the heartbeat
 * timeout (seconds) rather than the start-to-close timeout (minutes).
 *
 * Heartbeat details carry what an attempt was about to do (its "plan"), for the next
 * attempt to read. Temporal keeps only the latest details, so the periodic beat resends the
 * latest plan: activities call heartbeat() from here, not from @temporalio/activity.
 */
import { Context } from '@temporalio/activity';

const KEEP_ALIVE_MS = 3000;
const latest = new WeakMap<Context, unknown>();

/**
 * Records details (the plan) and hands them to Temporal. The SDK throttles heartbeats (the
 * first goes at once, later ones at most every 80% of the heartbeat timeout), so a worker
 * killed right after may take the latest details with it: a retry must not depend on them
 * alone (activities/stage-employee.ts retryPlanMemory).
 */
export function heartbeat(details?: unknown): void {
  const context = Context.current();
  if (details !== undefined) latest.set(context, details);
  context.heartbeat(latest.get(context));
}

/** Runs fn while beating every few seconds with the latest details (at first: the previous attempt's). */
export async function withKeepAlive<T>(fn: () => Promise<T>): Promise<T> {
  const context = Context.current();
  if (!latest.has(context) && context.info.heartbeatDetails !== undefined)
    latest.set(context, context.info.heartbeatDetails);
  const timer = setInterval(() => context.heartbeat(latest.get(context)), KEEP_ALIVE_MS);
  try {
    return await fn();
  } finally {
    clearInterval(timer);
  }
}
