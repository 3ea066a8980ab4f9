/** PERSONIO_API_VERSION: v1 by default, v2 on request, anything else one clear line. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, loadApiSettings } from '../../config/env.js';

const base = { PERSONIO_CLIENT_ID: 'id', PERSONIO_CLIENT_SECRET: 'secret', JUMPCLOUD_API_KEY: 'key' };

test('PERSONIO_API_VERSION selects the Personio API the import reads', () => {
  assert.equal(loadApiSettings(base).personio.apiVersion, 'v1');
  assert.equal(loadApiSettings({ ...base, PERSONIO_API_VERSION: 'v2' }).personio.apiVersion, 'v2');
  assert.throws(
    () => loadApiSettings({ ...base, PERSONIO_API_VERSION: '3' }),
    (err: unknown) =>
      err instanceof ConfigError &&
      /PERSONIO_API_VERSION must be v1 or v2, e.g. PERSONIO_API_VERSION=v2/.test(err.message),
  );
});
