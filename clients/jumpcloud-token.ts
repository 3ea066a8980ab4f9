/**
 * Access tokens for a JumpCloud Service Account (OAuth 2.0 client credentials; README,
 * "JumpCloud Service Accounts"): fetched on first use, shared by concurrent callers, renewed a
 * while before `expires_in` runs out (and at once when JumpCloud refuses one). The token and
 * the secret live only in this object: never in an activity's arguments or results, never in
 * a message.
 */
import { z } from 'zod';
import { registerSecret } from '../observability/redact.js';
import { ApiError } from './api-error.js';
import { HttpClient, type RequestObserver } from './http.js';

export interface ServiceAccountSettings {
  clientId: string;
  clientSecret: string;
  /** e.g. https://admin-oauth.id.jumpcloud.com/oauth2/token */
  tokenUrl: string;
  timeoutMs?: number;
}

/** The token endpoint refused the client credentials: final, names the variables to fix. */
export class ServiceAccountRefused extends ApiError {}

const tokenAnswer = z.object({
  access_token: z.string().min(1),
  token_type: z.string().regex(/^bearer$/i),
  expires_in: z.number().int().positive().optional(),
});

/** Renew when less than this share of a token's life is left (at most 5 minutes before the end). */
const RENEW_AT_REMAINING = 0.2;

export class ServiceAccountTokenSource {
  private readonly http: HttpClient;
  private readonly path: string;
  private current: Promise<{ token: string; renewAt: number }> | undefined;

  constructor(
    private readonly settings: ServiceAccountSettings,
    observe?: RequestObserver,
    private readonly now: () => number = Date.now,
  ) {
    const url = new URL(settings.tokenUrl);
    this.path = url.pathname;
    this.http = new HttpClient(
      'JumpCloud',
      { baseUrl: url.origin, headers: {}, maxConcurrency: 1, timeoutMs: settings.timeoutMs },
      observe,
    );
  }

  /** A live token: the cached one, or a new one when it is due for renewal. */
  async token(): Promise<string> {
    for (let mine = false; ;) {
      // One token request for all concurrent callers; a failure is forgotten so the next call retries.
      if (!this.current) {
        this.current = this.fetch();
        mine = true;
      }
      const pending = this.current;
      let value: { token: string; renewAt: number };
      try {
        value = await pending;
      } catch (err) {
        if (this.current === pending) this.current = undefined;
        throw err;
      }
      if (mine || this.now() < value.renewAt) return value.token;
      if (this.current === pending) this.current = undefined; // due: ask again
    }
  }

  /** Forget the token (JumpCloud refused it: revoked, or the clock lied). */
  invalidate(): void {
    this.current = undefined;
  }

  private async fetch(): Promise<{ token: string; renewAt: number }> {
    const basic = Buffer.from(
      `${encodeURIComponent(this.settings.clientId)}:${encodeURIComponent(this.settings.clientSecret)}`,
    ).toString('base64');
    const requestedAt = this.now();
    let body: unknown;
    try {
      ({ body } = await this.http.request<unknown>('service account token (POST /oauth2/token)', this.path, {
        method: 'POST',
        headers: { authorization: `Basic ${basic}` },
        form: { grant_type: 'client_credentials', scope: 'api' },
      }));
    } catch (err) {
      if (err instanceof ApiError && (err.status === 400 || err.status === 401 || err.status === 403)) {
        throw new ServiceAccountRefused(
          'JumpCloud',
          'credentials',
          `JumpCloud refused the service account (HTTP ${err.status}): check JUMPCLOUD_CLIENT_ID and JUMPCLOUD_CLIENT_SECRET ` +
            '(JumpCloud Admin Portal → Settings → Service Accounts) and JUMPCLOUD_TOKEN_URL for your region.',
          err.status,
        );
      }
      throw err;
    }
    const parsed = tokenAnswer.safeParse(body);
    if (!parsed.success) {
      throw new ApiError(
        'JumpCloud',
        'invalid',
        'JumpCloud service account token (POST /oauth2/token) answered without a bearer token',
      );
    }
    registerSecret(parsed.data.access_token); // kept out of log lines by value too
    const lifetimeMs = (parsed.data.expires_in ?? 3600) * 1000;
    const margin = Math.min(5 * 60_000, lifetimeMs * RENEW_AT_REMAINING);
    return { token: parsed.data.access_token, renewAt: requestedAt + Math.max(0, lifetimeMs - margin) };
  }
}
