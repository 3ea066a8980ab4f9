/** The receiver's settings: defaults, and one clear line per mistake naming the variable. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, loadReceiverSettings } from '../../config/env.js';

const token = 'Bearer 0123456789abcdef0123';

test('receiver settings: loopback default, token required, limits checked', () => {
  const settings = loadReceiverSettings({ PERSONIO_WEBHOOK_TOKEN: token });
  assert.deepEqual(settings.bind, { host: '127.0.0.1', port: 8790 });
  assert.equal(settings.bodyLimitBytes, 65_536);
  assert.equal(settings.debounceMs, 1000);
  const problems = (env: Record<string, string>) => {
    try {
      loadReceiverSettings(env);
      return [];
    } catch (err) {
      assert.ok(err instanceof ConfigError);
      return err.problems;
    }
  };
  assert.match(problems({})[0]!, /^PERSONIO_WEBHOOK_TOKEN is missing/);
  assert.match(problems({ PERSONIO_WEBHOOK_TOKEN: 'short' })[0]!, /PERSONIO_WEBHOOK_TOKEN is too short/);
  const many = problems({
    PERSONIO_WEBHOOK_TOKEN: token,
    RECEIVER_BIND_ADDRESS: 'nohost',
    RECEIVER_BODY_LIMIT_BYTES: '-1',
    RECEIVER_DEBOUNCE_MS: 'soon',
    RECEIVER_IMPORT_OPTIONS: '[1]',
  });
  assert.equal(many.length, 4);
  for (const name of [
    'RECEIVER_BIND_ADDRESS',
    'RECEIVER_BODY_LIMIT_BYTES',
    'RECEIVER_DEBOUNCE_MS',
    'RECEIVER_IMPORT_OPTIONS',
  ])
    assert.ok(
      many.some((p) => p.startsWith(name)),
      name,
    );
});
