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

/** Failure types the workflows' retry policies treat as final. */
export const FINAL_FAILURE_TYPES = [CREDENTIALS_REJECTED, REQUEST_REJECTED, INVALID_IMPORT_INPUT];
