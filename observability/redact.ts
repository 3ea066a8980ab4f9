/**
 * Keeps secrets out of log lines, whatever shape they arrive in: by key name at any depth
 * (password, token, apiKey, authorization…), by form inside any string (a URL's user info and
 * path: webhook URLs carry their secret in the path, SMTP URLs in the user info; `Bearer …`),
 * and by value (every secret the configuration read is registered here and replaced wherever
 * it appears). Errors are reduced to name, message, code and stack: got's errors carry the
 * request's options (URL, headers, body) and the response, none of which belongs in a log.
 */

/** Values that must never be printed (registered by the configuration as it reads them). */
const secrets = new Set<string>();

/** Registers a secret value: from now on it is replaced wherever a log line would carry it. */
export function registerSecret(value: string | undefined): void {
  // Very short values would redact ordinary words; no real credential is that short.
  if (value && value.length >= 6) secrets.add(value);
}

export const REDACTED = '[redacted]';

/** Key names whose values are secret, whatever they hold. */
const SECRET_KEY =
  /^(pass(word)?|pwd|secret|client_?secret|token|access_?token|refresh_?token|id_?token|api_?key|x-api-key|authorization|proxy-authorization|cookie|set-cookie|private_?key|credentials?|smtp_?url)$|secret|password|token$|apikey/i;

const URL_IN_TEXT = /\b([a-z][a-z0-9+.-]{1,15}):\/\/([^\s/?#@"'<>]*@)?([^\s/?#"'<>]+)([^\s"'<>]*)/gi;

/** A URL keeps its scheme and host; user info and path (where webhook secrets live) go. */
function redactUrl(_m: string, scheme: string, userInfo: string | undefined, host: string, rest: string) {
  const path = rest && rest !== '/' ? `/${REDACTED}` : rest;
  return `${scheme}://${userInfo ? `${REDACTED}@` : ''}${host}${path}`;
}

/** The text with URLs' user info and paths, auth header values and registered secrets removed. */
export function redactText(text: string): string {
  // URLs first, so a registered URL (a webhook) still shows its scheme and host.
  let out = text.replace(URL_IN_TEXT, redactUrl);
  for (const secret of secrets) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
  out = out.replace(/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{6,}/g, `$1 ${REDACTED}`);
  return out;
}

const MAX_DEPTH = 8;

export interface SerializedError {
  type: string;
  message: string;
  stack?: string;
  code?: string;
  status?: number;
  [key: string]: unknown;
}

/**
 * An error as a log line may show it: no request options, headers, body or response. The
 * few plain fields the project's own errors carry (kind, system, status, type) stay.
 */
export function serializeError(err: unknown, depth = 0): unknown {
  if (!(err instanceof Error)) return redactValue(err, depth);
  const e = err as Error & Record<string, unknown>;
  const out: SerializedError = {
    type: e.name || e.constructor?.name || 'Error',
    message: redactText(e.message),
  };
  const extra: Record<string, unknown> = out;
  if (typeof e.stack === 'string') out.stack = redactText(e.stack);
  for (const key of ['code', 'kind', 'system', 'type', 'nonRetryable', 'failure'] as const) {
    const v = e[key];
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')
      extra[key === 'type' ? 'failureType' : key] = typeof v === 'string' ? redactText(v) : v;
  }
  const status = e.status ?? e.statusCode ?? (e.response as { statusCode?: unknown } | undefined)?.statusCode;
  if (typeof status === 'number') out.status = status;
  if (e.cause !== undefined && depth < MAX_DEPTH) out.cause = serializeError(e.cause, depth + 1);
  return out;
}

/** A copy of `value` fit for a log line (see the file comment). */
export function redactValue(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (typeof value === 'string') return redactText(value);
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Error) return serializeError(value, depth);
  if (seen.has(value)) return '[circular]';
  if (depth >= MAX_DEPTH) return '[too deep]';
  seen.add(value);
  if (Buffer.isBuffer(value) || ArrayBuffer.isView(value)) return `[${value.byteLength} bytes]`;
  if (value instanceof URL) return redactText(value.href);
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Map) return redactValue(Object.fromEntries(value), depth, seen);
  if (value instanceof Set) return redactValue([...value], depth, seen);
  if (Array.isArray(value)) return value.map((v) => redactValue(v, depth + 1, seen));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    out[key] =
      SECRET_KEY.test(key) && v !== undefined && v !== null && v !== ''
        ? REDACTED
        : redactValue(v, depth + 1, seen);
  }
  return out;
}
