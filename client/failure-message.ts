/**
 * The message a person needs from a failed workflow: Temporal wraps the cause (child
 * workflow → activity → application failure); the innermost message says what happened.
 */
export function rootCauseMessage(err: unknown): string {
  let current: unknown = err;
  let message = err instanceof Error ? err.message : String(err);
  while (current instanceof Error && current.cause) {
    current = current.cause;
    if (current instanceof Error && current.message) message = current.message;
  }
  return message;
}
