/**
 * Bearer tokens as today's Personio issues them: valid 24 h, reusable and shareable, and the
 * same credentials get the same token for its lifetime. `expireAll` serves the expireTokens
 * fault: everything issued so far stops working, the next auth issues a fresh token.
 */
import { randomBytes } from 'node:crypto';

export const TOKEN_LIFETIME_MS = 24 * 60 * 60 * 1000;

interface IssuedToken {
  token: string;
  expiresAt: number;
}

export class TokenRegistry {
  private byToken = new Map<string, IssuedToken>();
  private byClient = new Map<string, IssuedToken>();

  constructor(
    private readonly now: () => number,
    private readonly lifetimeMs = TOKEN_LIFETIME_MS,
  ) {}

  /** The client's live token, or a new one. */
  issue(clientId: string): { token: string; expiresInSeconds: number } {
    const now = this.now();
    let issued = this.byClient.get(clientId);
    if (!issued || issued.expiresAt <= now || !this.byToken.has(issued.token)) {
      issued = { token: `papi-${randomBytes(24).toString('base64url')}`, expiresAt: now + this.lifetimeMs };
      this.byClient.set(clientId, issued);
      this.byToken.set(issued.token, issued);
    }
    return { token: issued.token, expiresInSeconds: Math.round((issued.expiresAt - now) / 1000) };
  }

  isValid(token: string): boolean {
    const issued = this.byToken.get(token);
    return issued !== undefined && issued.expiresAt > this.now();
  }

  expireAll(): void {
    this.byToken = new Map();
    this.byClient = new Map();
  }
}
