/**
 * `/_sandbox/…` routes for tests and the demo: inspect the whole directory, reset it, and
 * pre-seed users and groups without counting them as writes (so a test can start from
 * "this user already exists in JumpCloud" and still assert the import wrote nothing).
 * Never authenticated, never faulted (see faults.ts), never counted (see stats.ts).
 */
import type { FastifyInstance } from 'fastify';
import type { SandboxContext } from './context.js';
import { ApiError, badRequest } from './errors.js';
import { createGroup } from './groups.js';
import { parseAssociationKey, type SystemUser, type UserGroup } from './store.js';
import { createUser, requireUser } from './user-rules.js';

/** Seeding 100,000 users in one request must fit. */
const SEED_BODY_LIMIT = 512 * 1024 * 1024;

/** Accept `[…]`, `{"users": […]}` (or `groups`) or a single object. */
function asItems(body: unknown, key: string): unknown[] {
  if (Array.isArray(body)) return body;
  if (body !== null && typeof body === 'object' && Array.isArray((body as Record<string, unknown>)[key])) {
    return (body as Record<string, unknown[]>)[key] ?? [];
  }
  if (body !== null && typeof body === 'object') return [body];
  throw badRequest(`body must be an array, {"${key}": [...]} or one object`);
}

/** Say which item of a batch failed; earlier items stay seeded. */
function seedEach<T>(items: unknown[], seedOne: (item: unknown) => T): T[] {
  return items.map((item, index) => {
    try {
      return seedOne(item);
    } catch (error) {
      if (error instanceof ApiError) throw new ApiError(error.status, `item ${index}: ${error.message}`);
      throw error;
    }
  });
}

export function seedUsers(ctx: SandboxContext, bodies: unknown[]): SystemUser[] {
  return seedEach(bodies, (body) => createUser(ctx, body));
}

/** A group, optionally with members: `{name, description?, members?: [userId, …]}`. */
export function seedGroups(ctx: SandboxContext, bodies: unknown[]): UserGroup[] {
  return seedEach(bodies, (body) => {
    const { members = [], ...groupBody } = body as { members?: unknown };
    if (!Array.isArray(members)) throw badRequest('members must be an array of user ids');
    const memberIds = members.map(String);
    for (const uid of memberIds) requireUser(ctx, uid);
    const group = createGroup(ctx, groupBody);
    for (const uid of memberIds) ctx.store.members.add(group.id, uid, ctx.now());
    ctx.store.onChange();
    return group;
  });
}

export function directoryState(ctx: SandboxContext) {
  const { store } = ctx;
  return {
    users: store.allUsers(),
    groups: store.allGroups().map((g) => ({ ...g, members: store.members.targets(g.id) })),
    applications: store.allApplications().map((a) => ({
      ...a,
      associations: store.associations.targets(a._id).map(parseAssociationKey),
    })),
  };
}

export function registerAdminRoutes(app: FastifyInstance, ctx: SandboxContext, reset: () => void): void {
  app.post('/_sandbox/reset', () => {
    reset();
    return { ok: true };
  });

  app.get('/_sandbox/state', () => directoryState(ctx));

  app.post('/_sandbox/users', { bodyLimit: SEED_BODY_LIMIT }, (request) => ({
    users: seedUsers(ctx, asItems(request.body, 'users')),
  }));

  app.post('/_sandbox/groups', { bodyLimit: SEED_BODY_LIMIT }, (request) => ({
    groups: seedGroups(ctx, asItems(request.body, 'groups')),
  }));
}
