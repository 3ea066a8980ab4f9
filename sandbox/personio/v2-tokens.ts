/**
 * v2 access tokens (`POST /v2/auth/token`): `papi-` prefixed, 24 h, carrying the granted scopes,
 * revocable. Whether Personio hands out the same token again within its lifetime is unknown;
 * the sandbox issues a fresh one on every request, so a client that assumes stability fails
 * here rather than in production.
 */
import { randomBytes } from 'node:crypto';
import { TOKEN_LIFETIME_MS } from './tokens.js';

/** Scope strings the sandbox knows (the credential holds all of them). */
export const V2_SCOPES = [
  'personio:persons:read',
  'personio:persons:write',
  'personio:webhooks:read',
  'personio:webhooks:write',
  'personio:org-units:read',
  'personio:legal-entities:read',
  'personio:cost-centers:read',
  'personio:workplaces:read',
] as const;

interface V2Token {
  expiresAt: number;
  scopes: ReadonlySet<string>;
}

export class V2TokenRegistry {
  private tokens = new Map<string, V2Token>();

  constructor(
    private readonly now: () => number,
    private readonly lifetimeMs = TOKEN_LIFETIME_MS,
  ) {}

  issue(scopes: readonly string[]): { token: string; expiresInSeconds: number } {
    const token = `papi-${randomBytes(48).toString('base64url')}`;
    this.tokens.set(token, { expiresAt: this.now() + this.lifetimeMs, scopes: new Set(scopes) });
    return { token, expiresInSeconds: Math.round(this.lifetimeMs / 1000) };
  }

  /** The token's scopes, or null when unknown, expired or revoked. */
  scopesOf(token: string): ReadonlySet<string> | null {
    const issued = this.tokens.get(token);
    if (!issued) return null;
    if (issued.expiresAt <= this.now()) {
      this.tokens.delete(token);
      return null;
    }
    return issued.scopes;
  }

  revoke(token: string): void {
    this.tokens.delete(token);
  }

  expireAll(): void {
    this.tokens = new Map();
  }
}
