import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { defaultPayloadConverter } from '@temporalio/common';
import { AesGcmCodec } from '../../../codec/aes-gcm-codec.js';
import { parseKeyRing } from '../../../codec/keys.js';
import { ConfigError } from '../../../config/env.js';

const key = (id: string) => `${id}:${randomBytes(32).toString('base64')}`;
const payload = (value: unknown) => defaultPayloadConverter.toPayload(value);
const value = (p: Parameters<typeof defaultPayloadConverter.fromPayload>[0]) =>
  defaultPayloadConverter.fromPayload(p);

describe('AES-GCM payload codec', () => {
  it('round-trips payloads and hides their content', async () => {
    const codec = new AesGcmCodec(parseKeyRing(key('k1'), 'PAYLOAD_KEYS'));
    const secret = { firstName: 'Jürgen', email: 'juergen.mueller@acme.example.com' };
    const [encoded] = await codec.encode([payload(secret)]);
    assert.ok(encoded);
    assert.equal(Buffer.from(encoded.metadata!.encoding!).toString(), 'binary/encrypted');
    assert.equal(Buffer.from(encoded.metadata!['encryption-key-id']!).toString(), 'k1');
    assert.ok(
      !Buffer.from(encoded.data!).toString('latin1').includes('juergen'),
      'no plain text in the encrypted payload',
    );
    const [decoded] = await codec.decode([encoded]);
    assert.deepEqual(value(decoded!), secret);
  });

  it('decodes with an older key after rotation and encrypts with the first', async () => {
    const old = key('2025');
    const fresh = key('2026');
    const before = new AesGcmCodec(parseKeyRing(old, 'PAYLOAD_KEYS'));
    const after = new AesGcmCodec(parseKeyRing(`${fresh},${old}`, 'PAYLOAD_KEYS'));
    const [oldPayload] = await before.encode([payload('written last year')]);
    assert.equal(value((await after.decode([oldPayload!]))[0]!), 'written last year');
    const [newPayload] = await after.encode([payload('x')]);
    assert.equal(Buffer.from(newPayload!.metadata!['encryption-key-id']!).toString(), '2026');
  });

  it('names a missing key id instead of failing obscurely', async () => {
    const [encoded] = await new AesGcmCodec(parseKeyRing(key('gone'), 'PAYLOAD_KEYS')).encode([payload(1)]);
    const other = new AesGcmCodec(parseKeyRing(key('other'), 'PAYLOAD_KEYS'));
    await assert.rejects(other.decode([encoded!]), /encrypted with key "gone", which is not in PAYLOAD_KEYS/);
  });

  it('refuses a tampered payload', async () => {
    const codec = new AesGcmCodec(parseKeyRing(key('k'), 'PAYLOAD_KEYS'));
    const [encoded] = await codec.encode([payload('original')]);
    const data = Buffer.from(encoded!.data!);
    data[20] = (data[20] ?? 0) ^ 1;
    await assert.rejects(codec.decode([{ ...encoded!, data }]));
  });

  it('passes through payloads it did not encrypt', async () => {
    const codec = new AesGcmCodec(parseKeyRing(key('k'), 'PAYLOAD_KEYS'));
    const plain = payload('plain');
    assert.deepEqual(await codec.decode([plain]), [plain]);
  });
});

describe('payload key ring', () => {
  it('explains malformed keys without echoing key material', () => {
    const bad =
      'short:c2hvcnQ=,:abc,dup:' +
      randomBytes(32).toString('base64') +
      ',dup:' +
      randomBytes(32).toString('base64');
    assert.throws(
      () => parseKeyRing(bad, 'PAYLOAD_KEYS'),
      (err: unknown) => {
        assert.ok(err instanceof ConfigError);
        assert.match(err.message, /key "short" must be 32 bytes/);
        assert.match(err.message, /entry 2 needs the form keyId:base64key/);
        assert.match(err.message, /key id "dup" appears twice/);
        assert.ok(!err.message.includes('c2hvcnQ='), 'no key material in the message');
        return true;
      },
    );
  });
});
