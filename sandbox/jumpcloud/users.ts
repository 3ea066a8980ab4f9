/**
 * v1 system user routes: create, read, list, search, update, activate, delete.
 * The rules live in user-rules.ts; this file is HTTP, queries and write counting.
 */
import type { FastifyInstance } from 'fastify';
import type { SandboxContext } from './context.js';
import {
  MATCH_ALL,
  matches,
  page,
  parseFields,
  parsePaging,
  parseSearchBodyFilter,
  parseSearchTerm,
  parseSort,
  parseV1Filters,
  project,
  requiredEquality,
  sortRecords,
  type FilterNode,
  type Paging,
} from './filters.js';
import {
  activateUser,
  createUser,
  deleteUser,
  requireUser,
  updateUser,
  type UserUpdate,
} from './user-rules.js';
import type { JumpCloudStore, SystemUser } from './store.js';

interface IdParams {
  id: string;
}
type Query = Record<string, string | string[] | undefined>;

/** v1 always returns the ids, whatever `fields` asks for. */
const ALWAYS_KEPT = ['_id', 'id'];
const INDEXED_FIELDS = ['_id', 'id', 'email', 'username', 'employeeIdentifier'];

/** The one user an equality on an indexed field can match (undefined result: no index applies). */
function lookupByIndex(store: JumpCloudStore, field: string, value: string): SystemUser[] {
  const user =
    field === '_id' || field === 'id'
      ? store.getUser(value)
      : field === 'email'
        ? store.userByEmail(value)
        : field === 'username'
          ? store.userByUsername(value)
          : store.userByEmployeeIdentifier(value);
  return user ? [user] : [];
}

/** Users that may match `filter`, from an index when one applies, else all of them (in _id order). */
function candidates(store: JumpCloudStore, filter: FilterNode): readonly SystemUser[] {
  const indexed = requiredEquality(filter, INDEXED_FIELDS);
  if (indexed) return lookupByIndex(store, indexed.field, String(indexed.value));
  if ('any' in filter) {
    const lookups = filter.any.map((child) => requiredEquality(child, INDEXED_FIELDS));
    if (lookups.every((c) => c !== undefined)) {
      const union = new Map<string, SystemUser>();
      for (const c of lookups)
        for (const u of lookupByIndex(store, c.field, String(c.value))) union.set(u._id, u);
      return [...union.values()].sort((a, b) => (a._id < b._id ? -1 : 1));
    }
  }
  return store.allUsers();
}

export interface UserQuery {
  filter: FilterNode;
  sort: ReturnType<typeof parseSort>;
  paging: Paging;
  fields: string[] | undefined;
}

export function queryUsers(store: JumpCloudStore, query: UserQuery) {
  const pool = candidates(store, query.filter);
  const matching = query.filter === MATCH_ALL ? pool : pool.filter((u) => matches(u, query.filter));
  // Users are kept in _id order, so `sort=_id` (the documented paging order) needs no sort.
  const onlyById = query.sort.length === 1 && ['_id', 'id'].includes(query.sort[0]?.field ?? '');
  let ordered: readonly SystemUser[] = matching;
  if (onlyById && query.sort[0]?.descending) ordered = [...matching].reverse();
  else if (!onlyById) ordered = sortRecords(matching, query.sort);
  return {
    results: page(ordered, query.paging).map((u) => project(u, query.fields, ALWAYS_KEPT)),
    totalCount: matching.length,
  };
}

/** Count what an update did: every change is an update; state moves are also counted as such. */
function countUpdate(ctx: SandboxContext, { user, changed, previousState }: UserUpdate): void {
  if (!changed) return;
  ctx.stats.write('usersUpdated');
  if (user.state === previousState) return;
  if (user.state === 'SUSPENDED') ctx.stats.write('usersSuspended');
  if (user.state === 'ACTIVATED') ctx.stats.write('usersActivated');
}

export function registerUserRoutes(app: FastifyInstance, ctx: SandboxContext): void {
  app.post('/api/systemusers', (request) => {
    const user = createUser(ctx, request.body);
    ctx.stats.write('usersCreated');
    return user;
  });

  app.get<{ Querystring: Query }>('/api/systemusers', (request) => {
    const q = request.query;
    return queryUsers(ctx.store, {
      filter: q.filter === undefined ? MATCH_ALL : parseV1Filters(q.filter),
      sort: parseSort(q.sort),
      paging: parsePaging(q.limit, q.skip),
      fields: parseFields(q.fields),
    });
  });

  app.post<{ Querystring: Query }>('/api/search/systemusers', (request) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const q = request.query;
    const filter = parseSearchBodyFilter(body.filter);
    const term = parseSearchTerm(body.searchFilter);
    return queryUsers(ctx.store, {
      filter: term === MATCH_ALL ? filter : filter === MATCH_ALL ? term : { all: [filter, term] },
      sort: parseSort(body.sort ?? q.sort),
      paging: parsePaging(body.limit ?? q.limit, body.skip ?? q.skip),
      fields: parseFields(body.fields ?? q.fields),
    });
  });

  app.get<{ Params: IdParams; Querystring: Query }>('/api/systemusers/:id', (request) =>
    project(requireUser(ctx, request.params.id), parseFields(request.query.fields), ALWAYS_KEPT),
  );

  app.put<{ Params: IdParams }>('/api/systemusers/:id', (request) => {
    const update = updateUser(ctx, request.params.id, request.body);
    countUpdate(ctx, update);
    return update.user;
  });

  // The body ({"email": false} to suppress the welcome email) changes nothing here.
  app.post<{ Params: IdParams }>('/api/systemusers/:id/state/activate', (request) => {
    const result = activateUser(ctx, request.params.id);
    if (result.changed) ctx.stats.write('usersActivated');
    return result.user;
  });

  app.delete<{ Params: IdParams }>('/api/systemusers/:id', (request) => {
    const user = deleteUser(ctx, request.params.id);
    ctx.stats.write('usersDeleted');
    return user;
  });
}
