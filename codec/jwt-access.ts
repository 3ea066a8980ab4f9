/**
 * Temporal Web's users at the codec server. A browser cannot send the codec server's static
 * token; with TEMPORAL_CODEC_PASS_ACCESS_TOKEN=true Temporal Web sends the signed-in user's
 * access token instead (`Authorization: Bearer <JWT>`), the same token the Temporal frontend
 * checks. With CODEC_JWKS_URL set (the identity provider's JWKS, as TEMPORAL_JWT_KEY_SOURCE1),
 * such a token is accepted when a key of that JWKS signed it (RS256/384/512, ES256/384), it has
 * not expired, and its `permissions` claim grants the codec's namespace (`<namespace>:read`,
 * `:write`, `:worker` or `:admin`, or any role on `temporal-system`): whoever may read the
 * namespace's histories may read them decoded, nobody else.
 */
import { createPublicKey, verify, type JsonWebKey, type KeyObject } from 'node:crypto';
import got from 'got';
import type { JwtAccess } from '../config/codec-access.js';

const ALGORITHMS: Record<string, { hash: string; keyType: 'rsa' | 'ec' }> = {
  RS256: { hash: 'sha256', keyType: 'rsa' },
  RS384: { hash: 'sha384', keyType: 'rsa' },
  RS512: { hash: 'sha512', keyType: 'rsa' },
  ES256: { hash: 'sha256', keyType: 'ec' },
  ES384: { hash: 'sha384', keyType: 'ec' },
};

/** The JWKS is read at most this often (a token with an unknown key id asks again). */
const REFRESH_MS = 5 * 60_000;
const MIN_REFETCH_MS = 30_000;
/** Clock skew allowed on `exp` and `nbf`. */
const SKEW_S = 30;

export type JwksFetch = (url: string) => Promise<unknown>;

const fetchJwks: JwksFetch = (url) =>
  got(url, { timeout: { request: 5000 }, followRedirect: false, retry: { limit: 1 } }).json();

/** Returns a check for bearer tokens; `onProblem` hears why a JWKS could not be read. */
export function createJwtVerifier(
  access: JwtAccess,
  onProblem: (message: string) => void = () => {},
  fetch: JwksFetch = fetchJwks,
): (token: string) => Promise<boolean> {
  let keys = new Map<string, KeyObject>();
  let loadedAt = 0;
  let loading: Promise<void> | null = null;
  const load = () =>
    (loading ??= (async () => {
      try {
        const body = (await fetch(access.jwksUrl)) as { keys?: unknown };
        const next = new Map<string, KeyObject>();
        for (const jwk of Array.isArray(body.keys) ? body.keys : []) {
          const { kid } = jwk as { kid?: unknown };
          if (typeof kid !== 'string') continue;
          try {
            next.set(kid, createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' }));
          } catch {
            // A key of a kind we do not verify with is skipped.
          }
        }
        keys = next;
      } catch (err) {
        onProblem(`CODEC_JWKS_URL could not be read: ${(err as Error).message}`);
      } finally {
        loadedAt = Date.now();
        loading = null;
      }
    })());

  return async (token) => {
    const parts = token.split('.');
    if (parts.length !== 3) return false;
    const [headerText, payloadText, signatureText] = parts as [string, string, string];
    let header: { alg?: unknown; kid?: unknown };
    let claims: { exp?: unknown; nbf?: unknown; permissions?: unknown };
    try {
      header = JSON.parse(Buffer.from(headerText, 'base64url').toString('utf8')) as typeof header;
      claims = JSON.parse(Buffer.from(payloadText, 'base64url').toString('utf8')) as typeof claims;
    } catch {
      return false;
    }
    const algorithm = typeof header.alg === 'string' ? ALGORITHMS[header.alg] : undefined;
    if (!algorithm || typeof header.kid !== 'string') return false;
    const age = Date.now() - loadedAt;
    if (age > REFRESH_MS || (!keys.has(header.kid) && age > MIN_REFETCH_MS)) await load();
    const key = keys.get(header.kid);
    if (!key || key.asymmetricKeyType !== algorithm.keyType) return false;
    const signed = verify(
      algorithm.hash,
      Buffer.from(`${headerText}.${payloadText}`),
      { key, dsaEncoding: 'ieee-p1363' },
      Buffer.from(signatureText, 'base64url'),
    );
    if (!signed) return false;
    const now = Date.now() / 1000;
    if (typeof claims.exp !== 'number' || claims.exp + SKEW_S < now) return false;
    if (claims.nbf !== undefined && (typeof claims.nbf !== 'number' || claims.nbf - SKEW_S > now))
      return false;
    const permissions = Array.isArray(claims.permissions) ? claims.permissions : [];
    return permissions.some(
      (p) =>
        typeof p === 'string' &&
        new RegExp(`^(${escapeRegExp(access.namespace)}|temporal-system):(read|write|worker|admin)$`).test(p),
    );
  };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
