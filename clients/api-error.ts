/**
 * One error type for every failed API call, classified once so that activities (and the
 * benchmark's plain-loop baseline) decide retries the same way. Messages name the system,
 * the operation and what to do; they never contain credentials or tokens.
 */
export type ApiSystem = 'Personio' | 'JumpCloud';

export type ApiErrorKind =
  | 'credentials' // 401/403 on auth: wrong secret or key
  | 'rate-limited' // 429
  | 'server' // 5xx
  | 'network' // reset, refused, timeout
  | 'not-found' // 404
  | 'conflict' // 409 or JumpCloud's 400 "already exists"
  | 'invalid'; // other 4xx: our request or their data is wrong

/** The longest message an ApiError carries (a server may answer with megabytes of text). */
export const MAX_MESSAGE_LENGTH = 500;

export class ApiError extends Error {
  constructor(
    readonly system: ApiSystem,
    readonly kind: ApiErrorKind,
    message: string,
    readonly status?: number,
    /** From Retry-After, when the server sent one. */
    readonly retryAfterMs?: number,
  ) {
    // Messages carry servers' texts: capped before they reach reports, email or webhooks.
    super(message.length > MAX_MESSAGE_LENGTH ? `${message.slice(0, MAX_MESSAGE_LENGTH)}… (cut)` : message);
    this.name = 'ApiError';
  }

  get retryable(): boolean {
    return this.kind === 'rate-limited' || this.kind === 'server' || this.kind === 'network';
  }
}

/** Retry-After is either seconds or an HTTP date. */
export function parseRetryAfter(header: string | string[] | undefined, now = Date.now()): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

export function kindForStatus(status: number): ApiErrorKind {
  if (status === 429) return 'rate-limited';
  if (status >= 500) return 'server';
  if (status === 404) return 'not-found';
  if (status === 409) return 'conflict';
  if (status === 401 || status === 403) return 'credentials';
  return 'invalid';
}
