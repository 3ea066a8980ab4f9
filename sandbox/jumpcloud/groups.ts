/**
 * v2 user groups and their members, and a user's groups (`/api/v2/users/{id}/memberof`).
 *
 * Membership reads honour `faults.settings.membershipLagMs`: they show membership as it
 * was that long ago, the read-after-write lag JumpCloud's own tooling polls around.
 * Writes always see the current truth.
 */
import type { FastifyInstance } from 'fastify';
import type { SandboxContext } from './context.js';
import { conflict, badRequest, notFound } from './errors.js';
import {
  matches,
  parseFields,
  parsePaging,
  parseSort,
  parseV2Filters,
  project,
  sortRecords,
} from './filters.js';
import { graphConnection, parseGraphOperation, sendV2List } from './graph.js';
import type { UserGroup } from './store.js';

type Query = Record<string, string | string[] | undefined>;

const MAX_NAME = 1024;

export function requireGroup(ctx: SandboxContext, id: string): UserGroup {
  const group = ctx.store.getGroup(id);
  if (!group) throw notFound(`user group ${id} not found`);
  return group;
}

/** The moment membership reads look at: now, or now − lag. */
export function membershipReadTime(ctx: SandboxContext): number | undefined {
  const lag = ctx.faults.settings.membershipLagMs;
  return lag > 0 ? ctx.now() - lag : undefined;
}

/** Create a group; names are unique ignoring case (409 otherwise). */
export function createGroup(ctx: SandboxContext, body: unknown): UserGroup {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw badRequest('request body must be a JSON object');
  }
  const { name, description } = body as Record<string, unknown>;
  if (typeof name !== 'string' || name.trim() === '') throw badRequest('name is required');
  if (name.length > MAX_NAME) throw badRequest(`name must be at most ${MAX_NAME} characters`);
  if (description !== undefined && typeof description !== 'string') {
    throw badRequest('description must be a string');
  }
  if (ctx.store.groupByName(name)) throw conflict();
  const group: UserGroup = {
    id: ctx.store.ids.next('group'),
    name,
    type: 'user_group',
    description: description ?? '',
    membershipMethod: 'STATIC',
  };
  ctx.store.insertGroup(group);
  return group;
}

export function registerGroupRoutes(app: FastifyInstance, ctx: SandboxContext): void {
  const { store, stats } = ctx;

  app.get<{ Querystring: Query }>('/api/v2/usergroups', (request, reply) => {
    const q = request.query;
    const filter = parseV2Filters(q.filter);
    const paging = parsePaging(q.limit, q.skip);
    const fields = parseFields(q.fields);
    const found = sortRecords(
      store.allGroups().filter((g) => matches(g, filter)),
      parseSort(q.sort),
    );
    return sendV2List(reply, found, paging).map((g) => project(g, fields, ['id']));
  });

  app.post('/api/v2/usergroups', (request, reply) => {
    const group = createGroup(ctx, request.body);
    stats.write('groupsCreated');
    return reply.code(201).send(group);
  });

  app.get<{ Params: { gid: string } }>('/api/v2/usergroups/:gid', (request) =>
    requireGroup(ctx, request.params.gid),
  );

  app.delete<{ Params: { gid: string } }>('/api/v2/usergroups/:gid', (request, reply) => {
    if (!store.deleteGroup(request.params.gid, ctx.now()))
      throw notFound(`user group ${request.params.gid} not found`);
    stats.write('groupsDeleted');
    return reply.code(204).send();
  });

  app.get<{ Params: { gid: string }; Querystring: Query }>(
    '/api/v2/usergroups/:gid/members',
    (request, reply) => {
      const group = requireGroup(ctx, request.params.gid);
      const paging = parsePaging(request.query.limit, request.query.skip);
      const memberIds = store.members.targets(group.id, membershipReadTime(ctx));
      return sendV2List(reply, memberIds, paging).map((uid) => graphConnection(uid, 'user'));
    },
  );

  app.post<{ Params: { gid: string } }>('/api/v2/usergroups/:gid/members', (request, reply) => {
    const operation = parseGraphOperation(request.body, ['user'] as const);
    const group = requireGroup(ctx, request.params.gid);
    if (!store.getUser(operation.id)) throw notFound(`user ${operation.id} not found`);
    if (operation.op === 'add') {
      if (!store.members.add(group.id, operation.id, ctx.now())) throw conflict();
      stats.write('membersAdded');
    } else {
      if (!store.members.remove(group.id, operation.id, ctx.now())) {
        throw notFound(`user ${operation.id} is not a member of group ${group.id}`);
      }
      stats.write('membersRemoved');
    }
    store.onChange();
    return reply.code(204).send();
  });

  app.get<{ Params: { uid: string }; Querystring: Query }>(
    '/api/v2/users/:uid/memberof',
    (request, reply) => {
      const { uid } = request.params;
      if (!store.getUser(uid)) throw notFound(`user ${uid} not found`);
      const paging = parsePaging(request.query.limit, request.query.skip);
      const groupIds = store.members
        .sources(uid, membershipReadTime(ctx))
        .filter((gid) => store.getGroup(gid));
      return sendV2List(reply, groupIds, paging).map((gid) => ({
        id: gid,
        type: 'user_group',
        paths: [[graphConnection(gid, 'user_group')]],
      }));
    },
  );
}
