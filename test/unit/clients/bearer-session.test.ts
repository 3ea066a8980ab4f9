/**
 * The bearer token both Personio clients share: one token request for concurrent callers, a
 * failed one forgotten, a refused token renewed once, a second refusal the credential's fault.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApiError } from '../../../clients/api-error.js';
import { BearerSession } from '../../../clients/bearer-session.js';

const refused = (status: number) => new ApiError('Personio', 'credentials', `HTTP ${status}`, status);

test('concurrent callers share one token request; a failed one is forgotten', async () => {
  let fetched = 0;
  let fail = true;
  const session = new BearerSession(async () => {
    fetched++;
    if (fail) throw new Error('auth down');
    return `token-${fetched}`;
  });
  await assert.rejects(session.current(), /auth down/);
  fail = false;
  const tokens = await Promise.all(
    [1, 2, 3].map(() =>
      session.send(
        async (t) => t,
        (e) => e,
      ),
    ),
  );
  assert.deepEqual(tokens, ['token-2', 'token-2', 'token-2']);
  assert.equal(fetched, 2);
});

test('a refused token is renewed once; a second refusal is the credential’s', async () => {
  let fetched = 0;
  const session = new BearerSession(async () => `token-${++fetched}`);
  const used: string[] = [];
  const value = await session.send(
    async (token) => {
      used.push(token);
      if (token === 'token-1') throw refused(401);
      return 'ok';
    },
    () => new Error('not expected'),
  );
  assert.equal(value, 'ok');
  assert.deepEqual(used, ['token-1', 'token-2']);

  await assert.rejects(
    session.send(
      async () => {
        throw refused(403);
      },
      (err) => new Error(`credential refused (${err.status})`),
    ),
    /credential refused \(403\)/,
  );
  // A status the caller does not renew on is passed through untouched, with no new token.
  const before = fetched;
  await assert.rejects(
    session.send(
      async () => {
        throw refused(403);
      },
      () => new Error('not expected'),
      [401],
    ),
    (err: unknown) => err instanceof ApiError && err.status === 403,
  );
  assert.equal(fetched, before);
});
