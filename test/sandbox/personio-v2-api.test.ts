/**
 * The sandbox's Personio v2 API: tokens (form only, revocation, scopes), cursor pages with
 * absolute links, the documented filters, employments, lookups (Beta header), the v2 error
 * body and the per-endpoint rate limits. One test runs it through `npm run sandbox`.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  createPersonioSandbox,
  SANDBOX_CLIENT_ID,
  SANDBOX_CLIENT_SECRET,
} from '../../sandbox/personio/server.js';
import { runProject } from '../helpers/worker-process.js';
import { fakeClock } from './personio-helpers.js';

type Json = Record<string, unknown>;
interface Page {
  _data: Json[];
  _meta: { links: { self: { href: string }; next?: { href: string } } };
}

async function v2Token(url: string, extra: Record<string, string> = {}): Promise<string> {
  const response = await fetch(`${url}/v2/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: SANDBOX_CLIENT_ID,
      client_secret: SANDBOX_CLIENT_SECRET,
      ...extra,
    }).toString(),
  });
  assert.equal(response.status, 200, await response.clone().text());
  return ((await response.json()) as { access_token: string }).access_token;
}

function client(url: string, token: () => string) {
  return async <T = Json>(path: string, headers: Record<string, string> = {}) => {
    const response = await fetch(path.startsWith('http') ? path : `${url}${path}`, {
      headers: { authorization: `Bearer ${token()}`, ...headers },
    });
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      body: (text ? JSON.parse(text) : null) as T,
    };
  };
}

describe('Personio v2 sandbox', () => {
  const sandbox = createPersonioSandbox({ employees: 45, seed: 5, v2RateLimit: false });
  let url = '';
  let token = '';
  let get: ReturnType<typeof client>;
  before(async () => {
    url = await sandbox.listen();
    token = await v2Token(url);
    get = client(url, () => token);
  });
  after(() => sandbox.close());

  test('persons page by cursor: default 10, absolute links, no next on the last page, every person once', async () => {
    const first = await get<Page>('/v2/persons');
    assert.equal(first.body._data.length, 10);
    assert.match(first.body._meta.links.next!.href, /^http:\/\/127\.0\.0\.1:\d+\/v2\/persons\?cursor=cur_/);
    const ids: string[] = [];
    let next: string | undefined = `${url}/v2/persons?limit=20`;
    while (next) {
      const page: { body: Page } = await get<Page>(next);
      ids.push(...page.body._data.map((p) => p.id as string));
      next = page.body._meta.links.next?.href;
    }
    assert.equal(ids.length, 45);
    assert.equal(new Set(ids).size, 45);
    assert.equal((await get('/v2/persons?limit=51')).status, 400);
    assert.equal((await get('/v2/persons?limit=0')).status, 400);
    assert.equal((await get('/v2/persons?cursor=garbage')).status, 400);
  });

  test('filters: id and email lists, status, updated_at.gt; the cursor keeps them', async () => {
    const all = (await get<Page>('/v2/persons?limit=50')).body._data;
    const [a, b] = all as [Json, Json];
    const byId = await get<Page>(`/v2/persons?id=${a.id as string},${b.id as string}`);
    assert.deepEqual(
      byId.body._data.map((p) => p.id),
      [a.id, b.id],
    );
    const byEmail = await get<Page>(`/v2/persons?email=${encodeURIComponent(String(b.email).toUpperCase())}`);
    assert.deepEqual(
      byEmail.body._data.map((p) => p.id),
      [b.id],
    );
    const inactive = await get<Page>('/v2/persons?status=INACTIVE&limit=50');
    assert.ok(inactive.body._data.every((p) => p.status === 'INACTIVE'));
    const active = await get<Page>('/v2/persons?status=ACTIVE&limit=2');
    const second = await get<Page>(active.body._meta.links.next!.href);
    assert.ok(
      second.body._data.every((p) => p.status === 'ACTIVE'),
      'a cursor alone keeps the filter',
    );

    const renamed = sandbox.data.changeName(Number(a.id), 'Zora', 'Quill');
    const since = new Date(Date.parse(renamed.lastModifiedAt) - 1000).toISOString();
    const changed = await get<Page>(`/v2/persons?updated_at.gt=${encodeURIComponent(since)}`);
    assert.deepEqual(
      changed.body._data.map((p) => [p.id, p.first_name]),
      [[a.id, 'Zora']],
    );
    assert.equal((await get('/v2/persons?updated_at.gt=yesterday')).status, 400);
    const badOperator = await get<{ errors: { detail: string }[] }>('/v2/persons?id.nooperator=1');
    assert.equal(badOperator.status, 400);
    assert.equal(badOperator.body.errors[0]!.detail, 'Provided filter encoding is invalid.');
  });

  test('employments, newest first, with references only; lookups resolve their names', async () => {
    const record = sandbox.data.get(1001)!;
    const list = await get<Page>('/v2/persons/1001/employments');
    const employment = list.body._data[0]!;
    assert.equal(employment.status, record.status.toUpperCase());
    assert.deepEqual(employment.person, { id: '1001' });
    const units = employment.org_units as { type: string; id: string }[];
    const department = units.find((u) => u.type === 'department')!;
    const unit = await get<Json>(`/v2/org-units/${department.id}?type=department`);
    assert.equal(unit.body.name, (record.department as { name: string }).name);
    assert.equal((await get(`/v2/org-units/${department.id}`)).status, 400, 'type is required');

    const office = (employment.office as { id: string }).id;
    assert.equal((await get(`/v2/workplaces?id=${office}`)).status, 404, 'beta endpoint without Beta header');
    const workplace = await get<Page>(`/v2/workplaces?id=${office}`, { beta: 'true' });
    assert.equal(workplace.body._data[0]!.name, (record.office as { name: string }).name);
    const ccs = employment.cost_centers as { id: string; weight: number }[];
    assert.equal((await get(`/v2/cost-centers`)).status, 404);
    const names = await get<Page>(`/v2/cost-centers?id=${ccs.map((c) => c.id).join(',')}`, { beta: 'true' });
    assert.deepEqual(
      names.body._data.map((c) => c.name).sort(),
      record.costCenters.map((c) => c.name).sort(),
    );
    const entity = await get<Json>(`/v2/legal-entities/${(employment.legal_entity as { id: string }).id}`);
    assert.equal(entity.body.name, (record.subcompany as { name: string }).name);
    assert.equal((await get('/v2/persons/424242/employments')).status, 404);
  });

  test('tokens: form only, OAuth2 errors, revocation, scopes, the expireTokens fault', async () => {
    const json = await fetch(`${url}/v2/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ grant_type: 'client_credentials' }),
    });
    assert.equal(json.status, 400);
    assert.equal(((await json.json()) as Json).error, 'invalid_request');
    const wrongGrant = await fetch(`${url}/v2/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=password&client_id=a&client_secret=b',
    });
    assert.equal(((await wrongGrant.json()) as Json).error, 'unsupported_grant_type');

    const own = await v2Token(url);
    const ownGet = client(url, () => own);
    assert.equal((await ownGet('/v2/persons?limit=1')).status, 200);
    const revoke = await fetch(`${url}/v2/auth/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: own }).toString(),
    });
    assert.equal(revoke.status, 200);
    const revoked = await ownGet<{ errors: Json[] }>('/v2/persons?limit=1');
    assert.equal(revoked.status, 401);
    assert.match(revoked.headers.get('content-type') ?? '', /application\/problem\+json/);
    assert.ok(Array.isArray(revoked.body.errors));

    const webhooksOnly = await v2Token(url, { scope: 'personio:webhooks:read' });
    assert.equal((await client(url, () => webhooksOnly)('/v2/persons')).status, 401, 'no persons scope');
    const unknownScope = await fetch(`${url}/v2/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `grant_type=client_credentials&client_id=${SANDBOX_CLIENT_ID}&client_secret=${SANDBOX_CLIENT_SECRET}&scope=nope`,
    });
    assert.equal(((await unknownScope.json()) as Json).error, 'invalid_scope');

    sandbox.faults.set({ expireTokens: true });
    assert.equal((await get('/v2/persons')).status, 401);
    token = await v2Token(url);
    assert.equal((await get('/v2/persons')).status, 200);
  });
});

test('v2 rate limits: a bucket per endpoint, x-ratelimit-* headers, 429 without Retry-After', async (t) => {
  const clock = fakeClock();
  const sandbox = createPersonioSandbox({ employees: 5, now: clock.now });
  const url = await sandbox.listen();
  t.after(() => sandbox.close());
  const token = await v2Token(url);
  const get = client(url, () => token);
  let last = await get('/v2/persons');
  assert.equal(last.headers.get('x-ratelimit-replenish-rate'), '30');
  assert.equal(last.headers.get('x-ratelimit-burst-capacity'), '100');
  assert.equal(last.headers.get('x-ratelimit-requested-tokens'), '1');
  assert.equal(last.headers.get('x-ratelimit-remaining'), '99');
  for (let i = 0; i < 99; i++) last = await get('/v2/persons');
  assert.equal(last.headers.get('x-ratelimit-remaining'), '0');
  const limited = await get('/v2/persons');
  assert.equal(limited.status, 429);
  assert.equal(limited.headers.get('retry-after'), null);
  assert.equal((await get('/v2/persons/1001/employments')).status, 200, 'employments have their own bucket');
  clock.advance(1000);
  const refilled = await get('/v2/persons');
  assert.equal(refilled.status, 200);
  assert.equal(refilled.headers.get('x-ratelimit-remaining'), '29');
});

test('npm run sandbox serves v2 beside v1 over the same data', async (t) => {
  // --no-personio-rate-limit: on main the flag's default (true) also reaches the rateLimit
  // fault switch as 1 request/s (proc13's lane); v2's own limits stay on either way.
  const proc = runProject(
    'sandbox/main.ts',
    ['--employees', '12', '--personio-port', '0', '--jumpcloud-port', '0', '--no-personio-rate-limit'],
    {},
  );
  t.after(() => proc.stop().then(() => undefined));
  const line = await proc.waitFor(/PERSONIO_BASE_URL=/);
  const url = line.split('=')[1]!.trim();
  const token = await v2Token(url);
  const page = await client(url, () => token)<Page>('/v2/persons?limit=50');
  assert.equal(page.status, 200);
  assert.ok(page.headers.get('x-ratelimit-remaining'), 'limits are on by default');
  const v1 = await fetch(`${url}/v1/auth`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ client_id: SANDBOX_CLIENT_ID, client_secret: SANDBOX_CLIENT_SECRET }),
  });
  const v1Token = ((await v1.json()) as { data: { token: string } }).data.token;
  const list = await fetch(`${url}/v1/company/employees?limit=100`, {
    headers: { authorization: `Bearer ${v1Token}` },
  });
  assert.equal(list.headers.get('authorization'), `Bearer ${v1Token}`, 'v1 echoes the token (issue 16.3)');
  const v1Ids = ((await list.json()) as { data: { attributes: { id: { value: number } } }[] }).data.map((e) =>
    String(e.attributes.id.value),
  );
  assert.deepEqual(
    page.body._data.map((p) => p.id),
    v1Ids,
  );
});
