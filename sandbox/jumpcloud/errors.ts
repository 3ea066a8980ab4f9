/**
 * JumpCloud-shaped errors. The API answers errors with a small JSON body whose `message`
 * says what went wrong (v1 and v2 alike); clients branch on the status, never on the text,
 * except for the `Already Exists` of v2 conflicts, which the docs tell them to treat as success.
 */

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export const badRequest = (message: string) => new ApiError(400, message);
export const notFound = (message = 'Not Found') => new ApiError(404, message);
/** The exact message real v2 conflicts carry. */
export const ALREADY_EXISTS = 'Already Exists';
export const conflict = (message = ALREADY_EXISTS) => new ApiError(409, message);

/** Body of every error answer, including injected faults. */
export function jumpCloudErrorBody(_status: number, message: string): { message: string } {
  return { message };
}

/** The exact body JumpCloud sends for a missing or unknown API key. */
export const UNAUTHORIZED_BODY = Object.freeze({
  error: 'Unauthorized',
  message: 'Unauthorized: api key user not found',
});
