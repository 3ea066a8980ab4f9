/**
 * The cluster's token issuer, in the shape an identity provider has: an ES256 signing key
 * made on first start (kept in the data directory), its public half published as a JWKS on
 * loopback for the frontend's default JWT claim mapper (`global.authorization.jwtKeyProvider`),
 * and tokens whose `permissions` claim reads `<namespace>:<role>` (read, write, worker, admin;
 * `temporal-system:admin` is system-wide), which the default authorizer checks per call.
 */
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  type KeyObject,
} from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

export interface TokenIssuer {
  /** The key id the JWKS and every token carry. */
  kid: string;
  jwks: { keys: Record<string, unknown>[] };
  token(claims: { sub: string; permissions: string[]; ttlSeconds: number }): string;
}

const b64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

export async function loadTokenIssuer(dir: string): Promise<TokenIssuer> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const keyFile = join(dir, 'jwt-signing.key');
  let privateKey: KeyObject;
  if (existsSync(keyFile)) privateKey = createPrivateKey(await readFile(keyFile));
  else {
    privateKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    await writeFile(keyFile, privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600 });
  }
  const publicJwk = createPublicKey(privateKey).export({ format: 'jwk' });
  // RFC 7638-style thumbprint as the key id: stable for one key, new for a new one.
  const kid = createHash('sha256')
    .update(JSON.stringify({ crv: publicJwk.crv, kty: publicJwk.kty, x: publicJwk.x, y: publicJwk.y }))
    .digest('base64url');
  return {
    kid,
    jwks: { keys: [{ ...publicJwk, kid, use: 'sig', alg: 'ES256' }] },
    token({ sub, permissions, ttlSeconds }) {
      const now = Math.floor(Date.now() / 1000);
      const header = b64url(JSON.stringify({ alg: 'ES256', typ: 'JWT', kid }));
      const payload = b64url(
        JSON.stringify({ sub, permissions, iat: now, nbf: now - 60, exp: now + ttlSeconds }),
      );
      const signature = sign('sha256', Buffer.from(`${header}.${payload}`), {
        key: privateKey,
        dsaEncoding: 'ieee-p1363',
      });
      return `${header}.${payload}.${b64url(signature)}`;
    },
  };
}

/** Serves the JWKS on 127.0.0.1 (GET /.well-known/jwks.json); everything else is 404. */
export async function serveJwks(
  issuer: TokenIssuer,
  port = 0,
): Promise<{ url: string; server: Server; close: () => Promise<void> }> {
  const body = JSON.stringify(issuer.jwks);
  const server = createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/.well-known/jwks.json') {
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'max-age=60' });
      res.end(body);
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${bound}/.well-known/jwks.json`,
    server,
    close: () => new Promise((r) => server.close(() => r())),
  };
}
