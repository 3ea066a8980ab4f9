/**
 * The Personio sandbox: a real HTTP server that answers like Personio's v1 API, over a
 * seeded, deterministic company, with fault switches, stats and a mutation API for tests.
 *
 *   const sandbox = createPersonioSandbox({ employees: 500, seed: 7 });
 *   await sandbox.listen();            // 127.0.0.1, free port
 *   sandbox.url                        // http://127.0.0.1:<port>
 */
import formbody from '@fastify/formbody';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import { installFaults, type FaultController, type FaultSettings } from '../faults.js';
import { installStats, type StatsRecorder } from '../stats.js';
import { registerAdminRoutes } from './admin-routes.js';
import { registerApiRoutes } from './api-routes.js';
import { messages, personioError } from './errors.js';
import {
  DEFAULT_AS_OF,
  DEFAULT_DOMAIN,
  dirtyCases,
  FIRST_EMPLOYEE_ID,
  generateEmployees,
} from './generate.js';
import { createMutations, type EmployeeMutations } from './mutations.js';
import { CoolDownLimiter, WindowLimiter } from './rate-limit.js';
import { loadState, saveState } from './state-file.js';
import { EmployeeStore, type StoreSnapshot } from './store.js';
import { TokenRegistry } from './tokens.js';
import { sendV2Error, v2Problems } from './v2-errors.js';
import {
  EndpointBuckets,
  PERSONIO_V2_RATE_LIMIT,
  TokenEndpointLimiter,
  type BucketRule,
} from './v2-rate-limit.js';
import { registerV2Routes } from './v2-routes.js';
import { V2TokenRegistry } from './v2-tokens.js';
import { registerWebhookRoutes } from './webhook-routes.js';
import { WebhookCenter, type WebhookFaults } from './webhooks.js';

export const SANDBOX_CLIENT_ID = 'sandbox-client-id';
export const SANDBOX_CLIENT_SECRET = 'sandbox-client-secret';

/** Personio's documented employees limit: 300 requests/min with bursts of 15/s. */
export const PERSONIO_EMPLOYEES_RATE_LIMIT: EmployeesRateLimit = { perMinute: 300, perSecond: 15 };
/** Personio's auth limit: 60 requests/min, then a 60 s cool-down of 429s. */
export const PERSONIO_AUTH_RATE_LIMIT: AuthRateLimit = { perMinute: 60, coolDownMs: 60_000 };

export const DEFAULT_PAGE_CACHE_BYTES = 64 * 1024 * 1024;

export interface EmployeesRateLimit {
  perMinute: number;
  perSecond: number;
}

export interface AuthRateLimit {
  perMinute: number;
  coolDownMs: number;
}

export interface PersonioSandboxOptions {
  /** Number of generated employees (default 100). */
  employees?: number;
  /** PRNG seed (default 1): the same seed gives the same company. */
  seed?: number;
  /** Include the broken records listed in `dirtyCases` (default false). */
  dirty?: boolean;
  /** E-mail domain of generated employees. */
  domain?: string;
  clientId?: string;
  clientSecret?: string;
  /** Refuse query-string credentials with 403, as Personio will after December 2026. */
  strictAuth?: boolean;
  /** Attribute keys the credential may read (default: all). `id` is always readable. */
  scope?: readonly string[];
  /** Fault switches in force from the start. */
  faults?: Partial<FaultSettings>;
  /** The sandbox clock (epoch ms): token expiry, rate-limit windows, mutation timestamps. */
  now?: () => number;
  /**
   * Personio's documented employees rate limit (300/min, bursts of 15/s): on by default in every
   * mode; `false` turns it off (say why where you do).
   */
  employeesRateLimit?: EmployeesRateLimit | false;
  /** The auth endpoint limit; on by default (PERSONIO_AUTH_RATE_LIMIT). */
  authRateLimit?: AuthRateLimit | false;
  /**
   * v2's per-endpoint token buckets (x-ratelimit-* headers, 429 without Retry-After) and the
   * token endpoint's 150/min. On by default (PERSONIO_V2_RATE_LIMIT); false turns both off.
   */
  v2RateLimit?: BucketRule | false;
  /** Webhook delivery fault switches in force from the start (drop, duplicate, delay, reorder). */
  webhookFaults?: Partial<WebhookFaults>;
  /** Multiplies the webhook retry delays (default 1; tests use e.g. 0.001). */
  webhookRetryTimeScale?: number;
  /** Keep the company in this JSON file: loaded at start when present, written on each change. */
  stateFile?: string;
  /**
   * Memory for whole cached list pages (default 64 MiB). Pages of 100 employees are ~300 KB:
   * to serve a 100k company from cache, give it ~350 MiB (benchmarks do).
   */
  pageCacheBytes?: number;
  /** A pino logger; no logging when absent. */
  logger?: FastifyBaseLogger;
}

export interface PersonioSandbox {
  app: FastifyInstance;
  /** http://127.0.0.1:<port>; only after listen(). */
  readonly url: string;
  listen(port?: number, host?: string): Promise<string>;
  close(): Promise<void>;
  faults: FaultController;
  stats: StatsRecorder;
  /** v2 webhook subscriptions, events and deliveries. */
  webhooks: WebhookCenter;
  /** Change employees between imports; every change bumps last_modified_at. */
  data: EmployeeMutations;
  /** Regenerate the seeded company and clear stats, faults, tokens and rate-limit windows. */
  reset(): void;
}

export function createPersonioSandbox(options: PersonioSandboxOptions = {}): PersonioSandbox {
  const now = options.now ?? Date.now;
  const seed = options.seed ?? 1;
  const count = options.employees ?? 100;
  const readable = options.scope ? new Set(['id', ...options.scope]) : null;

  const app = options.logger ? Fastify({ loggerInstance: options.logger }) : Fastify({ logger: false });
  void app.register(formbody);

  const generate = (): StoreSnapshot => ({
    employees: generateEmployees({ count, seed, dirty: options.dirty ?? false, domain: options.domain }),
    nextId: FIRST_EMPLOYEE_ID,
    changes: {},
    pendingDeactivations: [],
  });
  const persist = () => {
    if (options.stateFile) saveState(options.stateFile, store.snapshot());
  };
  const store = new EmployeeStore(readable, now, persist);
  const saved = options.stateFile ? loadState(options.stateFile) : null;
  store.load(saved ?? generate());

  const tokens = new TokenRegistry(now);
  const webhooks = new WebhookCenter({
    now,
    faults: options.webhookFaults,
    retryTimeScale: options.webhookRetryTimeScale,
  });
  store.onRecordChange((change) => webhooks.raise(change));
  const v2Tokens = new V2TokenRegistry(now);
  const v2Rate = options.v2RateLimit === undefined ? PERSONIO_V2_RATE_LIMIT : options.v2RateLimit;
  const v2Buckets = v2Rate ? new EndpointBuckets(v2Rate, now) : null;
  const v2TokenLimiter = v2Rate ? new TokenEndpointLimiter(now) : null;
  const authRate = options.authRateLimit === undefined ? PERSONIO_AUTH_RATE_LIMIT : options.authRateLimit;
  const authLimiter = authRate ? new CoolDownLimiter(authRate.perMinute, authRate.coolDownMs, now) : null;
  // On unless a caller turns it off by name (`employeesRateLimit: false`), saying why.
  const employeesRate = options.employeesRateLimit ?? PERSONIO_EMPLOYEES_RATE_LIMIT;
  const employeesLimiter = employeesRate
    ? new WindowLimiter(
        [
          { limit: employeesRate.perSecond, windowMs: 1000 },
          { limit: employeesRate.perMinute, windowMs: 60_000 },
        ],
        now,
      )
    : null;

  // Faults first: they must act before auth and routing, like a misbehaving network.
  const faults = installFaults(app, personioError, options.faults);
  const stats = installStats(app);
  faults.onChange((settings) => {
    if (!settings.expireTokens) return;
    tokens.expireAll();
    v2Tokens.expireAll();
    // One-shot: the switch reads false again at once, so setting it again expires again.
    faults.set({ expireTokens: false });
  });

  app.setNotFoundHandler((request, reply) =>
    request.url.startsWith('/v2/')
      ? sendV2Error(reply, 404, v2Problems.notFound)
      : reply.code(404).send(personioError(404, messages.notFound)),
  );
  app.setErrorHandler((error: { statusCode?: number; message: string }, request, reply) => {
    const status = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500;
    if (status >= 500) request.log.error(error);
    return reply.code(status).send(personioError(status, error.message));
  });

  registerApiRoutes(app, {
    store,
    tokens,
    clientId: options.clientId ?? SANDBOX_CLIENT_ID,
    clientSecret: options.clientSecret ?? SANDBOX_CLIENT_SECRET,
    strictAuth: options.strictAuth ?? false,
    readable,
    authLimiter,
    employeesLimiter,
    pageCacheBytes: options.pageCacheBytes ?? DEFAULT_PAGE_CACHE_BYTES,
  });

  registerV2Routes(app, {
    store,
    tokens: v2Tokens,
    clientId: options.clientId ?? SANDBOX_CLIENT_ID,
    clientSecret: options.clientSecret ?? SANDBOX_CLIENT_SECRET,
    readable,
    buckets: v2Buckets,
    tokenLimiter: v2TokenLimiter,
  });

  registerWebhookRoutes(app, { tokens: v2Tokens, buckets: v2Buckets, webhooks });

  const data = createMutations(store, { seed, domain: options.domain, now });
  const reset = () => {
    store.load(generate());
    persist();
    stats.clear();
    faults.clear();
    tokens.expireAll();
    v2Tokens.expireAll();
    webhooks.reset();
    v2Buckets?.reset();
    v2TokenLimiter?.reset();
    authLimiter?.reset();
    employeesLimiter?.reset();
  };
  registerAdminRoutes(app, data, reset, () => ({
    employees: store.size,
    seed,
    dirty: options.dirty ?? false,
    asOf: DEFAULT_AS_OF,
    domain: options.domain ?? DEFAULT_DOMAIN,
    dirtyCases: options.dirty ? dirtyCases.filter((c) => store.get(c.id)) : [],
  }));

  let url: string | undefined;
  return {
    app,
    get url() {
      if (!url) throw new Error('Personio sandbox is not listening yet: call listen() first');
      return url;
    },
    async listen(port = 0, host = '127.0.0.1') {
      await app.listen({ port, host });
      const address = app.server.address() as AddressInfo;
      url = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
      return url;
    },
    async close() {
      webhooks.close();
      await app.close();
    },
    faults,
    webhooks,
    stats,
    data,
    reset,
  };
}
