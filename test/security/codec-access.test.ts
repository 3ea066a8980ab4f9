/**
 * Hostile attempts on the codec server process (`npm run codec-server`), which decrypts
 * workflow history for whoever it answers: listening beyond loopback without a token, no or
 * a wrong token, a DNS-rebinding Host, and a token read from CODEC_AUTH_TOKEN_FILE that must
 * work and never be logged; and Temporal Web users' access tokens (CODEC_JWKS_URL), with
 * forged, expired and other-namespace ones refused.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadTokenIssuer, serveJwks, type TokenIssuer } from '../../local-temporal/cluster-auth.js';
import { freePort } from '../../local-temporal/dev-server.js';
import { runProject, type ProcessHandle } from '../helpers/worker-process.js';

const payloadKeys = `k1:${randomBytes(32).toString('base64')}`;
const token = randomBytes(32).toString('base64');
const dir = mkdtempSync(join(tmpdir(), 'codec-access-'));
const tokenFile = join(dir, 'codec_auth_token');
writeFileSync(tokenFile, `${token}\n`, { mode: 0o600 });

/** Runs the codec server with `env` until it exits; for settings it must refuse. */
async function refused(env: Record<string, string>) {
  const codec = runProject('codec/main.ts', [], { PAYLOAD_KEYS: payloadKeys, ...env });
  const code = await codec.exited;
  return { code, output: codec.output.join('\n') };
}

/** A raw request, so the Host header is ours to choose (fetch would set it). */
function post(
  port: number,
  path: string,
  headers: Record<string, string>,
  body: unknown,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
      },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

const plain = {
  metadata: { encoding: Buffer.from('json/plain').toString('base64') },
  data: Buffer.from('"Ada Lovelace"').toString('base64'),
};

describe('the codec server process refuses to listen beyond loopback without a token', () => {
  it('CODEC_SERVER_HOST=0.0.0.0 and no token: exits 1 naming CODEC_AUTH_TOKEN, no stack trace', async () => {
    const { code, output } = await refused({ CODEC_SERVER_HOST: '0.0.0.0', CODEC_SERVER_PORT: '0' });
    assert.equal(code, 1, output);
    assert.match(output, /CODEC_SERVER_HOST=0\.0\.0\.0 listens beyond loopback/);
    assert.match(output, /CODEC_AUTH_TOKEN_FILE=/);
    assert.doesNotMatch(output, /\n\s+at /, 'no stack trace');
  });

  it('a short token is refused, and its value is not echoed', async () => {
    const { code, output } = await refused({ CODEC_SERVER_HOST: '0.0.0.0', CODEC_AUTH_TOKEN: 'letmein' });
    assert.equal(code, 1, output);
    assert.match(output, /CODEC_AUTH_TOKEN is too short/);
    assert.ok(!output.includes('letmein'), 'the token is not in the message');
  });

  it('CODEC_AUTH_TOKEN and CODEC_AUTH_TOKEN_FILE together are refused', async () => {
    const { code, output } = await refused({ CODEC_AUTH_TOKEN: token, CODEC_AUTH_TOKEN_FILE: tokenFile });
    assert.equal(code, 1, output);
    assert.match(output, /CODEC_AUTH_TOKEN and CODEC_AUTH_TOKEN_FILE are both set/);
    assert.ok(!output.includes(token));
  });

  it('an unreadable CODEC_AUTH_TOKEN_FILE is named', async () => {
    const { code, output } = await refused({ CODEC_AUTH_TOKEN_FILE: join(dir, 'missing') });
    assert.equal(code, 1, output);
    assert.match(output, /CODEC_AUTH_TOKEN_FILE=.*missing cannot be read \(ENOENT\)/);
  });
});

describe('the codec server process with CODEC_AUTH_TOKEN_FILE', () => {
  let codec: ProcessHandle;
  let port: number;
  before(async () => {
    port = await freePort();
    codec = runProject('codec/main.ts', [], {
      PAYLOAD_KEYS: payloadKeys,
      CODEC_SERVER_HOST: '0.0.0.0',
      CODEC_SERVER_PORT: String(port),
      CODEC_AUTH_TOKEN_FILE: tokenFile,
      CODEC_ALLOWED_HOSTS: 'codec.example.test',
      LOG_LEVEL: 'debug',
    });
    await codec.waitFor(/codec server listening/);
  });
  after(() => codec.stop());

  const auth = () => ({ authorization: `Bearer ${token}`, host: `127.0.0.1:${port}` });

  it('says that auth is on (the token came from the file)', () => {
    const line = JSON.parse(codec.output.find((l) => l.includes('codec server listening'))!) as {
      auth: boolean;
    };
    assert.equal(line.auth, true);
  });

  it('encodes and decodes for the right token', async () => {
    const encoded = await post(port, '/encode', auth(), { payloads: [plain] });
    assert.equal(encoded.status, 200, encoded.text);
    assert.ok(!encoded.text.includes(plain.data), 'encrypted');
    const decoded = await post(port, '/decode', auth(), JSON.parse(encoded.text));
    assert.equal(decoded.status, 200);
    assert.ok(decoded.text.includes(plain.data));
  });

  it('refuses no token, a wrong token, a token of another length and a non-Bearer scheme', async () => {
    const encoded = JSON.parse((await post(port, '/encode', auth(), { payloads: [plain] })).text) as unknown;
    const attempts: Record<string, string>[] = [
      { host: `127.0.0.1:${port}` },
      { ...auth(), authorization: `Bearer ${randomBytes(32).toString('base64')}` },
      { ...auth(), authorization: `Bearer ${token}x` },
      { ...auth(), authorization: `Bearer ${token.slice(0, -1)}` },
      { ...auth(), authorization: `Basic ${Buffer.from(`x:${token}`).toString('base64')}` },
      { ...auth(), authorization: token },
    ];
    for (const headers of attempts) {
      const res = await post(port, '/decode', headers, encoded);
      assert.equal(res.status, 401, `${JSON.stringify(headers)} → ${res.status}`);
      assert.ok(!res.text.includes(plain.data), 'nothing decoded');
    }
  });

  it('refuses a DNS-rebinding Host even with the right token, accepts a listed one', async () => {
    for (const host of [
      'evil.example',
      `evil.example:${port}`,
      'codec.example.test.evil.example',
      '10.0.0.1',
    ]) {
      const res = await post(port, '/decode', { ...auth(), host }, { payloads: [] });
      assert.equal(res.status, 421, `Host "${host}" → ${res.status}`);
    }
    const listed = await post(
      port,
      '/encode',
      { ...auth(), host: `codec.example.test:${port}` },
      {
        payloads: [plain],
      },
    );
    assert.equal(listed.status, 200, listed.text);
  });

  it('never logs the token', () => {
    assert.ok(codec.output.length > 0);
    assert.ok(!codec.output.join('\n').includes(token));
  });
});

/**
 * Temporal Web in docker-compose.yml passes the signed-in user's access token to the codec
 * server (TEMPORAL_CODEC_PASS_ACCESS_TOKEN=true): with CODEC_JWKS_URL the codec server takes a
 * token the identity provider signed that grants its namespace, and refuses forged, expired,
 * other-namespace, unsigned and wrong-algorithm tokens. The CLI's static token still works.
 */
describe('the codec server process with CODEC_JWKS_URL (Temporal Web users’ access tokens)', () => {
  let codec: ProcessHandle;
  let port: number;
  let issuer: TokenIssuer;
  let stranger: TokenIssuer;
  let jwks: Awaited<ReturnType<typeof serveJwks>>;
  let encoded: unknown;
  before(async () => {
    issuer = await loadTokenIssuer(join(dir, 'idp'));
    stranger = await loadTokenIssuer(join(dir, 'stranger'));
    jwks = await serveJwks(issuer);
    port = await freePort();
    codec = runProject('codec/main.ts', [], {
      PAYLOAD_KEYS: payloadKeys,
      CODEC_SERVER_HOST: '0.0.0.0',
      CODEC_SERVER_PORT: String(port),
      CODEC_AUTH_TOKEN: token,
      CODEC_JWKS_URL: jwks.url,
      TEMPORAL_NAMESPACE: 'imports',
      CODEC_CORS_ORIGINS: 'http://127.0.0.1:8080',
    });
    await codec.waitFor(/codec server listening/);
    const res = await post(
      port,
      '/encode',
      { authorization: `Bearer ${token}`, host: `127.0.0.1:${port}` },
      {
        payloads: [plain],
      },
    );
    assert.equal(res.status, 200, res.text);
    encoded = JSON.parse(res.text);
  });
  after(async () => {
    await codec?.stop();
    await jwks?.close();
  });
  const decode = (bearer: string) =>
    post(port, '/decode', { authorization: `Bearer ${bearer}`, host: `127.0.0.1:${port}` }, encoded);

  it('says where it checks tokens, and decodes for a reader of its namespace', async () => {
    const line = JSON.parse(codec.output.find((l) => l.includes('codec server listening'))!) as {
      jwks: string;
      namespace: string;
    };
    assert.equal(
      line.jwks,
      `${new URL(jwks.url).origin}/[redacted]`,
      'its host (the logger hides URL paths)',
    );
    assert.equal(line.namespace, 'imports');
    for (const permissions of [
      ['imports:read'],
      ['other:write', 'imports:admin'],
      ['temporal-system:admin'],
    ]) {
      const res = await decode(issuer.token({ sub: 'ada', permissions, ttlSeconds: 300 }));
      assert.equal(res.status, 200, `${permissions.join(',')}: ${res.text}`);
      assert.ok(res.text.includes(plain.data));
    }
  });

  it('refuses another namespace, an expired, a forged, an unsigned and an HS256 token', async () => {
    const good = issuer.token({ sub: 'ada', permissions: ['imports:read'], ttlSeconds: 300 });
    const [header, payload] = good.split('.') as [string, string];
    const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    const attempts: Record<string, string> = {
      'another namespace': issuer.token({ sub: 'eve', permissions: ['other:admin'], ttlSeconds: 300 }),
      'no permissions': issuer.token({ sub: 'eve', permissions: [], ttlSeconds: 300 }),
      'a prefix of the namespace': issuer.token({
        sub: 'eve',
        permissions: ['imports-x:read'],
        ttlSeconds: 300,
      }),
      expired: issuer.token({ sub: 'eve', permissions: ['imports:read'], ttlSeconds: -120 }),
      // Signed by another key that claims the identity provider's key id.
      forged: `${header}.${payload}.${stranger.token({ sub: 'eve', permissions: ['imports:read'], ttlSeconds: 300 }).split('.')[2]}`,
      'claims changed after signing': `${header}.${b64({ ...claims, permissions: ['imports:admin', 'x'] })}.${good.split('.')[2]}`,
      unsigned: `${b64({ alg: 'none', typ: 'JWT', kid: issuer.kid })}.${payload}.`,
      'HS256 with the public key as secret': `${b64({ alg: 'HS256', typ: 'JWT', kid: issuer.kid })}.${payload}.${Buffer.from('x').toString('base64url')}`,
      'not a JWT': 'abc',
    };
    for (const [what, bearer] of Object.entries(attempts)) {
      const res = await decode(bearer);
      assert.equal(res.status, 401, `${what} → ${res.status}`);
      assert.ok(!res.text.includes(plain.data), `${what}: nothing decoded`);
    }
  });

  it('still takes the CLI’s static token, and never logs a token', async () => {
    const res = await decode(token);
    assert.equal(res.status, 200);
    const log = codec.output.join('\n');
    assert.ok(!log.includes(token));
    assert.ok(
      !log.includes(
        issuer.token({ sub: 'ada', permissions: ['imports:read'], ttlSeconds: 300 }).split('.')[2]!,
      ),
    );
  });

  it('an http JWKS URL beyond loopback is refused at start', async () => {
    const { code, output } = await refused({
      CODEC_AUTH_TOKEN: token,
      CODEC_JWKS_URL: 'http://idp.example.test/.well-known/jwks.json',
    });
    assert.equal(code, 1);
    assert.match(output, /CODEC_JWKS_URL must be an https URL/);
  });
});
