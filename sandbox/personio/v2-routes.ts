/**
 * Personio's v2 API beside v1, over the same store (shared/docs/personio-api-v2.md): OAuth2
 * client-credentials tokens, persons with cursor pages, employments per person, the lookups
 * (org units, legal entities, cost centers behind `Beta: true`, workplaces), the v2 error
 * bodies and per-endpoint rate limits.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { EmployeeRecord } from './model.js';
import type { ReadableAttributes } from './render.js';
import type { EmployeeStore } from './store.js';
import { sendOAuthError, sendV2Error, v2Problems } from './v2-errors.js';
import { lookupsOf } from './v2-lookups.js';
import type { EndpointBuckets } from './v2-rate-limit.js';
import { employmentIdOf, renderEmployment, renderPerson, utc } from './v2-render.js';
import { V2_SCOPES, type V2TokenRegistry } from './v2-tokens.js';

export interface V2Context {
  store: EmployeeStore;
  tokens: V2TokenRegistry;
  clientId: string;
  clientSecret: string;
  readable: ReadableAttributes;
  /** Per-endpoint buckets, null when off. */
  buckets: EndpointBuckets | null;
  /** The token endpoint's own limit (150/min, then 1/s for 60 s), null when off. */
  tokenLimiter: { tryTake(): boolean } | null;
}

type Query = Record<string, string | string[] | undefined>;
const first = (value: string | string[] | undefined): string | undefined =>
  Array.isArray(value) ? value[0] : value;

export const V2_MAX_LIMIT = 50;
export const V2_DEFAULT_LIMIT = 10;

/** Absolute base URL as the client reached us (links are absolute, as Personio's are). */
export const baseUrlOf = (request: FastifyRequest) => `${request.protocol}://${request.headers.host}`;

declare module 'fastify' {
  interface FastifyRequest {
    v2Scopes?: ReadonlySet<string>;
  }
}

/** Bearer check: unknown, expired or revoked → 401; a missing scope → 401 on persons, 403 elsewhere. */
export function requireV2Token(ctx: Pick<V2Context, 'tokens'>, scope: string, missingScopeStatus = 403) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const header = request.headers.authorization;
    const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    const scopes = match?.[1] ? ctx.tokens.scopesOf(match[1]) : null;
    if (!scopes) return sendV2Error(reply, 401, v2Problems.unauthorized);
    if (!scopes.has(scope)) {
      return missingScopeStatus === 401
        ? sendV2Error(reply, 401, v2Problems.unauthorized)
        : sendV2Error(reply, 403, v2Problems.forbidden);
    }
    request.v2Scopes = scopes;
  };
}

/** Rate limit by route template (the bucket key), headers on every answer. */
export function v2RateLimit(buckets: EndpointBuckets | null) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    if (!buckets) return;
    const result = buckets.take(`${request.method} ${request.routeOptions.url ?? request.url}`);
    void reply.headers(result.headers);
    // Spring Cloud Gateway answers an empty 429 without Retry-After.
    if (!result.allowed) return reply.code(429).send('');
  };
}

/** limit 1..max (default given); undefined after a 400 was sent. */
export function pageLimit(
  query: Query,
  reply: FastifyReply,
  max = V2_MAX_LIMIT,
  fallback = V2_DEFAULT_LIMIT,
) {
  const raw = first(query.limit);
  const limit = raw === undefined ? fallback : /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!(limit >= 1 && limit <= max)) {
    void sendV2Error(reply, 400, v2Problems.badLimit, { parameter: 'limit' });
    return undefined;
  }
  return limit;
}

interface CursorState {
  /** Items after this key. */
  after: string;
  /** The filters of the first request, carried along so the cursor alone is enough. */
  filters: string;
}

const encodeCursor = (state: CursorState) =>
  `cur_${Buffer.from(JSON.stringify(state)).toString('base64url')}`;
function decodeCursor(cursor: string): CursorState | null {
  if (!cursor.startsWith('cur_')) return null;
  try {
    const state = JSON.parse(Buffer.from(cursor.slice(4), 'base64url').toString('utf8')) as CursorState;
    return typeof state.after === 'string' && typeof state.filters === 'string' ? state : null;
  } catch {
    return null;
  }
}

/** Links of a page: `self` and, unless it is the last page, `next`, both absolute. */
export function pageLinks(
  request: FastifyRequest,
  path: string,
  filters: URLSearchParams,
  limit: number,
  nextAfter: string | null,
) {
  const base = baseUrlOf(request);
  const self = new URL(request.url, base).toString();
  const links: Record<string, { href: string }> = { self: { href: self } };
  if (nextAfter !== null) {
    const next = new URLSearchParams({
      cursor: encodeCursor({ after: nextAfter, filters: filters.toString() }),
    });
    next.set('limit', String(limit));
    links.next = { href: `${base}${path}?${next.toString()}` };
  }
  return links;
}

const dateTime = (raw: string): number | null => {
  // ISO 8601 with a `Z` or an offset; a date alone is not a date-time.
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(raw)) return null;
  const ms = Date.parse(raw);
  return Number.isNaN(ms) ? null : ms;
};

const personFilterNames = new Set([
  'id',
  'email',
  'first_name',
  'last_name',
  'preferred_name',
  'created_at',
  'created_at.gt',
  'created_at.lt',
  'updated_at',
  'updated_at.gt',
  'updated_at.lt',
  'status',
]);
const paging = new Set(['limit', 'cursor']);

type Predicate = (e: EmployeeRecord) => boolean;

/** The documented person filters, ANDed; a problem names the 400 to send. */
function personFilters(filters: URLSearchParams): { predicate: Predicate } | { problem: 'filter' | 'value' } {
  const tests: Predicate[] = [];
  for (const [name, value] of filters) {
    if (!personFilterNames.has(name)) {
      // `field.op` with an unknown field or operator is a filter-encoding error; other names are ignored.
      if (name.includes('.')) return { problem: 'filter' };
      continue;
    }
    const list = value.split(',').map((v) => v.trim());
    const [field, op] = name.split('.') as [string, string | undefined];
    if (field === 'id') {
      const ids = new Set(list);
      tests.push((e) => ids.has(String(e.id)));
    } else if (field === 'email') {
      const emails = new Set(list.map((v) => v.toLowerCase()));
      tests.push((e) => e.email !== undefined && emails.has(e.email.toLowerCase()));
    } else if (field === 'first_name') tests.push((e) => e.firstName === value);
    else if (field === 'last_name') tests.push((e) => e.lastName === value);
    else if (field === 'preferred_name') tests.push(() => false);
    else if (field === 'status') {
      if (value !== 'ACTIVE' && value !== 'INACTIVE') return { problem: 'value' };
      tests.push((e) => (e.status === 'inactive' ? 'INACTIVE' : 'ACTIVE') === value);
    } else {
      const at = dateTime(value);
      if (at === null) return { problem: 'value' };
      const of = (e: EmployeeRecord) => Date.parse(field === 'created_at' ? e.createdAt : e.lastModifiedAt);
      // Compared at whole seconds, as rendered.
      const secs = (ms: number) => Math.floor(ms / 1000);
      if (op === 'gt') tests.push((e) => secs(of(e)) > secs(at));
      else if (op === 'lt') tests.push((e) => secs(of(e)) < secs(at));
      else tests.push((e) => secs(of(e)) === secs(at));
    }
  }
  return { predicate: (e) => tests.every((t) => t(e)) };
}

/** The query without paging parameters, in a stable order. */
function filtersOf(query: Query): URLSearchParams {
  const filters = new URLSearchParams();
  for (const name of Object.keys(query).sort()) {
    if (paging.has(name)) continue;
    const value = first(query[name]);
    if (value !== undefined) filters.set(name, value);
  }
  return filters;
}

/** Resolve the cursor (if any) to its filters and start key; undefined after a 400 was sent. */
export function cursorOf(
  query: Query,
  reply: FastifyReply,
): { filters: URLSearchParams; after: string | null } | undefined {
  const cursor = first(query.cursor);
  if (cursor === undefined) return { filters: filtersOf(query), after: null };
  const state = decodeCursor(cursor);
  if (!state) {
    void sendV2Error(reply, 400, v2Problems.badRequest, { parameter: 'cursor' });
    return undefined;
  }
  // Filters resent with a cursor are accepted; the cursor's own filters are what counts.
  return { filters: new URLSearchParams(state.filters), after: state.after };
}

export function registerV2Routes(app: FastifyInstance, ctx: V2Context): void {
  const lookups = lookupsOf(ctx.store);
  const applyDueChanges = async () => ctx.store.applyDueDeactivations();
  const limited = v2RateLimit(ctx.buckets);
  const persons = {
    onRequest: [limited, requireV2Token(ctx, 'personio:persons:read', 401), applyDueChanges],
  };
  const scoped = (scope: string) => ({ onRequest: [limited, requireV2Token(ctx, scope), applyDueChanges] });

  app.post('/v2/auth/token', async (request, reply) => {
    if (ctx.tokenLimiter && !ctx.tokenLimiter.tryTake()) return reply.code(429).send('');
    if (!String(request.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
      return sendOAuthError(
        reply,
        'invalid_request',
        {},
        'The content type of the request must be "application/x-www-form-urlencoded".',
      );
    }
    const body = (request.body ?? {}) as Record<string, unknown>;
    const missing = ['grant_type', 'client_id', 'client_secret'].filter(
      (name) => typeof body[name] !== 'string' || body[name] === '',
    );
    if (missing.length > 0) return sendOAuthError(reply, 'invalid_request', { missing_parameters: missing });
    if (body.grant_type !== 'client_credentials')
      return sendOAuthError(reply, 'unsupported_grant_type', { grant_type: body.grant_type });
    if (body.client_id !== ctx.clientId || body.client_secret !== ctx.clientSecret)
      return sendOAuthError(reply, 'invalid_client');
    const requested = typeof body.scope === 'string' ? body.scope.split(' ').filter((s) => s !== '') : [];
    const known = new Set<string>(V2_SCOPES);
    if (requested.some((s) => !known.has(s))) return sendOAuthError(reply, 'invalid_scope');
    const scopes = requested.length > 0 ? requested : [...V2_SCOPES];
    const { token, expiresInSeconds } = ctx.tokens.issue(scopes);
    return {
      access_token: token,
      token_type: 'Bearer',
      expires_in: expiresInSeconds,
      scope: scopes.join(' '),
    };
  });

  app.post('/v2/auth/revoke', async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    if (typeof body.token !== 'string' || body.token === '')
      return sendOAuthError(reply, 'invalid_request', { missing_parameters: ['token'] });
    ctx.tokens.revoke(body.token);
    return reply.code(200).send('');
  });

  app.get('/v2/persons', persons, async (request, reply) => {
    const query = request.query as Query;
    const limit = pageLimit(query, reply);
    if (limit === undefined) return reply;
    const position = cursorOf(query, reply);
    if (!position) return reply;
    const filter = personFilters(position.filters);
    if ('problem' in filter) {
      return sendV2Error(
        reply,
        400,
        filter.problem === 'filter' ? v2Problems.badFilter : v2Problems.badRequest,
      );
    }
    const base = baseUrlOf(request);
    const afterId = position.after === null ? 0 : Number(position.after);
    // Keyset paging on the id: stable when people are added or removed between pages.
    const all = ctx.store.all();
    let lo = 0;
    let hi = all.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (all[mid]!.id <= afterId) lo = mid + 1;
      else hi = mid;
    }
    const page: EmployeeRecord[] = [];
    let more = false;
    for (let i = lo; i < all.length; i++) {
      const e = all[i]!;
      if (!filter.predicate(e)) continue;
      if (page.length === limit) {
        more = true;
        break;
      }
      page.push(e);
    }
    const last = page[page.length - 1];
    return {
      _data: page.map((e) => renderPerson(e, base, ctx.readable)),
      _meta: {
        links: pageLinks(
          request,
          '/v2/persons',
          position.filters,
          limit,
          more && last ? String(last.id) : null,
        ),
      },
    };
  });

  const personOf = (raw: string): EmployeeRecord | undefined =>
    /^\d+$/.test(raw) ? ctx.store.get(Number(raw)) : undefined;

  app.get<{ Params: { id: string } }>('/v2/persons/:id', persons, async (request, reply) => {
    const person = personOf(request.params.id);
    if (!person) return sendV2Error(reply, 404, v2Problems.notFound);
    return renderPerson(person, baseUrlOf(request), ctx.readable);
  });

  app.get<{ Params: { person_id: string } }>(
    '/v2/persons/:person_id/employments',
    persons,
    async (request, reply) => {
      const query = request.query as Query;
      const person = personOf(request.params.person_id);
      if (!person) return sendV2Error(reply, 404, v2Problems.personNotFound);
      const limit = pageLimit(query, reply);
      if (limit === undefined) return reply;
      const position = cursorOf(query, reply);
      if (!position) return reply;
      let items = [person];
      for (const [name, value] of position.filters) {
        if (name === 'id') {
          const ids = new Set(value.split(','));
          items = items.filter((e) => ids.has(employmentIdOf(e.id)));
        } else if (name === 'updated_at' || name === 'updated_at.gt' || name === 'updated_at.lt') {
          const at = dateTime(value);
          if (at === null) return sendV2Error(reply, 400, v2Problems.badRequest);
          const s = (ms: number) => Math.floor(ms / 1000);
          items = items.filter((e) => {
            const t = s(Date.parse(e.lastModifiedAt));
            return name === 'updated_at' ? t === s(at) : name === 'updated_at.gt' ? t > s(at) : t < s(at);
          });
        } else if (name.includes('.')) return sendV2Error(reply, 400, v2Problems.badFilter);
      }
      // One employment per person in the sandbox, so a cursor only ever follows the last page.
      if (position.after !== null) items = [];
      const base = baseUrlOf(request);
      return {
        _data: items.map((e) => renderEmployment(e, base, ctx.readable)),
        _meta: {
          links: pageLinks(request, `/v2/persons/${person.id}/employments`, position.filters, limit, null),
        },
      };
    },
  );

  app.get<{ Params: { person_id: string; id: string } }>(
    '/v2/persons/:person_id/employments/:id',
    persons,
    async (request, reply) => {
      const person = personOf(request.params.person_id);
      if (!person) return sendV2Error(reply, 404, v2Problems.personNotFound);
      if (request.params.id !== employmentIdOf(person.id))
        return sendV2Error(reply, 404, v2Problems.notFound);
      return renderEmployment(person, baseUrlOf(request), ctx.readable);
    },
  );

  app.get<{ Params: { id: string } }>(
    '/v2/org-units/:id',
    scoped('personio:org-units:read'),
    async (request, reply) => {
      const query = request.query as Query;
      const type = first(query.type);
      if (type !== 'department' && type !== 'team')
        return sendV2Error(reply, 400, v2Problems.badRequest, { parameter: 'type' });
      const id = /^\d+$/.test(request.params.id) ? Number(request.params.id) : NaN;
      const l = lookups();
      const unit = type === 'department' ? l.departments.get(id) : l.teams.get(id);
      if (!unit) return sendV2Error(reply, 404, v2Problems.notFound);
      const parentId = type === 'team' ? (l.teams.get(id)?.departmentId ?? null) : null;
      const body: Record<string, unknown> = {
        id: String(unit.id),
        type,
        name: unit.name,
        abbreviation: unit.name.slice(0, 3).toUpperCase(),
        description: '',
        parent_id: parentId === null ? null : String(parentId),
      };
      if (first(query.include_parent_chain) === 'true') {
        const parent = parentId === null ? undefined : l.departments.get(parentId);
        body.parent_chain = parent ? [{ id: String(parent.id), type: 'department', name: parent.name }] : [];
      }
      return body;
    },
  );

  /** A simple id-ordered lookup list with `id` (comma list) and `name` filters and cursors. */
  function lookupList(
    path: string,
    scope: string,
    items: () => { id: number; name: string }[],
    render: (item: { id: number; name: string }) => Record<string, unknown>,
    options: { beta?: boolean; max: number; fallback: number; newestFirst?: boolean },
  ) {
    app.get(path, scoped(scope), async (request, reply) => {
      // Beta endpoints are not found unless the request opts in.
      if (options.beta && String(request.headers.beta ?? '').toLowerCase() !== 'true')
        return sendV2Error(reply, 404, v2Problems.notFound);
      const query = request.query as Query;
      const limit = pageLimit(query, reply, options.max, options.fallback);
      if (limit === undefined) return reply;
      const position = cursorOf(query, reply);
      if (!position) return reply;
      let list = items().sort((a, b) => (options.newestFirst ? b.id - a.id : a.id - b.id));
      const ids = position.filters.get('id');
      if (ids !== null) {
        const wanted = new Set(ids.split(',').map((v) => v.trim()));
        list = list.filter((i) => wanted.has(String(i.id)));
      }
      const name = position.filters.get('name');
      if (name !== null) list = list.filter((i) => i.name === name);
      const start = position.after === null ? 0 : Number(position.after);
      const page = list.slice(start, start + limit);
      const next = start + limit < list.length ? String(start + limit) : null;
      return {
        _data: page.map(render),
        _meta: { links: pageLinks(request, path, position.filters, limit, next) },
      };
    });
  }

  lookupList(
    '/v2/legal-entities',
    'personio:legal-entities:read',
    () => [...lookups().legalEntities.values()],
    (i) => ({
      id: String(i.id),
      name: i.name,
      country: 'DE',
      created_at: utc(Date.UTC(2015, 0, 1) + i.id * 1000),
    }),
    { max: 100, fallback: 20, newestFirst: true },
  );
  app.get<{ Params: { id: string } }>(
    '/v2/legal-entities/:id',
    scoped('personio:legal-entities:read'),
    async (request, reply) => {
      const entity = /^\d+$/.test(request.params.id)
        ? lookups().legalEntities.get(Number(request.params.id))
        : undefined;
      if (!entity) return sendV2Error(reply, 404, v2Problems.notFound);
      return { id: String(entity.id), name: entity.name, country: 'DE' };
    },
  );
  lookupList(
    '/v2/cost-centers',
    'personio:cost-centers:read',
    () => [...lookups().costCenters.values()],
    (i) => ({ id: String(i.id), name: i.name }),
    { beta: true, max: 200, fallback: 100 },
  );
  // Whether workplaces need `Beta: true` is unknown; the sandbox demands it (the stricter reading).
  lookupList(
    '/v2/workplaces',
    'personio:workplaces:read',
    () => [...lookups().workplaces.values()],
    (i) => ({ id: String(i.id), name: i.name }),
    { beta: true, max: 200, fallback: 100 },
  );
}
