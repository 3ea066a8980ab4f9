/**
 * The HTTP layer under both API clients: got with keep-alive, a request timeout and no
 * retries of its own (Temporal retries activities, visibly), a cap on concurrent requests,
 * pacing to the API's rate limits (clients/rate-limiter.ts; a 429 means "wait", not
 * "fail"), and every failure turned into an ApiError.
 */
import { setMaxListeners } from 'node:events';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import got, { HTTPError, RequestError, type Got, type OptionsOfJSONResponseBody } from 'got';
import PQueue from 'p-queue';
import { ApiError, kindForStatus, parseRetryAfter, type ApiSystem } from './api-error.js';
import { Context } from '@temporalio/activity';
import { perSecondRules, RateLimiter, type RateRule, type SharedBudget } from './rate-limiter.js';

export interface HttpSettings {
  baseUrl: string;
  headers: Record<string, string>;
  /** Requests in flight at once from this process. */
  maxConcurrency: number;
  /** Optional steady rate limit for this process (requests per second). */
  requestsPerSecond?: number | null;
  /** Sliding-window limits (e.g. Personio's documented 15/s and 300/min), on top of the above. */
  rateRules?: readonly RateRule[];
  /** How long a 429 without Retry-After makes every request wait (Personio: "at least 1 s"). */
  rateLimitedWaitMs?: number;
  timeoutMs?: number;
  /** Pace together with the task queue's other workers (clients/temporal-budget.ts). */
  sharedBudget?: { budget: SharedBudget; onError?: (err: unknown) => void };
}

export interface JsonResponse<T> {
  status: number;
  body: T;
  headers: Record<string, string | string[] | undefined>;
}

export interface HttpStats {
  requests: number;
  byStatus: Map<number, number>;
}

/**
 * The running activity's cancellation, when there is one: a request in flight is aborted with
 * it, so a stopped import or a worker past its WORKER_SHUTDOWN_GRACE does not wait on the API.
 */
function activityCancellation(): AbortSignal | undefined {
  try {
    const signal = Context.current().cancellationSignal;
    // Every request of the activity listens to it, and an activity may send many at once:
    // that is not a leak, so node is told not to warn about it.
    setMaxListeners(0, signal);
    return signal;
  } catch {
    return undefined; // Not in an activity (the CLI's checks, the benchmark's plain loop).
  }
}

/** Told about every request; used for metrics. */
export interface RequestObserver {
  /** After every response, or a network failure. */
  request(system: ApiSystem, status: number | 'network', durationMs: number): void;
  /** How long a request waited for a slot under the concurrency / rate caps. */
  queued(system: ApiSystem, waitMs: number): void;
}

const ignore: RequestObserver = { request: () => {}, queued: () => {} };

export class HttpClient {
  private readonly got: Got;
  private readonly queue: PQueue;
  readonly limiter: RateLimiter;
  private readonly rateLimitedWaitMs: number;
  private sent = 0;

  constructor(
    private readonly system: ApiSystem,
    settings: HttpSettings,
    private readonly observe: RequestObserver = ignore,
  ) {
    this.got = got.extend({
      prefixUrl: settings.baseUrl,
      headers: { accept: 'application/json', ...settings.headers },
      timeout: { request: settings.timeoutMs ?? 30_000 },
      retry: { limit: 0 },
      throwHttpErrors: false,
      responseType: 'json',
      agent: {
        http: new HttpAgent({ keepAlive: true, maxSockets: settings.maxConcurrency }),
        https: new HttpsAgent({ keepAlive: true, maxSockets: settings.maxConcurrency }),
      },
    });
    this.queue = new PQueue({ concurrency: settings.maxConcurrency });
    this.limiter = new RateLimiter([
      ...perSecondRules(settings.requestsPerSecond),
      ...(settings.rateRules ?? []),
    ]);
    if (settings.sharedBudget)
      this.limiter.share(settings.sharedBudget.budget, settings.sharedBudget.onError);
    this.rateLimitedWaitMs = settings.rateLimitedWaitMs ?? 1000;
  }

  /** Requests sent so far by this client (every attempt counts). */
  get requestsSent(): number {
    return this.sent;
  }

  /**
   * Sends one request. 2xx → the parsed body; anything else → ApiError (with the status,
   * Retry-After and the server's message). `describe` names the operation in messages.
   *
   * A transient failure (5xx, reset, 429 asking for a short wait) is tried again here, a
   * couple of times within a second or so: under a steady trickle of faults that keeps a
   * whole activity (several calls) from failing and waiting out Temporal's backoff for one
   * flaky call. What persists past that surfaces as an ApiError, and Temporal retries the
   * activity. Every write this project makes is safe to repeat (the callers look up before
   * creating and read 409/"already exists" as done).
   */
  async request<T>(describe: string, path: string, options: RequestOptions = {}): Promise<JsonResponse<T>> {
    let rateLimitedFor = 0;
    for (let attempt = 1; ;) {
      try {
        return await this.requestOnce<T>(describe, path, options);
      } catch (err) {
        if (err instanceof ApiError && err.kind === 'rate-limited') {
          // A 429 is the API asking us to slow down: every request of this credential waits
          // (the limiter), and this one is sent again. Only a limit that never lifts is
          // handed to Temporal, as a retryable failure.
          const wait = err.retryAfterMs ?? this.rateLimitedWaitMs;
          rateLimitedFor += wait;
          if (rateLimitedFor > MAX_RATE_LIMITED_WAIT_MS) throw err;
          this.limiter.pause(wait);
          continue;
        }
        const wait = err instanceof ApiError ? retryDelay(err, attempt++) : null;
        if (wait === null) throw err;
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
    }
  }

  private async requestOnce<T>(
    describe: string,
    path: string,
    { authorize, ...options }: RequestOptions,
  ): Promise<JsonResponse<T>> {
    const cancelled = activityCancellation();
    const queuedAt = performance.now();
    let started = queuedAt;
    await this.limiter.reserveShared();
    const response = await this.queue.add(async () => {
      // The rate grant is taken while holding a concurrency slot, so a request goes out when
      // it is granted: grants then never bunch up behind the concurrency cap.
      const grant = await this.limiter.acquire();
      let headers = options.headers;
      try {
        if (authorize) headers = { ...headers, ...(await authorize()) };
      } catch (err) {
        grant.answered();
        throw err; // the credential's own failure (a refused secret), not a network error
      }
      started = performance.now();
      this.observe.queued(this.system, started - queuedAt);
      this.sent++;
      try {
        return await this.got<T>(path.replace(/^\//, ''), {
          ...options,
          headers,
          ...(cancelled ? { signal: cancelled } : {}),
          isStream: false,
          resolveBodyOnly: false,
        });
      } catch (err) {
        // The activity was cancelled (its import stopped, or the worker's shutdown grace ran
        // out): the request is abandoned, not retried; Temporal hands the work to another try.
        if (cancelled?.aborted) throw cancelled.reason ?? err;
        this.observe.request(this.system, 'network', performance.now() - started);
        throw this.networkError(describe, err);
      } finally {
        // The server counted it before it answered: the limiter counts from here.
        grant.answered();
      }
    });
    const status = response.statusCode;
    this.observe.request(this.system, status, performance.now() - started);
    this.limiter.observe(response.headers);
    if (status >= 200 && status < 300) return { status, body: response.body, headers: response.headers };
    const serverMessage = messageFrom(response.body);
    throw new ApiError(
      this.system,
      kindForStatus(status),
      `${this.system} ${describe} failed: HTTP ${status}${serverMessage ? ` "${serverMessage}"` : ''}`,
      status,
      parseRetryAfter(response.headers['retry-after']),
    );
  }

  private networkError(describe: string, err: unknown): ApiError {
    if (err instanceof HTTPError) {
      return new ApiError(
        this.system,
        kindForStatus(err.response.statusCode),
        err.message,
        err.response.statusCode,
      );
    }
    const code = err instanceof RequestError ? err.code : undefined;
    return new ApiError(
      this.system,
      'network',
      `${this.system} ${describe} failed: ${code ?? (err as Error).message}`,
    );
  }
}

export type RequestOptions = OptionsOfJSONResponseBody & {
  /**
   * Headers that authorize the request (a bearer token), asked for just before it is sent:
   * a token taken before the request waited its turn under the caps could expire on the way.
   */
  authorize?: () => Promise<Record<string, string>>;
};

/** How long one request may keep waiting out 429s before the activity gives it to Temporal. */
const MAX_RATE_LIMITED_WAIT_MS = 5 * 60_000;

/** Quick in-client retries before Temporal's own: how many, and the longest wait they accept. */
const QUICK_RETRIES = 2;
const QUICK_RETRY_MAX_WAIT_MS = 2000;

/** The wait before trying a transient failure again, or null to give it to Temporal. */
export function retryDelay(err: ApiError, attempt: number): number | null {
  if (!err.retryable || attempt > QUICK_RETRIES) return null;
  if (err.retryAfterMs !== undefined)
    return err.retryAfterMs <= QUICK_RETRY_MAX_WAIT_MS ? err.retryAfterMs : null;
  return 100 * 2 ** (attempt - 1) * (0.5 + Math.random());
}

/** Pulls the human message out of either system's error body. */
function messageFrom(body: unknown): string | undefined {
  if (!body || typeof body !== 'object')
    return typeof body === 'string' && body.length < 300 ? body : undefined;
  const b = body as { message?: unknown; error?: unknown };
  if (typeof b.message === 'string') return b.message;
  if (
    b.error &&
    typeof b.error === 'object' &&
    typeof (b.error as { message?: unknown }).message === 'string'
  ) {
    return (b.error as { message: string }).message;
  }
  if (typeof b.error === 'string') return b.error;
  return undefined;
}
