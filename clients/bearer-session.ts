/**
 * The bearer token both Personio clients (v1 `/v1/auth`, v2 `/v2/auth/token`) send with every
 * request: fetched once for all concurrent callers, forgotten when fetching fails (the next call
 * tries again), and renewed once, transparently, when the API refuses it (expired or revoked).
 * The token lives only in this object, never in an activity's arguments, results or errors.
 */
import { ApiError } from './api-error.js';

export class BearerSession {
  private token: Promise<string> | undefined;

  constructor(private readonly fetchToken: () => Promise<string>) {}

  /** Fetches a fresh token now (checks the credentials). */
  async renew(): Promise<void> {
    this.token = undefined;
    await this.current();
  }

  current(): Promise<string> {
    // One token request for all concurrent callers; a failure is forgotten so the next call retries.
    this.token ??= this.fetchToken().catch((err: unknown) => {
      this.token = undefined;
      throw err;
    });
    return this.token;
  }

  /**
   * `send(token)`; when the API refuses the token (a status in `renewOn`), the token is dropped
   * and the request sent once more with a fresh one. A second refusal is the credential's own
   * fault, not the token's: `refusedAgain` turns it into the error to throw.
   */
  async send<T>(
    send: (token: string) => Promise<T>,
    refusedAgain: (err: ApiError) => Error,
    renewOn: readonly number[] = [401, 403],
  ): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const token = await this.current();
      try {
        return await send(token);
      } catch (err) {
        if (!(err instanceof ApiError && err.status !== undefined && renewOn.includes(err.status))) throw err;
        if (attempt > 0) throw refusedAgain(err);
        // Only the token this request used is dropped: a concurrent renewal is kept.
        if (this.token && (await this.token.catch(() => null)) === token) this.token = undefined;
      }
    }
  }
}
