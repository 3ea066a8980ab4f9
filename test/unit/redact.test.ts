import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { createLogger } from '../../observability/logger.js';
import { redactText, redactValue, registerSecret, serializeError } from '../../observability/redact.js';

/** A logger writing JSON lines into an array. */
function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { logger: createLogger({ name: 't', level: 'debug', pretty: false, destination }), lines };
}

describe('redaction of log lines', () => {
  it('keeps scheme and host of a URL, drops its user info and path', () => {
    assert.equal(
      redactText('POST https://hooks.slack.com/services/T0/B0/abc?x=1 failed'),
      'POST https://hooks.slack.com/[redacted] failed',
    );
    assert.equal(
      redactText('smtp://user:p%40ss@mail.example.com:587'),
      'smtp://[redacted]@mail.example.com:587',
    );
    assert.equal(redactText('listening on http://127.0.0.1:8888'), 'listening on http://127.0.0.1:8888');
    assert.equal(redactText('Authorization: Bearer abc.def-ghi'), 'Authorization: Bearer [redacted]');
  });

  it('replaces registered secret values anywhere', () => {
    registerSecret('s3cr3t-value-1234');
    assert.equal(redactText('key=s3cr3t-value-1234;'), 'key=[redacted];');
    registerSecret('abc'); // too short to be a credential: never registered
    assert.equal(redactText('abc'), 'abc');
  });

  it('redacts secret keys at any depth and URLs in any string', () => {
    const value = redactValue({
      a: { b: { c: { d: { apiKey: 'k', clientSecret: 's', note: 'see https://x.test/secret/path' } } } },
      list: [{ headers: { authorization: 'Basic x', 'x-api-key': 'k', accept: 'json' } }],
      keyIds: ['k1'],
      auth: true,
    });
    assert.deepEqual(value, {
      a: {
        b: {
          c: {
            d: { apiKey: '[redacted]', clientSecret: '[redacted]', note: 'see https://x.test/[redacted]' },
          },
        },
      },
      list: [{ headers: { authorization: '[redacted]', 'x-api-key': '[redacted]', accept: 'json' } }],
      keyIds: ['k1'],
      auth: true,
    });
  });

  it('reduces errors to type, message, code, stack and cause, with no request options or response', () => {
    const err = Object.assign(new Error('Request failed: POST https://u:p@h.test/services/x'), {
      code: 'ERR_NON_2XX_3XX_RESPONSE',
      options: {
        url: 'https://u:p@h.test/services/x',
        headers: { authorization: 'Basic dTpw' },
        body: '{"token":"t"}',
      },
      response: { statusCode: 500, body: 'secret-bearing body' },
      cause: new Error('inner https://h.test/deep/secret'),
    });
    const out = JSON.stringify(serializeError(err));
    assert.doesNotMatch(out, /options|headers|services|dTpw|secret-bearing|deep\/secret/);
    assert.match(out, /"status":500/);
    assert.match(out, /https:\/\/\[redacted\]@h\.test\/\[redacted\]/);
  });

  it('the project logger applies it to every argument, Errors and nested objects included', () => {
    const { logger, lines } = capture();
    registerSecret('registered-secret-xyz');
    logger.error(
      { error: new Error('x https://a.test/p/q'), deep: { l1: { l2: { l3: { token: 't' } } } } },
      'm',
    );
    logger.warn(new Error('thrown with registered-secret-xyz'));
    logger.info('plain text with http://u:pw@host.test/hook');
    const text = lines.join('');
    assert.doesNotMatch(text, /\/p\/q|"token":"t"|registered-secret-xyz|u:pw|\/hook/);
    assert.match(text, /"err":\{"type":"Error","message":"thrown with \[redacted\]"/);
  });
});
