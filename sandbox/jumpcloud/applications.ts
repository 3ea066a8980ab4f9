/**
 * Applications: the v1 list the import uses to find its SSO application by displayLabel,
 * and the v2 associations that bind user groups (or users) to it.
 */
import type { FastifyInstance } from 'fastify';
import type { SandboxContext } from './context.js';
import { badRequest, conflict, notFound } from './errors.js';
import {
  matches,
  page,
  parseFields,
  parsePaging,
  parseSort,
  parseV1Filters,
  project,
  sortRecords,
} from './filters.js';
import { graphConnection, parseGraphOperation, sendV2List } from './graph.js';
import { associationKey, parseAssociationKey, type Application, type AssociationType } from './store.js';

type Query = Record<string, string | string[] | undefined>;

export interface ApplicationSeed {
  displayLabel: string;
  name?: string;
  ssoUrl?: string;
  active?: boolean;
}

/** What a fresh sandbox org holds: the application the import binds its groups to. */
export const DEFAULT_APPLICATIONS: readonly ApplicationSeed[] = [{ displayLabel: 'Personio Import' }];

const ASSOCIATION_TARGETS: readonly AssociationType[] = ['user_group', 'user'];

const samlField = (label: string, position: number, value: string) => ({
  label,
  position,
  type: 'text',
  value,
  visible: true,
  readOnly: false,
  required: true,
});

export function seedApplication(ctx: SandboxContext, seed: ApplicationSeed): Application {
  const _id = ctx.store.ids.next('application');
  const slug = seed.displayLabel.toLowerCase().replace(/[^a-z0-9]+/g, '-');
  const app: Application = {
    _id,
    id: _id,
    name: seed.name ?? 'custom-saml-app',
    displayLabel: seed.displayLabel,
    ssoUrl: seed.ssoUrl ?? `https://sso.jumpcloud.com/saml2/${slug}`,
    active: seed.active ?? true,
    beta: false,
    organization: ctx.organization,
    // A SAML application always carries its configuration (the spec requires `config`).
    config: {
      idpEntityId: samlField('IdP Entity ID', 1, 'JumpCloud'),
      spEntityId: samlField('SP Entity ID', 2, slug),
      acsUrl: samlField('ACS URL', 3, `https://${slug}.example.com/saml/acs`),
    },
  };
  ctx.store.insertApplication(app);
  return app;
}

function requireApplication(ctx: SandboxContext, id: string): Application {
  const app = ctx.store.getApplication(id);
  if (!app) throw notFound(`application ${id} not found`);
  return app;
}

export function registerApplicationRoutes(app: FastifyInstance, ctx: SandboxContext): void {
  const { store, stats } = ctx;

  app.get<{ Querystring: Query }>('/api/applications', (request) => {
    const q = request.query;
    const filter = parseV1Filters(q.filter);
    const fields = parseFields(q.fields);
    const found = sortRecords(
      store.allApplications().filter((a) => matches(a, filter)),
      parseSort(q.sort ?? 'name'),
    );
    return {
      totalCount: found.length,
      results: page(found, parsePaging(q.limit, q.skip)).map((a) => project(a, fields, ['_id', 'id'])),
    };
  });

  app.get<{ Params: { id: string } }>('/api/applications/:id', (request) =>
    requireApplication(ctx, request.params.id),
  );

  app.get<{ Params: { appId: string }; Querystring: Query }>(
    '/api/v2/applications/:appId/associations',
    (request, reply) => {
      const { targets } = request.query;
      if (typeof targets !== 'string' || !(ASSOCIATION_TARGETS as readonly string[]).includes(targets)) {
        throw badRequest('targets is required and must be "user_group" or "user"');
      }
      const application = requireApplication(ctx, request.params.appId);
      const paging = parsePaging(request.query.limit, request.query.skip);
      const associated = store.associations
        .targets(application._id)
        .map(parseAssociationKey)
        .filter((a) => a.type === targets);
      return sendV2List(reply, associated, paging).map((a) => graphConnection(a.id, a.type));
    },
  );

  app.post<{ Params: { appId: string } }>('/api/v2/applications/:appId/associations', (request, reply) => {
    const operation = parseGraphOperation(request.body, ASSOCIATION_TARGETS);
    const application = requireApplication(ctx, request.params.appId);
    const targetExists =
      operation.type === 'user_group' ? store.getGroup(operation.id) : store.getUser(operation.id);
    if (!targetExists) throw notFound(`${operation.type} ${operation.id} not found`);
    const key = associationKey(operation.type, operation.id);
    if (operation.op === 'add') {
      if (!store.associations.add(application._id, key, ctx.now())) throw conflict();
      stats.write('associationsAdded');
    } else {
      if (!store.associations.remove(application._id, key, ctx.now())) {
        throw notFound(
          `${operation.type} ${operation.id} is not associated with application ${application._id}`,
        );
      }
      stats.write('associationsRemoved');
    }
    store.onChange();
    return reply.code(204).send();
  });
}
