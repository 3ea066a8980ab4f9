/**
 * Personio's v1 API surface the import uses: auth, the employee list, one employee,
 * and the attribute list. Behaviour follows shared/docs/personio-api.md.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { parseUpdatedSince } from './dates.js';
import { messages, personioError } from './errors.js';
import type { EmployeeRecord } from './model.js';
import { PageCache } from './page-cache.js';
import type { CoolDownLimiter, WindowLimiter } from './rate-limit.js';
import { renderAttributeList, type ReadableAttributes } from './render.js';
import type { EmployeeStore } from './store.js';
import type { TokenRegistry } from './tokens.js';

export interface ApiContext {
  store: EmployeeStore;
  tokens: TokenRegistry;
  clientId: string;
  clientSecret: string;
  strictAuth: boolean;
  readable: ReadableAttributes;
  authLimiter: CoolDownLimiter | null;
  employeesLimiter: WindowLimiter | null;
  /** Memory for whole cached list pages. */
  pageCacheBytes: number;
}

export const MAX_LIMIT = 100;
export const DEFAULT_LIMIT = 50;
const JSON_TYPE = 'application/json; charset=utf-8';

type Query = Record<string, string | string[] | undefined>;

const first = (value: string | string[] | undefined): string | undefined =>
  Array.isArray(value) ? value[0] : value;

function validationError(reply: FastifyReply, field: string, message: string) {
  return reply.code(422).send({ ...personioError(422, message), error_data: { [field]: [message] } });
}

/** Bearer check shared by every data route. */
function requireToken(ctx: ApiContext) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const header = request.headers.authorization;
    const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    if (!match?.[1]) return reply.code(401).send(personioError(401, messages.noAuthorization));
    if (!ctx.tokens.isValid(match[1]))
      return reply.code(403).send(personioError(403, messages.invalidAuthorization));
  };
}

/**
 * Personnel Data answers carry the token in the `Authorization` response header, as Personio
 * documents for v1 (older accounts rotated it there). Today's tokens are stable, so it is the
 * request's own token; clients that read the header keep working, clients that ignore it too.
 */
function echoToken(ctx: ApiContext) {
  return async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
    if (match?.[1] && reply.statusCode < 400 && ctx.tokens.isValid(match[1]))
      void reply.header('authorization', `Bearer ${match[1]}`);
    return payload;
  };
}

/** Personio's employees limit: checked after the token, as it is counted per account. */
function employeesRateLimit(ctx: ApiContext) {
  return async (_request: FastifyRequest, reply: FastifyReply) => {
    if (ctx.employeesLimiter && !ctx.employeesLimiter.tryTake()) {
      return reply.code(429).send(personioError(429, messages.tooManyRequests));
    }
  };
}

/** `attributes[]=a&attributes[]=b` (also `attributes=a`); null when absent. */
function projectionOf(query: Query): Set<string> | null {
  const raw = query['attributes[]'] ?? query['attributes'];
  if (raw === undefined) return null;
  return new Set((Array.isArray(raw) ? raw : [raw]).flatMap((v) => v.split(',')).filter((v) => v !== ''));
}

const COMMA = Buffer.from(',');
const TAIL = Buffer.from(']}');

export function registerApiRoutes(app: FastifyInstance, ctx: ApiContext): void {
  // Terminations flip to inactive when their day has passed; apply that before any read.
  const applyDueChanges = async () => ctx.store.applyDueDeactivations();
  const pages = new PageCache(ctx.pageCacheBytes);
  const guarded = {
    onRequest: [requireToken(ctx), employeesRateLimit(ctx), applyDueChanges],
    onSend: echoToken(ctx),
  };

  app.post('/v1/auth', async (request, reply) => {
    if (ctx.authLimiter && !ctx.authLimiter.tryTake()) {
      return reply.code(429).send(personioError(429, messages.tooManyRequests));
    }
    const body = (request.body ?? {}) as Record<string, unknown>;
    const query = request.query as Query;
    let clientId = typeof body.client_id === 'string' ? body.client_id : undefined;
    let clientSecret = typeof body.client_secret === 'string' ? body.client_secret : undefined;
    if (clientId === undefined && clientSecret === undefined && (query.client_id || query.client_secret)) {
      // Deprecated: answered 403 once Personio removes it (strict mode), accepted until then.
      if (ctx.strictAuth) return reply.code(403).send(personioError(403, messages.queryCredentials));
      clientId = first(query.client_id);
      clientSecret = first(query.client_secret);
    }
    if (!clientId || !clientSecret) return validationError(reply, 'client_id', messages.missingCredentials);
    if (clientId !== ctx.clientId || clientSecret !== ctx.clientSecret) {
      return reply.code(401).send(personioError(0, messages.wrongCredentials));
    }
    const { token, expiresInSeconds } = ctx.tokens.issue(clientId);
    return { success: true, data: { token, expires_in: expiresInSeconds, scope: 'employees:read' } };
  });

  app.get('/v1/company/employees', guarded, async (request, reply) => {
    const store = ctx.store;
    const query = request.query as Query;

    const limitRaw = first(query.limit);
    const limit = limitRaw === undefined ? DEFAULT_LIMIT : /^\d+$/.test(limitRaw) ? Number(limitRaw) : NaN;
    if (!(limit >= 1 && limit <= MAX_LIMIT)) {
      return validationError(reply, 'limit', `The limit must be an integer between 1 and ${MAX_LIMIT}.`);
    }
    const offsetRaw = first(query.offset);
    const offset = offsetRaw === undefined ? 0 : /^\d+$/.test(offsetRaw) ? Number(offsetRaw) : NaN;
    if (!Number.isSafeInteger(offset)) {
      return validationError(reply, 'offset', 'The offset must be an integer of at least 0.');
    }
    const updatedSinceRaw = first(query.updated_since);
    const updatedSince = updatedSinceRaw === undefined ? null : parseUpdatedSince(updatedSinceRaw);
    if (updatedSinceRaw !== undefined && updatedSince === null) {
      return validationError(
        reply,
        'updated_since',
        'The updated_since must be a date in ISO 8601 (2022-12-24T08:15:30) or YYYY-MM-DD format.',
      );
    }
    const projection = projectionOf(query);
    const email = first(query.email);

    let matches: readonly EmployeeRecord[] = store.all();
    if (updatedSince !== null) {
      // With updated_since Personio ignores `email`; with attributes[] too it selects employees
      // for whom any of those attributes changed (spec, "selection filter").
      matches = projection
        ? matches.filter((e) =>
            [...projection].some((k) => store.attributeModifiedMs(e.id, k) >= updatedSince),
          )
        : matches.filter((e) => store.lastModifiedMs(e.id) >= updatedSince);
    } else if (email !== undefined) {
      matches = matches.filter((e) => e.email === email);
    }

    // Unfiltered pages are cached whole; any change to the data bumps store.version.
    const cacheable = matches === store.all() && projection === null;
    const cacheKey = `${offset}:${limit}`;
    const cached = cacheable ? pages.get(store.version, cacheKey) : undefined;
    if (cached) return reply.type(JSON_TYPE).send(cached);

    const total = matches.length;
    const page = matches.slice(offset, offset + limit);
    const head =
      `{"success":true,"metadata":{"total_elements":${total},"current_page":${Math.floor(offset / limit)},` +
      `"total_pages":${Math.ceil(total / limit)}},"offset":${offset},"limit":${limit},"data":[`;
    // Cached renderings cover the unprojected case, which is what an import asks for.
    const parts: Buffer[] = [Buffer.from(head)];
    page.forEach((e, i) => {
      if (i > 0) parts.push(COMMA);
      parts.push(
        projection ? Buffer.from(JSON.stringify(store.render(e, projection))) : store.renderedJson(e),
      );
    });
    parts.push(TAIL);
    const body = Buffer.concat(parts);
    if (cacheable) pages.set(store.version, cacheKey, body);
    return reply.type(JSON_TYPE).send(body);
  });

  const listAttributes = async () => ({ success: true, data: renderAttributeList(ctx.readable) });
  app.get('/v1/company/employees/attributes', guarded, listAttributes);
  // Documented alias.
  app.get('/v1/company/employees/custom-attributes', guarded, listAttributes);

  app.get<{ Params: { id: string } }>('/v1/company/employees/:id', guarded, async (request, reply) => {
    // Personio's route only matches numeric ids; anything else is the same "not found".
    const id = /^\d+$/.test(request.params.id) ? Number(request.params.id) : NaN;
    const employee = Number.isSafeInteger(id) ? ctx.store.get(id) : undefined;
    if (!employee) return reply.code(404).send(personioError(404, messages.employeeNotFound));
    const body = Buffer.concat([
      Buffer.from('{"success":true,"data":'),
      ctx.store.renderedJson(employee),
      Buffer.from('}'),
    ]);
    return reply.type(JSON_TYPE).send(body);
  });
}
