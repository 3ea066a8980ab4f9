import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bearerMatches, hostAllowed, hostNameOf } from '../../../codec/access.js';
import { isLoopbackHost, loadCodecAccess } from '../../../config/codec-access.js';
import { ConfigError } from '../../../config/env.js';

const token = 'a-token-of-at-least-24-characters';

describe('codec server access', () => {
  it('knows loopback hosts', () => {
    for (const h of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]', '::ffff:127.0.0.1'])
      assert.equal(isLoopbackHost(h), true, h);
    for (const h of ['0.0.0.0', '::', '10.0.0.1', 'codec.example.com', '128.0.0.1'])
      assert.equal(isLoopbackHost(h), false, h);
  });

  it('needs a token beyond loopback, not on it', () => {
    assert.equal(loadCodecAccess({}).authToken, undefined);
    assert.throws(
      () => loadCodecAccess({ CODEC_SERVER_HOST: '0.0.0.0' }),
      (e: unknown) => e instanceof ConfigError && /listens beyond loopback/.test(e.problems[0]!),
    );
    assert.equal(loadCodecAccess({ CODEC_SERVER_HOST: '::', CODEC_AUTH_TOKEN: token }).authToken, token);
  });

  it('lists every problem at once and echoes no token', () => {
    try {
      loadCodecAccess({
        CODEC_SERVER_PORT: 'http',
        CODEC_AUTH_TOKEN: 'short-one',
        CODEC_ALLOWED_HOSTS: 'a/b',
      });
      assert.fail('accepted');
    } catch (e) {
      assert.ok(e instanceof ConfigError);
      assert.equal(e.problems.length, 3, e.message);
      assert.ok(!e.message.includes('short-one'));
    }
  });

  it('allows the loopback names, a specific bind host and the listed names, by host name', () => {
    const { allowedHosts } = loadCodecAccess({
      CODEC_SERVER_HOST: '10.1.2.3',
      CODEC_AUTH_TOKEN: token,
      CODEC_ALLOWED_HOSTS: 'Codec.Example.com, ::1',
    });
    for (const h of ['127.0.0.1:8888', 'localhost', '[::1]:8888', '10.1.2.3:8888', 'codec.example.com:443'])
      assert.equal(hostAllowed(h, allowedHosts), true, h);
    for (const h of [undefined, '', 'evil.example', 'codec.example.com.evil.example', '127.0.0.1.nip.io'])
      assert.equal(hostAllowed(h, allowedHosts), false, String(h));
    assert.equal(hostNameOf('[::1]:80'), '[::1]');
  });

  it('compares bearer tokens exactly', () => {
    assert.equal(bearerMatches(`Bearer ${token}`, token), true);
    assert.equal(bearerMatches(`bearer ${token}`, token), true);
    for (const h of [undefined, '', token, `Bearer ${token} `, `Bearer ${token.slice(1)}`, `Basic ${token}`])
      assert.equal(bearerMatches(h, token), false, String(h));
  });
});
