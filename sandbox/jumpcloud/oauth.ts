/**
 * JumpCloud Service Accounts: the OAuth 2.0 client-credentials token endpoint (JumpCloud
 * serves it at https://admin-oauth.id.jumpcloud.com/oauth2/token, EU
 * admin-oauth.id.eu.jumpcloud.com; the sandbox at `<url>/oauth2/token`), as the README's
 * "JumpCloud Service Accounts" section describes it:
 *
 *   POST /oauth2/token
 *   Authorization: Basic base64(client_id:client_secret)
 *   Content-Type: application/x-www-form-urlencoded
 *   grant_type=client_credentials&scope=api
 *   → 200 {"access_token","token_type":"bearer","expires_in":3600,"scope":"api"}, no-store
 *
 * Errors follow RFC 6749 §5.2: unknown client or wrong secret → 401 `invalid_client` (with
 * WWW-Authenticate), another grant → 400 `unsupported_grant_type`, another scope → 400
 * `invalid_scope`, no grant → 400 `invalid_request`. There is no refresh token: a client asks
 * again before `expires_in` runs out. API requests then carry `Authorization: Bearer <token>`
 * instead of `x-api-key`; an expired or revoked token is a 401.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';

export const TOKEN_PATH = '/oauth2/token';

export interface ServiceAccountOptions {
  clientId: string;
  clientSecret: string;
  /** Seconds a token lives (JumpCloud: one hour). Tests shorten it to see a refresh. */
  tokenLifetimeSeconds?: number;
}

export interface ServiceAccountTokens {
  /** Whether `Authorization: Bearer <token>` names a live token. */
  accepts(authorization: string | undefined): boolean;
  /** Forget every token issued so far (a rotated secret, a test's revocation). */
  revokeAll(): void;
  /** Every token issued so far, in order (tests search logs and histories for them). */
  readonly issued: readonly string[];
  /** How many tokens were issued so far. */
  tokensIssued(): number;
}

const oauthError = (error: string, description: string) => ({ error, error_description: description });

/** Client credentials from `Authorization: Basic …`, or undefined when absent or malformed. */
function basicCredentials(header: string | undefined): { id: string; secret: string } | undefined {
  const encoded = /^Basic ([A-Za-z0-9+/=]+)$/i.exec(header ?? '')?.[1];
  if (!encoded) return undefined;
  const text = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = text.indexOf(':');
  if (colon < 0) return undefined;
  // RFC 6749 §2.3.1: both parts are form-urlencoded before they are joined.
  const decode = (s: string) => decodeURIComponent(s.replace(/\+/g, ' '));
  try {
    return { id: decode(text.slice(0, colon)), secret: decode(text.slice(colon + 1)) };
  } catch {
    return undefined;
  }
}

export function installServiceAccount(
  app: FastifyInstance,
  options: ServiceAccountOptions,
  now: () => number,
): ServiceAccountTokens {
  const lifetime = options.tokenLifetimeSeconds ?? 3600;
  const live = new Map<string, number>(); // token → expiry (ms)
  const issued: string[] = [];

  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string' },
    (_request, body, done) => done(null, Object.fromEntries(new URLSearchParams(String(body)))),
  );

  app.post(TOKEN_PATH, async (request, reply) => {
    void reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
    const client = basicCredentials(request.headers.authorization);
    if (!client || client.id !== options.clientId || client.secret !== options.clientSecret) {
      return reply
        .code(401)
        .header('www-authenticate', 'Basic realm="admin-oauth"')
        .send(oauthError('invalid_client', 'Client authentication failed'));
    }
    const form = (request.body ?? {}) as Record<string, string>;
    if (!form.grant_type)
      return reply.code(400).send(oauthError('invalid_request', 'The request is missing grant_type'));
    if (form.grant_type !== 'client_credentials')
      return reply
        .code(400)
        .send(oauthError('unsupported_grant_type', 'Only client_credentials is supported'));
    const scope = form.scope ?? 'api';
    if (scope !== 'api')
      return reply.code(400).send(oauthError('invalid_scope', `The requested scope is invalid: ${scope}`));
    const token = `jcsa_${randomBytes(24).toString('base64url')}`;
    live.set(token, now() + lifetime * 1000);
    issued.push(token);
    return { access_token: token, token_type: 'bearer', expires_in: lifetime, scope };
  });

  return {
    accepts(authorization) {
      const token = /^Bearer (\S+)$/i.exec(authorization ?? '')?.[1];
      if (!token) return false;
      const expires = live.get(token);
      if (expires === undefined) return false;
      if (expires <= now()) {
        live.delete(token);
        return false;
      }
      return true;
    },
    revokeAll: () => live.clear(),
    issued,
    tokensIssued: () => issued.length,
  };
}
