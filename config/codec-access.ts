/**
 * The codec server's access settings: CODEC_SERVER_HOST/PORT, CODEC_AUTH_TOKEN(_FILE) (required
 * whenever it listens beyond loopback), CODEC_ALLOWED_HOSTS, and CODEC_JWKS_URL with the
 * namespace its tokens must grant (codec/jwt-access.ts checks them). Every problem at once.
 */
import { isIP } from 'node:net';
import { ConfigError, readSecret } from './env.js';

type Env = Record<string, string | undefined>;

export interface JwtAccess {
  jwksUrl: string;
  namespace: string;
}

/** CODEC_JWKS_URL (optional) and the namespace its tokens must grant; problems are pushed. */
export function loadJwtAccess(env: Env, problems: string[]): JwtAccess | undefined {
  const jwksUrl = env.CODEC_JWKS_URL?.trim();
  if (!jwksUrl) return undefined;
  const url = URL.canParse(jwksUrl) ? new URL(jwksUrl) : null;
  const loopback = url !== null && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  if (!url || !(url.protocol === 'https:' || (url.protocol === 'http:' && loopback))) {
    problems.push(
      `CODEC_JWKS_URL must be an https URL of your identity provider's JWKS (the one the Temporal frontend uses), e.g. CODEC_JWKS_URL=https://idp.example.com/.well-known/jwks.json; got "${jwksUrl}"`,
    );
    return undefined;
  }
  return { jwksUrl, namespace: env.TEMPORAL_NAMESPACE?.trim() || 'default' };
}

export interface CodecAccess {
  host: string;
  port: number;
  /** Required (set) whenever `host` is not loopback. */
  authToken: string | undefined;
  /** Host names (no port) the Host header may carry. */
  allowedHosts: string[];
  /** Temporal Web users' access tokens, checked against this JWKS (codec/jwt-access.ts). */
  jwt: JwtAccess | undefined;
}

/** A token shorter than this is guessable; `openssl rand -base64 32` gives 44 characters. */
export const MIN_TOKEN_LENGTH = 24;

const TOKEN_EXAMPLE =
  'CODEC_AUTH_TOKEN_FILE=/run/secrets/codec_auth_token (made with: openssl rand -base64 32)';

export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h === '::1') return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  if (h.startsWith('::ffff:')) return isLoopbackHost(h.slice(7));
  return false;
}

/** CODEC_SERVER_HOST/PORT, CODEC_AUTH_TOKEN(_FILE), CODEC_ALLOWED_HOSTS; every problem at once. */
export function loadCodecAccess(env: Env = process.env): CodecAccess {
  const problems: string[] = [];
  const host = env.CODEC_SERVER_HOST?.trim() || '127.0.0.1';
  const rawPort = env.CODEC_SERVER_PORT?.trim() || '8888';
  const port = Number(rawPort);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    problems.push(`CODEC_SERVER_PORT must be a port number, e.g. CODEC_SERVER_PORT=8888; got "${rawPort}"`);
  const authToken = readSecret(env, 'CODEC_AUTH_TOKEN', problems);
  if (authToken !== undefined && authToken.length < MIN_TOKEN_LENGTH)
    problems.push(
      `CODEC_AUTH_TOKEN is too short (${authToken.length} characters, at least ${MIN_TOKEN_LENGTH}): use ${TOKEN_EXAMPLE}`,
    );
  const jwt = loadJwtAccess(env, problems);
  if (!authToken && !env.CODEC_AUTH_TOKEN_FILE && !env.CODEC_JWKS_URL?.trim() && !isLoopbackHost(host))
    problems.push(
      `CODEC_SERVER_HOST=${host} listens beyond loopback, so the codec server needs a token: set ${TOKEN_EXAMPLE} (and CODEC_JWKS_URL for Temporal Web's users), or listen on CODEC_SERVER_HOST=127.0.0.1`,
    );
  const extra = (env.CODEC_ALLOWED_HOSTS ?? '')
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  for (const h of extra)
    // A bare IPv6 address (::1) is a host name too; it is bracketed below as Host headers carry it.
    if (isIP(h) === 0 && !/^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)$/.test(h))
      problems.push(
        `CODEC_ALLOWED_HOSTS has "${h}", not a host name: list the names browsers and the CLI use for this server, without port, e.g. CODEC_ALLOWED_HOSTS=codec.example.com,codec-server`,
      );
  if (problems.length > 0) throw new ConfigError(problems);
  const wildcard = ['0.0.0.0', '::', '[::]', ''].includes(host);
  const allowedHosts = [
    ...new Set([
      'localhost',
      '127.0.0.1',
      '[::1]',
      ...(wildcard ? [] : [host.toLowerCase()]),
      ...extra.map((h) => (isIP(h) === 6 ? `[${h}]` : h)),
    ]),
  ];
  return { host, port, authToken: authToken || undefined, allowedHosts, jwt };
}
