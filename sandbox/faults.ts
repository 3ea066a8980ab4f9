/**
 * Misbehaviour on purpose, shared by both sandbox servers.
 *
 * Every switch is off by default. They are set at start (CLI flags) or while running
 * (`POST /_sandbox/faults` with a JSON subset of FaultSettings; `GET /_sandbox/faults` shows
 * what is in force). Admin routes under `/_sandbox/` are never faulted, so a test can always
 * reach them.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';

export const faultSettingsSchema = z
  .object({
    /** Fixed delay before every answer. */
    latencyMs: z.number().int().min(0).max(600_000),
    /** Uniform ± jitter added to latencyMs (never below 0). */
    jitterMs: z.number().int().min(0).max(600_000),
    /** Token bucket: requests per second allowed (burst = one second's worth). 0 = off. */
    rateLimit: z.number().min(0),
    /** Send `Retry-After` (whole seconds) with rate-limit 429s. */
    retryAfter: z.boolean(),
    /** Fraction of requests answered 500/502/503. */
    faultRate: z.number().min(0).max(1),
    /** Fraction of connections destroyed (TCP reset) before an answer. */
    resetRate: z.number().min(0).max(1),
    /** Hold every request this long before handling it ("no answer for T"). 0 = off. */
    stallMs: z.number().int().min(0).max(600_000),
    /** Treat every token issued so far as expired (Personio); new tokens work. */
    expireTokens: z.boolean(),
    /** Group-membership reads lag writes by this long (JumpCloud). */
    membershipLagMs: z.number().int().min(0).max(600_000),
  })
  .strict();

export type FaultSettings = z.infer<typeof faultSettingsSchema>;

export const noFaults: FaultSettings = {
  latencyMs: 0,
  jitterMs: 0,
  rateLimit: 0,
  retryAfter: false,
  faultRate: 0,
  resetRate: 0,
  stallMs: 0,
  expireTokens: false,
  membershipLagMs: 0,
};

export type InjectedKind = 'latency' | 'rateLimited' | 'serverError' | 'reset' | 'stall';

/** How a server renders its own error body (Personio and JumpCloud differ). */
export type ErrorBody = (status: number, message: string) => unknown;

export interface FaultController {
  readonly settings: FaultSettings;
  /** Merge a partial update; returns the settings now in force. */
  set(patch: Partial<FaultSettings>): FaultSettings;
  /** Turn every switch off and forget the counts. */
  clear(): void;
  /** How many faults of each kind were injected since start or the last clear. */
  readonly injected: Record<InjectedKind, number>;
  /** Called by a server when it bumps the token epoch for expireTokens. */
  onChange(listener: (s: FaultSettings) => void): void;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

class TokenBucket {
  private tokens: number;
  private last = performance.now();
  constructor(private ratePerSecond: number) {
    this.tokens = ratePerSecond;
  }
  setRate(rate: number) {
    this.ratePerSecond = rate;
    this.tokens = Math.min(this.tokens, rate);
  }
  /** Returns 0 when a token was taken, else the seconds until one is available. */
  take(): number {
    const now = performance.now();
    this.tokens = Math.min(this.ratePerSecond, this.tokens + ((now - this.last) / 1000) * this.ratePerSecond);
    this.last = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    return (1 - this.tokens) / this.ratePerSecond;
  }
}

export function isAdminRoute(url: string): boolean {
  return url.startsWith('/_sandbox/');
}

/**
 * Register the fault hook and the `/_sandbox/faults` routes on a Fastify app.
 * Register it before the API routes.
 */
export function installFaults(
  app: FastifyInstance,
  errorBody: ErrorBody,
  initial: Partial<FaultSettings> = {},
): FaultController {
  let settings: FaultSettings = faultSettingsSchema.parse({ ...noFaults, ...initial });
  const bucket = new TokenBucket(settings.rateLimit);
  const listeners: ((s: FaultSettings) => void)[] = [];
  const injected: Record<InjectedKind, number> = {
    latency: 0,
    rateLimited: 0,
    serverError: 0,
    reset: 0,
    stall: 0,
  };

  const controller: FaultController = {
    get settings() {
      return settings;
    },
    set(patch) {
      settings = faultSettingsSchema.parse({ ...settings, ...patch });
      bucket.setRate(settings.rateLimit);
      for (const l of listeners) l(settings);
      return settings;
    },
    clear() {
      controller.set(noFaults);
      for (const k of Object.keys(injected) as InjectedKind[]) injected[k] = 0;
    },
    injected,
    onChange(listener) {
      listeners.push(listener);
    },
  };

  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    if (isAdminRoute(request.url)) return;
    const s = settings;
    if (s.stallMs > 0) {
      injected.stall++;
      await sleep(s.stallMs);
    }
    const delay = s.latencyMs + (s.jitterMs > 0 ? (Math.random() * 2 - 1) * s.jitterMs : 0);
    if (delay > 0) {
      injected.latency++;
      await sleep(delay);
    }
    if (s.resetRate > 0 && Math.random() < s.resetRate) {
      injected.reset++;
      const socket = request.raw.socket;
      // resetAndDestroy sends a TCP RST: the client sees ECONNRESET, as with a dropped proxy.
      if (typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy();
      else socket.destroy();
      return reply.hijack();
    }
    if (s.rateLimit > 0) {
      const wait = bucket.take();
      if (wait > 0) {
        injected.rateLimited++;
        if (s.retryAfter) void reply.header('retry-after', String(Math.max(1, Math.ceil(wait))));
        return reply.code(429).send(errorBody(429, 'Too Many Requests'));
      }
    }
    if (s.faultRate > 0 && Math.random() < s.faultRate) {
      injected.serverError++;
      const status = [500, 502, 503][Math.floor(Math.random() * 3)] ?? 503;
      return reply.code(status).send(errorBody(status, 'Injected server error'));
    }
  });

  app.get('/_sandbox/faults', async () => ({ settings, injected }));
  app.post('/_sandbox/faults', async (request, reply) => {
    const parsed = faultSettingsSchema.partial().safeParse(request.body ?? {});
    if (!parsed.success) {
      return reply.code(400).send({ error: 'invalid fault settings', issues: parsed.error.issues });
    }
    return { settings: controller.set(parsed.data), injected };
  });

  return controller;
}
