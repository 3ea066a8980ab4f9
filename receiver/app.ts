/**
 * The webhook receiver's HTTP side: `POST /webhooks/personio` checks the token Personio sends
 * verbatim in `Authorization` (constant time, before the body is read), refuses bodies over
 * the limit (413) and anything that is not the documented envelope (400), and hands each
 * event to Temporal (signal-with-start of the changes workflow) before answering 202, so an
 * acknowledged event is durable. Nothing refused reaches Temporal. If Temporal does not take
 * the event within HANDOFF_TIMEOUT_MS the answer is 503, well inside Personio's 3 s, and
 * Personio delivers it again. `GET /healthz` and `GET /metrics` (Prometheus text) beside it.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { PersonChange } from '../workflows/changes-api.js';

export const WEBHOOK_PATH = '/webhooks/personio';
export const HANDOFF_TIMEOUT_MS = 2500;

/** Person and employment events the import acts on; others (absences, documents, ping) are acknowledged and ignored. */
const RELEVANT = /^(person|employment)\.[a-z.-]+$/;

const envelope = z.object({
  company_id: z.union([z.string(), z.number()]),
  event_name: z.string().min(1).max(100),
  occurred_at: z.string().refine((v) => !Number.isNaN(Date.parse(v)), 'must be a date-time'),
  payload: z.record(z.string(), z.unknown()),
  meta: z.record(z.string(), z.unknown()).nullish(),
});

const idOf = (value: unknown): string | null => {
  const id = (value as { id?: unknown } | null | undefined)?.id;
  return (typeof id === 'string' || typeof id === 'number') && /^[A-Za-z0-9._-]{1,64}$/.test(String(id))
    ? String(id)
    : null;
};

const digest = (text: string) => createHash('sha256').update(text).digest();

export type Outcome = 'accepted' | 'ignored' | 'unauthorized' | 'too_large' | 'malformed' | 'unavailable';

export interface ReceiverMetrics {
  requests: Record<Outcome, number>;
  handoffSecondsSum: number;
  handoffCount: number;
}

export interface ReceiverAppOptions {
  token: string;
  bodyLimitBytes: number;
  /** Durably hand one change to Temporal; resolves once Temporal has it. */
  handOff: (change: PersonChange) => Promise<void>;
  /** Signals sent to Temporal so far (several webhooks may share one), for /metrics. */
  handoffSignals?: () => number;
  /** Whether the Temporal connection looks alive, for /healthz. */
  healthy: () => Promise<boolean>;
  logger?: FastifyBaseLogger;
}

export function createReceiverApp(options: ReceiverAppOptions): {
  app: FastifyInstance;
  metrics: ReceiverMetrics;
} {
  const app = options.logger
    ? Fastify({
        loggerInstance: options.logger,
        bodyLimit: options.bodyLimitBytes,
        disableRequestLogging: true,
      })
    : Fastify({ logger: false, bodyLimit: options.bodyLimitBytes });
  const metrics: ReceiverMetrics = {
    requests: { accepted: 0, ignored: 0, unauthorized: 0, too_large: 0, malformed: 0, unavailable: 0 },
    handoffSecondsSum: 0,
    handoffCount: 0,
  };
  const expected = digest(options.token);
  const count = (outcome: Outcome) => metrics.requests[outcome]++;

  app.setErrorHandler((error: { statusCode?: number; code?: string }, request, reply) => {
    if (error.statusCode === 413) {
      count('too_large');
      return reply.code(413).send({ error: `body larger than ${options.bodyLimitBytes} bytes` });
    }
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      count('malformed');
      return reply.code(error.statusCode === 415 ? 415 : 400).send({ error: 'not a JSON webhook envelope' });
    }
    request.log.error({ code: error.code }, 'receiver error');
    return reply.code(500).send({ error: 'internal error' });
  });

  app.post(
    WEBHOOK_PATH,
    {
      // Before the body is read: a wrong or missing token costs nothing more.
      onRequest: async (request, reply) => {
        const header = request.headers.authorization ?? '';
        if (!timingSafeEqual(digest(header), expected)) {
          count('unauthorized');
          return reply.code(401).send({ error: 'unauthorized' });
        }
      },
    },
    async (request, reply) => {
      const parsed = envelope.safeParse(request.body);
      if (!parsed.success) {
        count('malformed');
        return reply.code(400).send({
          error: `not a Personio webhook envelope: ${parsed.error.issues[0]?.path.join('.') || 'body'}`,
        });
      }
      const event = parsed.data;
      if (!RELEVANT.test(event.event_name)) {
        count('ignored');
        return reply.code(200).send({ ignored: event.event_name });
      }
      const change: PersonChange = {
        personId: idOf(event.payload.person),
        eventName: event.event_name,
        occurredAt: event.occurred_at,
      };
      const started = performance.now();
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          options.handOff(change),
          new Promise((_, reject) => {
            timer = setTimeout(
              () => reject(new Error('Temporal did not take the event in time')),
              HANDOFF_TIMEOUT_MS,
            );
          }),
        ]);
      } catch (err) {
        count('unavailable');
        request.log.warn(
          { err: (err as Error).message, eventName: change.eventName },
          'webhook not handed to Temporal; Personio will redeliver',
        );
        return reply.code(503).send({ error: 'temporarily unavailable' });
      } finally {
        clearTimeout(timer);
      }
      metrics.handoffSecondsSum += (performance.now() - started) / 1000;
      metrics.handoffCount++;
      count('accepted');
      request.log.info(
        { eventName: change.eventName, personId: change.personId },
        'webhook handed to Temporal',
      );
      return reply.code(202).send({ accepted: true });
    },
  );

  app.get('/healthz', async (_request, reply) => {
    const ok = await options.healthy().catch(() => false);
    return reply.code(ok ? 200 : 503).send({ status: ok ? 'ok' : 'temporal unreachable' });
  });

  app.get('/metrics', async (_request, reply) => {
    const lines = [
      '# HELP personio_webhook_requests_total Webhook requests by outcome.',
      '# TYPE personio_webhook_requests_total counter',
      ...Object.entries(metrics.requests).map(
        ([outcome, n]) => `personio_webhook_requests_total{outcome="${outcome}"} ${n}`,
      ),
      '# HELP personio_webhook_handoff_seconds Time to hand an accepted webhook to Temporal.',
      '# TYPE personio_webhook_handoff_seconds summary',
      `personio_webhook_handoff_seconds_sum ${metrics.handoffSecondsSum}`,
      `personio_webhook_handoff_seconds_count ${metrics.handoffCount}`,
      ...(options.handoffSignals
        ? [
            '# HELP personio_webhook_signals_total Signals sent to Temporal (one may carry several webhooks).',
            '# TYPE personio_webhook_signals_total counter',
            `personio_webhook_signals_total ${options.handoffSignals()}`,
          ]
        : []),
    ];
    return reply.type('text/plain; version=0.0.4').send(`${lines.join('\n')}\n`);
  });

  return { app, metrics };
}
