/**
 * v1 fidelity: Personnel Data answers carry the token in the `Authorization` response header,
 * as Personio documents for v1, so a client that takes its next token from there (the old
 * rotating-token style) pages through everyone; errors and the auth call carry none.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { authenticate, start } from './personio-helpers.js';

test('a client that takes each next token from the Authorization response header reads every page', async (t) => {
  const s = await start({ employees: 230, seed: 3 });
  t.after(() => s.sandbox.close());
  let token = await authenticate(s.url);
  const ids: number[] = [];
  for (let offset = 0; ; offset += 100) {
    const response = await fetch(`${s.url}/v1/company/employees?limit=100&offset=${offset}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(response.status, 200);
    const header = response.headers.get('authorization');
    assert.match(header ?? '', /^Bearer papi-/);
    token = header!.slice('Bearer '.length);
    const body = (await response.json()) as { data: { attributes: { id: { value: number } } }[] };
    if (body.data.length === 0) break;
    ids.push(...body.data.map((e) => e.attributes.id.value));
  }
  assert.equal(new Set(ids).size, 230);

  const one = await fetch(`${s.url}/v1/company/employees/${ids[0]}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  assert.equal(one.headers.get('authorization'), `Bearer ${token}`);
  const attributes = await fetch(`${s.url}/v1/company/employees/attributes`, {
    headers: { authorization: `Bearer ${token}` },
  });
  assert.equal(attributes.headers.get('authorization'), `Bearer ${token}`);
  const refused = await fetch(`${s.url}/v1/company/employees`, {
    headers: { authorization: 'Bearer papi-wrong' },
  });
  assert.equal(refused.status, 403);
  assert.equal(refused.headers.get('authorization'), null, 'no token on an error');
});
