/**
 * An API answer of the wrong shape (a proxy's HTML page with 200, a changed API, a hostile
 * server): the call fails naming the system and the route, and Temporal tries it a bounded
 * number of times only (activities/failures.ts), because trying forever will not change a
 * shape. The server's text is never echoed whole.
 */
import type { z } from 'zod';
import { ApiError, type ApiSystem } from './api-error.js';

/** Attempts of an activity whose answers keep the wrong shape, before it fails for good. */
export const UNEXPECTED_ANSWER_ATTEMPTS = 3;

export class UnexpectedAnswer extends ApiError {
  constructor(
    system: ApiSystem,
    readonly route: string,
    what: string,
  ) {
    super(system, 'invalid', `${system} ${route} answered with an unexpected shape: ${what}`);
    this.name = 'UnexpectedAnswer';
  }
}

/** The parsed answer, or UnexpectedAnswer naming the first problem's path (never its value). */
export function expectAnswer<T>(schema: z.ZodType<T>, body: unknown, system: ApiSystem, route: string): T {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const at = issue?.path.length ? issue.path.map(String).join('.') : 'the body';
  throw new UnexpectedAnswer(system, route, `${at}: ${(issue?.message ?? 'invalid').slice(0, 120)}`);
}
