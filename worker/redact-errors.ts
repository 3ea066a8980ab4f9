/**
 * An activity interceptor that takes secrets out of every error an activity throws, before
 * Temporal turns it into a failure (history, the CLI's status and report, notifications,
 * the SDK's "Activity failed" log line). got puts the whole request URL into its messages
 * (`… : POST https://user:pass@host/services/T0/B0/secret`); the rules are the log's own
 * (observability/redact.ts).
 */
import type { ActivityInboundCallsInterceptor, ActivityInterceptorsFactory } from '@temporalio/worker';
import { redactText } from '../observability/redact.js';

/** Rewrites message and stack of the error and its causes, in place (the error is re-thrown as is). */
export function redactErrorInPlace(err: unknown, depth = 0): void {
  if (!(err instanceof Error) || depth > 8) return;
  try {
    const message = redactText(err.message);
    // Any error text (an API's included) is capped before it becomes a failure.
    err.message = message.length > 2000 ? `${message.slice(0, 2000)}… (cut)` : message;
    if (typeof err.stack === 'string') err.stack = redactText(err.stack);
  } catch {
    // a frozen error: leave it; the log still redacts it
  }
  redactErrorInPlace(err.cause, depth + 1);
}

const inbound: ActivityInboundCallsInterceptor = {
  async execute(input, next) {
    try {
      return await next(input);
    } catch (err) {
      redactErrorInPlace(err);
      throw err;
    }
  },
};

export const redactActivityErrors: ActivityInterceptorsFactory = () => ({ inbound });
