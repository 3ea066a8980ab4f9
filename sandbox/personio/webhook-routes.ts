/**
 * The v2 Webhooks Management API in the sandbox (create, list, read, update, delete, activity,
 * events, redelivery, ping, test event), and `/_sandbox/webhooks…` admin routes for the
 * delivery fault switches and counts.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { sendV2Error, v2Problems } from './v2-errors.js';
import type { EndpointBuckets } from './v2-rate-limit.js';
import { cursorOf, pageLimit, pageLinks, requireV2Token, v2RateLimit } from './v2-routes.js';
import type { V2TokenRegistry } from './v2-tokens.js';
import {
  WebhookCenter,
  WebhookInputError,
  webhookFaultsSchema,
  type Webhook,
  type WebhookEvent,
} from './webhooks.js';

type Query = Record<string, string | string[] | undefined>;
type WithId = { Params: { id: string } };
const first = (value: string | string[] | undefined): string | undefined =>
  Array.isArray(value) ? value[0] : value;

const redeliverySchema = z
  .object({
    event_ids: z.array(z.string()).optional(),
    event_name: z.string().optional(),
    'occurred_at.gte': z.string().datetime({ offset: true }).optional(),
    'occurred_at.lte': z.string().datetime({ offset: true }).optional(),
  })
  .strict();

const adminFaults = webhookFaultsSchema
  .extend({ retryTimeScale: z.number().min(0).max(10) })
  .partial()
  .strict();

function problem(reply: FastifyReply, error: unknown) {
  if (error instanceof WebhookInputError) {
    const base =
      error.status === 404
        ? v2Problems.notFound
        : error.status === 409
          ? v2Problems.conflict
          : v2Problems.unprocessable;
    return sendV2Error(reply, error.status, { ...base, detail: error.message });
  }
  if (error instanceof z.ZodError) {
    const issue = error.issues[0];
    return sendV2Error(reply, 400, {
      ...v2Problems.badRequest,
      detail: `${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}`,
    });
  }
  throw error;
}

/** A page of any list by offset cursor. */
function listPage<T>(
  request: FastifyRequest,
  reply: FastifyReply,
  path: string,
  items: T[],
  max: number,
  fallback: number,
) {
  const query = request.query as Query;
  const limit = pageLimit(query, reply, max, fallback);
  if (limit === undefined) return reply;
  const position = cursorOf(query, reply);
  if (!position) return reply;
  const start = position.after === null ? 0 : Number(position.after);
  const next = start + limit < items.length ? String(start + limit) : null;
  return {
    _data: items.slice(start, start + limit),
    _meta: { links: pageLinks(request, path, position.filters, limit, next) },
  };
}

const inRange = (at: string, gte?: string, lte?: string) =>
  (gte === undefined || Date.parse(at) >= Date.parse(gte)) &&
  (lte === undefined || Date.parse(at) <= Date.parse(lte));

export function registerWebhookRoutes(
  app: FastifyInstance,
  ctx: { tokens: V2TokenRegistry; buckets: EndpointBuckets | null; webhooks: WebhookCenter },
): void {
  const limited = v2RateLimit(ctx.buckets);
  const read = { onRequest: [limited, requireV2Token(ctx, 'personio:webhooks:read')] };
  const write = { onRequest: [limited, requireV2Token(ctx, 'personio:webhooks:write')] };
  const center = ctx.webhooks;
  const found = (id: string, reply: FastifyReply): Webhook | undefined => {
    const hook = center.get(id);
    if (!hook) void sendV2Error(reply, 404, v2Problems.notFound);
    return hook;
  };

  app.post('/v2/webhooks', write, async (request, reply) => {
    try {
      return reply.code(201).send(WebhookCenter.view(center.create(request.body ?? {})));
    } catch (error) {
      return problem(reply, error);
    }
  });

  app.get('/v2/webhooks', read, async (request, reply) => {
    const query = request.query as Query;
    const event = first(query.enabled_events);
    const status = first(query.status);
    const hooks = center
      .list()
      .filter(
        (h) =>
          (event === undefined || h.enabled_events.includes(event)) &&
          (status === undefined || h.status === status),
      )
      .map((h) => WebhookCenter.view(h));
    return listPage(request, reply, '/v2/webhooks', hooks, 200, 100);
  });

  app.get<WithId>('/v2/webhooks/:id', read, async (request, reply) => {
    const hook = found(request.params.id, reply);
    return hook ? WebhookCenter.view(hook) : reply;
  });

  app.patch<WithId>('/v2/webhooks/:id', write, async (request, reply) => {
    try {
      return WebhookCenter.view(center.update(request.params.id, request.body ?? {}));
    } catch (error) {
      return problem(reply, error);
    }
  });

  app.delete<WithId>('/v2/webhooks/:id', write, async (request, reply) => {
    if (!center.delete(request.params.id)) return sendV2Error(reply, 404, v2Problems.notFound);
    return reply.code(204).send();
  });

  app.get<WithId>('/v2/webhooks/:id/activity', read, async (request, reply) => {
    const hook = found(request.params.id, reply);
    if (!hook) return reply;
    const query = request.query as Query;
    const gte = first(query['completed_at.gte']);
    const lte = first(query['completed_at.lte']);
    const name = first(query.event_name);
    const delivered = first(query.is_delivered);
    const entries = center
      .activityOf(hook.id)
      .filter(
        (a) =>
          inRange(a.completed_at, gte, lte) &&
          (name === undefined || a.event_name === name) &&
          (delivered === undefined || String(a.is_delivered) === delivered),
      )
      .reverse();
    return listPage(request, reply, `/v2/webhooks/${hook.id}/activity`, entries, 200, 100);
  });

  app.get<WithId>('/v2/webhooks/:id/events', read, async (request, reply) => {
    const hook = found(request.params.id, reply);
    if (!hook) return reply;
    const query = request.query as Query;
    const name = first(query.event_name);
    const events = center
      .eventsOf(hook)
      .filter(
        (e) =>
          inRange(e.occurred_at, first(query['occurred_at.gte']), first(query['occurred_at.lte'])) &&
          (name === undefined || e.event_name === name),
      )
      .reverse();
    return listPage(request, reply, `/v2/webhooks/${hook.id}/events`, events, 200, 100);
  });

  // The body is not documented: the sandbox accepts event ids and/or an occurred_at range and
  // event name, as a JSON body or query parameters; no selection means every event kept.
  app.post<WithId>('/v2/webhooks/:id/redelivery', write, async (request, reply) => {
    const hook = found(request.params.id, reply);
    if (!hook) return reply;
    const parsed = redeliverySchema.safeParse({
      ...(request.query as object),
      ...(request.body ?? {}),
    });
    if (!parsed.success) return problem(reply, parsed.error);
    const s = parsed.data;
    const ids = s.event_ids ? new Set(s.event_ids) : null;
    const events: WebhookEvent[] = center
      .eventsOf(hook)
      .filter(
        (e) =>
          (ids === null || ids.has(e.id)) &&
          (s.event_name === undefined || e.event_name === s.event_name) &&
          inRange(e.occurred_at, s['occurred_at.gte'], s['occurred_at.lte']),
      );
    center.redeliver(hook, events);
    return reply.code(202).send({ redelivered: events.length });
  });

  app.post<WithId>('/v2/webhooks/:id/ping', write, async (request, reply) => {
    const hook = found(request.params.id, reply);
    if (!hook) return reply;
    center.emit('ping', {}, hook);
    return reply.code(200).send({});
  });

  app.post<WithId>('/v2/webhooks/:id/test-event', write, async (request, reply) => {
    const hook = found(request.params.id, reply);
    if (!hook) return reply;
    const body = (request.body ?? {}) as { event_name?: unknown; payload?: unknown };
    if (typeof body.event_name !== 'string' || !hook.enabled_events.includes(body.event_name))
      return sendV2Error(reply, 400, {
        ...v2Problems.badRequest,
        detail: 'event_name must be an event enabled for the webhook',
      });
    const payload = (
      body.payload && typeof body.payload === 'object' ? body.payload : {}
    ) as WebhookEvent['payload'];
    if (Object.keys(payload).length === 0)
      return sendV2Error(reply, 400, { ...v2Problems.badRequest, detail: 'missing required payload data' });
    center.emit(body.event_name, payload, hook);
    return reply.code(200).send({});
  });

  app.get('/_sandbox/webhooks', async () => ({
    faults: center.faults,
    retryTimeScale: center.retryTimeScale,
    counts: center.counts,
    webhooks: center.list().map((h) => WebhookCenter.view(h)),
  }));
  app.post('/_sandbox/webhooks/faults', async (request, reply) => {
    const parsed = adminFaults.safeParse(request.body ?? {});
    if (!parsed.success)
      return reply.code(400).send({ error: 'invalid webhook fault settings', issues: parsed.error.issues });
    const { retryTimeScale, ...faults } = parsed.data;
    if (retryTimeScale !== undefined) center.retryTimeScale = retryTimeScale;
    return { faults: center.setFaults(faults), retryTimeScale: center.retryTimeScale };
  });
}
