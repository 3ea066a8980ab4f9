// The failure types the import's workflows and activities raise and match on, in one place:
// a name spelled differently on the two sides would silently turn a final failure into
// endless retries. Free of Node built-ins: workflow code imports this file.

/** JumpCloud or Personio refused the credentials: the import ends at once with how to fix them. */
export const CREDENTIALS_REJECTED = 'CredentialsRejected';
/** JumpCloud refused one request (a validation error): that employee fails, the import goes on. */
export const REQUEST_REJECTED = 'RequestRejected';
/** The import's input broke a rule (its own checks or the worker's import policy). */
export const INVALID_IMPORT_INPUT = 'InvalidImportInput';
/** An API answer of the wrong shape (clients/unexpected-answer.ts): a few tries, then final. */
export const UNEXPECTED_ANSWER = 'UnexpectedAnswer';
/** State, a page or a step not sealed by the import's own worker (activities/carried-state.ts). */
export const FORGED_STATE = 'ForgedState';
/** An approval decision that was not accepted (signature, approver, already decided). */
export const APPROVAL_REFUSED = 'ApprovalRefused';
/** A held page's step failed without a typed cause. */
export const PAGE_FAILED = 'PageFailed';
/** A notification destination the import policy does not allow: no retry makes it allowed. */
export const DESTINATION_REFUSED = 'DestinationRefused';
/** An activation timer asked for a time that is not an ISO 8601 instant. */
export const INVALID_ACTIVATION_TIME = 'InvalidActivationTime';
/** A payload encrypted with a key the codec does not have (PAYLOAD_KEYS). */
export const UNKNOWN_ENCRYPTION_KEY = 'UnknownEncryptionKey';

/**
 * A transient API failure, retried by Temporal: `JumpCloudRateLimited`, `PersonioServerError`,
 * `JumpCloudNetworkError`…
 */
export function transientFailureType(system: 'Personio' | 'JumpCloud', kind: string): string {
  return `${system}${kind === 'rate-limited' ? 'RateLimited' : kind === 'server' ? 'ServerError' : 'NetworkError'}`;
}

/** Failure types the workflows' retry policies treat as final. */
export const FINAL_FAILURE_TYPES = [CREDENTIALS_REJECTED, REQUEST_REJECTED, INVALID_IMPORT_INPUT];
