import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { AesGcmCodec } from '../../../codec/aes-gcm-codec.js';
import { parseKeyRing } from '../../../codec/keys.js';
import { createCodecServer } from '../../../codec/server.js';

const uiOrigin = 'http://127.0.0.1:8233';
const plainPayload = {
  metadata: { encoding: Buffer.from('json/plain').toString('base64') },
  data: Buffer.from('"hello"').toString('base64'),
};

describe('codec server', () => {
  let app: FastifyInstance;
  let url: string;
  before(async () => {
    const codec = new AesGcmCodec(parseKeyRing(`k:${randomBytes(32).toString('base64')}`, 'PAYLOAD_KEYS'));
    app = await createCodecServer({ codec, corsOrigins: [uiOrigin], authToken: 'let-me-in' });
    url = await app.listen({ port: 0, host: '127.0.0.1' });
  });
  after(() => app.close());

  const post = (path: string, body: unknown, token = 'let-me-in') =>
    fetch(`${url}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${token}`,
        'x-namespace': 'default',
        origin: uiOrigin,
      },
      body: JSON.stringify(body),
    });

  it('encodes and decodes payloads in the JSON form Temporal Web sends', async () => {
    const encoded = (await (await post('/encode', { payloads: [plainPayload] })).json()) as {
      payloads: (typeof plainPayload)[];
    };
    assert.equal(
      Buffer.from(encoded.payloads[0]!.metadata.encoding, 'base64').toString(),
      'binary/encrypted',
    );
    const decoded = (await (await post('/decode', encoded)).json()) as { payloads: (typeof plainPayload)[] };
    assert.deepEqual(decoded.payloads[0], plainPayload);
  });

  it('answers the Web UI origin’s preflight with CORS headers', async () => {
    const res = await fetch(`${url}/decode`, {
      method: 'OPTIONS',
      headers: {
        origin: uiOrigin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,x-namespace,authorization',
      },
    });
    assert.equal(res.status, 204);
    assert.equal(res.headers.get('access-control-allow-origin'), uiOrigin);
    assert.match(res.headers.get('access-control-allow-headers') ?? '', /x-namespace/);
  });

  it('gives no CORS grant to another origin', async () => {
    const res = await fetch(`${url}/decode`, {
      method: 'OPTIONS',
      headers: { origin: 'http://evil.example', 'access-control-request-method': 'POST' },
    });
    assert.equal(res.headers.get('access-control-allow-origin'), null);
  });

  it('refuses requests without the bearer token', async () => {
    const res = await post('/decode', { payloads: [] }, 'wrong');
    assert.equal(res.status, 401);
  });

  it('answers an empty payload list, also in the form protobuf JSON writes it ({})', async () => {
    for (const body of [{}, { payloads: [] }]) {
      for (const path of ['/decode', '/encode']) {
        const res = await post(path, body);
        assert.equal(res.status, 200, `${path} ${JSON.stringify(body)}`);
        assert.deepEqual(await res.json(), { payloads: [] });
      }
    }
  });

  it('says what a bad body should look like', async () => {
    const res = await post('/decode', { nope: true });
    assert.equal(res.status, 400);
    assert.match(((await res.json()) as { message: string }).message, /payloads/);
  });
});
