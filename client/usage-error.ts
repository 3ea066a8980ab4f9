/** A mistake of the user's: the CLI prints the message alone, no stack, and exits 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}
