// Loaded by path (workflow code runs in a sandbox and cannot receive objects from outside):
// failure messages and stack traces go into an encoded payload, so the codec encrypts them
// too, since an error message may name an employee field.
import { DefaultFailureConverter } from '@temporalio/common';

export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
