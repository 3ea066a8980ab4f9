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

/** Records details (the plan) and sends them now. */
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
