/**
 * The sandbox's service-account token endpoint, with the behaviour the README's "JumpCloud
 * Service Accounts" section states, and the project's token source against it: one token
 * shared, renewed before it expires, renewed once when refused, never more.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { JumpCloudClient } from '../../clients/jumpcloud.js';
import { ServiceAccountTokenSource } from '../../clients/jumpcloud-token.js';
import { ApiError } from '../../clients/api-error.js';
import { defaultJumpCloudTokenUrl } from '../../config/env.js';
import {
  createJumpCloudSandbox,
  SANDBOX_JUMPCLOUD_CLIENT_ID,
  SANDBOX_JUMPCLOUD_CLIENT_SECRET,
  type JumpCloudSandboxOptions,
} from '../../sandbox/jumpcloud/server.js';

async function sandbox(t: { after(fn: () => Promise<void>): void }, options: JumpCloudSandboxOptions = {}) {
  const jc = createJumpCloudSandbox(options);
  await jc.listen(0);
  t.after(() => jc.close());
  return jc;
}

const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

function token(url: string, auth: string | null, form: Record<string, string>) {
  return fetch(`${url}/oauth2/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...(auth ? { authorization: auth } : {}),
    },
    body: new URLSearchParams(form).toString(),
  });
}

test('client credentials by Basic auth give a one-hour bearer token for scope api, never cached', async (t) => {
  const jc = await sandbox(t);
  const res = await token(jc.url, basic(SANDBOX_JUMPCLOUD_CLIENT_ID, SANDBOX_JUMPCLOUD_CLIENT_SECRET), {
    grant_type: 'client_credentials',
    scope: 'api',
  });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('cache-control'), 'no-store');
  const body = (await res.json()) as Record<string, unknown>;
  assert.equal(body.token_type, 'bearer');
  assert.equal(body.expires_in, 3600);
  assert.equal(body.scope, 'api');
  assert.equal(typeof body.access_token, 'string');
  assert.equal(body.refresh_token, undefined, 'client credentials get no refresh token');
  const api = await fetch(`${jc.url}/api/systemusers`, {
    headers: { authorization: `Bearer ${String(body.access_token)}` },
  });
  assert.equal(api.status, 200, 'the token opens the API instead of x-api-key');
});

test('wrong credentials, other grants, other scopes and bad tokens are refused as RFC 6749 says', async (t) => {
  const jc = await sandbox(t);
  const good = basic(SANDBOX_JUMPCLOUD_CLIENT_ID, SANDBOX_JUMPCLOUD_CLIENT_SECRET);
  const cases: [string | null, Record<string, string>, number, string][] = [
    [
      basic(SANDBOX_JUMPCLOUD_CLIENT_ID, 'wrong'),
      { grant_type: 'client_credentials' },
      401,
      'invalid_client',
    ],
    [
      basic('someone-else', SANDBOX_JUMPCLOUD_CLIENT_SECRET),
      { grant_type: 'client_credentials' },
      401,
      'invalid_client',
    ],
    [null, { grant_type: 'client_credentials' }, 401, 'invalid_client'],
    [good, {}, 400, 'invalid_request'],
    [good, { grant_type: 'password' }, 400, 'unsupported_grant_type'],
    [good, { grant_type: 'client_credentials', scope: 'admin' }, 400, 'invalid_scope'],
  ];
  for (const [auth, form, status, error] of cases) {
    const res = await token(jc.url, auth, form);
    assert.equal(res.status, status, `${error}: ${res.status}`);
    assert.equal(((await res.json()) as { error: string }).error, error);
    if (status === 401) assert.match(res.headers.get('www-authenticate') ?? '', /^Basic/);
  }
  for (const bearer of ['Bearer nope', 'Bearer ', `Bearer ${SANDBOX_JUMPCLOUD_CLIENT_SECRET}`]) {
    const api = await fetch(`${jc.url}/api/systemusers`, { headers: { authorization: bearer } });
    assert.equal(api.status, 401, bearer);
  }
});

test('a token expires after expires_in', async (t) => {
  let now = 1_000_000;
  const jc = await sandbox(t, { clock: () => now });
  const res = await token(jc.url, basic(SANDBOX_JUMPCLOUD_CLIENT_ID, SANDBOX_JUMPCLOUD_CLIENT_SECRET), {
    grant_type: 'client_credentials',
  });
  const { access_token } = (await res.json()) as { access_token: string };
  const get = () =>
    fetch(`${jc.url}/api/systemusers`, { headers: { authorization: `Bearer ${access_token}` } });
  now += 3599_000;
  assert.equal((await get()).status, 200);
  now += 1000;
  assert.equal((await get()).status, 401);
});

test('the token source shares one token, renews it before expiry, and once when it is refused', async (t) => {
  let now = 5_000_000;
  const jc = await sandbox(t, { clock: () => now });
  const settings = {
    clientId: SANDBOX_JUMPCLOUD_CLIENT_ID,
    clientSecret: SANDBOX_JUMPCLOUD_CLIENT_SECRET,
    tokenUrl: defaultJumpCloudTokenUrl(jc.url),
  };
  const source = new ServiceAccountTokenSource(settings, undefined, () => now);
  const [a, b, c] = await Promise.all([source.token(), source.token(), source.token()]);
  assert.equal(jc.serviceAccount.issued.length, 1, 'one request for concurrent callers');
  assert.ok(a === b && b === c);
  now += 3000_000; // 50 minutes: inside the renewal window (the last 5 minutes are not reached)
  assert.equal(await source.token(), a);
  now += 360_000; // 56 minutes: due
  const renewed = await source.token();
  assert.notEqual(renewed, a);
  assert.equal(jc.serviceAccount.issued.length, 2);

  const client = new JumpCloudClient({ baseUrl: jc.url, serviceAccount: settings });
  await client.checkKey();
  const before: number = jc.serviceAccount.tokensIssued();
  jc.serviceAccount.revokeAll();
  await client.checkKey(); // the refused token is renewed once, transparently
  assert.equal(jc.serviceAccount.tokensIssued(), before + 1);
  assert.equal(jc.stats.snapshot().requests['GET /api/systemusers']?.['401'] ?? 0, 1);
});

test('a wrong secret is a final credentials error naming the variables, not the secret', async (t) => {
  const jc = await sandbox(t);
  const client = new JumpCloudClient({
    baseUrl: jc.url,
    serviceAccount: {
      clientId: SANDBOX_JUMPCLOUD_CLIENT_ID,
      clientSecret: 'not-the-secret-123',
      tokenUrl: `${jc.url}/oauth2/token`,
    },
  });
  const err = await client.checkKey().then(
    () => assert.fail('accepted'),
    (e: unknown) => e,
  );
  assert.ok(err instanceof ApiError);
  assert.equal(err.kind, 'credentials');
  assert.equal(err.retryable, false);
  assert.match(err.message, /JUMPCLOUD_CLIENT_ID and JUMPCLOUD_CLIENT_SECRET/);
  assert.ok(!err.message.includes('not-the-secret-123'));
  assert.equal(
    jc.stats.snapshot().requests['GET /api/systemusers'],
    undefined,
    'no API call without a token',
  );
});

test('the token URL follows the region of JUMPCLOUD_BASE_URL', () => {
  assert.equal(
    defaultJumpCloudTokenUrl('https://console.jumpcloud.com'),
    'https://admin-oauth.id.jumpcloud.com/oauth2/token',
  );
  assert.equal(
    defaultJumpCloudTokenUrl('https://console.eu.jumpcloud.com'),
    'https://admin-oauth.id.eu.jumpcloud.com/oauth2/token',
  );
  assert.equal(defaultJumpCloudTokenUrl('http://127.0.0.1:4000/'), 'http://127.0.0.1:4000/oauth2/token');
});
