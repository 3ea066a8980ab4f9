/**
 * Paces one API credential's requests to what the API allows, for every activity of a worker
 * (the worker holds one client, so one limiter, per credential).
 *
 * - Rules are sliding windows ("at most 15 in any second and 300 in any minute": Personio's
 *   documented employees limit). A sliding window never exceeds the same rule counted in
 *   fixed windows, whichever way the server aligns them, and it still lets a small run use
 *   the burst allowance at once.
 * - A 429 pauses every request of the credential (Retry-After when the server sends one,
 *   else at least a second, as Personio documents): one refused request makes all callers
 *   wait, instead of each of them discovering the limit with a 429 of its own.
 * - Where an answer carries `x-ratelimit-*` headers (Personio v2's token buckets), the
 *   limiter follows them: no tokens left means wait for the next one.
 */

export interface RateRule {
  limit: number;
  windowMs: number;
}

/**
 * A budget shared with the other workers of the task queue (clients/temporal-budget.ts): each
 * request reserves a send time under the same rules, counting every worker's requests.
 */
export interface SharedBudget {
  /** The epoch ms at which this request may be sent. */
  reserve(rules: readonly RateRule[]): Promise<number>;
}

/** Tokens left at which requests start waiting for the bucket to refill (≥ requests in flight). */
const LOW_TOKENS = 4;

/**
 * Room for network jitter: the server counts a request when it arrives, and two requests sent
 * a window apart can arrive closer than that (workload E, 50 ± 20 ms: 2 of 200 re-run reads
 * were refused with a 2 % + 20 ms margin). A window is counted 5 % + 50 ms longer.
 */
const WINDOW_MARGIN = 1.05;
const WINDOW_MARGIN_MS = 50;

export class RateLimiter {
  private readonly logs: { rule: RateRule; times: number[] }[];
  private pausedUntil = 0;
  /** Grants are handed out one at a time, in order of asking. */
  private queue: Promise<void> = Promise.resolve();
  private waitedMs = 0;
  private pauses = 0;
  private shared: { budget: SharedBudget; onError: (err: unknown) => void } | undefined;

  constructor(
    rules: readonly RateRule[],
    private readonly now: () => number = () => performance.now(),
    private readonly sleep: (ms: number) => Promise<void> = (ms) =>
      new Promise((resolve) => setTimeout(resolve, ms)),
  ) {
    for (const rule of rules) {
      if (!(rule.limit >= 1) || !(rule.windowMs > 0))
        throw new Error(`a rate rule needs a limit ≥ 1 and a window > 0 (got ${JSON.stringify(rule)})`);
    }
    this.logs = rules.map((rule) => ({
      rule: { limit: Math.floor(rule.limit), windowMs: rule.windowMs * WINDOW_MARGIN + WINDOW_MARGIN_MS },
      times: [],
    }));
  }

  /** Waits until a request may be sent, and counts it. Resolves with the time waited (ms). */
  acquire(): Promise<number> {
    const asked = this.now();
    const granted = this.queue.then(async () => {
      for (;;) {
        const wait = this.waitBeforeNext();
        if (wait <= 0) break;
        await this.sleep(wait);
      }
      const at = this.now();
      for (const log of this.logs) log.times.push(at);
      if (this.shared) await this.waitForSharedSlot(this.shared);
    });
    this.queue = granted.catch(() => {});
    return granted.then(() => {
      const waited = this.now() - asked;
      this.waitedMs += waited;
      return waited;
    });
  }

  /**
   * Counts this worker's requests in a budget shared with the task queue's other workers too.
   * When the budget cannot answer, `onError` hears why and the request goes by this worker's
   * own pacing (a Temporal hiccup must not stop the import; the 429 handling still holds).
   */
  share(budget: SharedBudget, onError: (err: unknown) => void = () => {}): void {
    this.shared = { budget, onError };
  }

  private async waitForSharedSlot({ budget, onError }: NonNullable<typeof this.shared>): Promise<void> {
    let at: number;
    try {
      at = await budget.reserve(this.logs.map((l) => l.rule));
    } catch (err) {
      onError(err);
      return;
    }
    const wait = at - Date.now();
    if (wait > 0) await this.sleep(wait);
  }

  /** The API refused a request for its rate (429): nobody sends before `ms` from now. */
  pause(ms: number): void {
    this.pauses++;
    this.pausedUntil = Math.max(this.pausedUntil, this.now() + ms);
  }

  /**
   * Follows a token bucket the server reports on its answers (Personio v2:
   * `x-ratelimit-remaining`, `x-ratelimit-replenish-rate` tokens per second): with no token
   * left, the next request waits for one.
   */
  observe(headers: Record<string, string | string[] | undefined>): void {
    const remaining = numberHeader(headers['x-ratelimit-remaining']);
    // Plenty left: no wait. A few left (no more than may already be in flight): from here on,
    // one request per replenished token, so the ones in flight do not run the bucket dry.
    if (remaining === undefined || remaining > LOW_TOKENS) return;
    const perSecond = numberHeader(headers['x-ratelimit-replenish-rate']);
    this.pausedUntil = Math.max(
      this.pausedUntil,
      this.now() + 1000 / (perSecond && perSecond > 0 ? perSecond : 1),
    );
  }

  /** How long callers waited for a grant, and how often the API made everyone pause. */
  stats(): { waitedMs: number; pauses: number } {
    return { waitedMs: this.waitedMs, pauses: this.pauses };
  }

  private waitBeforeNext(): number {
    const now = this.now();
    let wait = this.pausedUntil - now;
    for (const { rule, times } of this.logs) {
      // Forget grants that left the window; the log never holds more than `limit` entries.
      while (times.length > 0 && now - times[0]! >= rule.windowMs) times.shift();
      if (times.length >= rule.limit)
        wait = Math.max(wait, times[times.length - rule.limit]! + rule.windowMs - now);
    }
    return wait;
  }
}

function numberHeader(value: string | string[] | undefined): number | undefined {
  const raw = Array.isArray(value) ? value[0] : value;
  if (raw === undefined || raw.trim() === '') return undefined;
  const n = Number(raw);
  return Number.isFinite(n) ? n : undefined;
}

/** Personio's documented limit on the v1 employees endpoint: 300 a minute, bursts of 15 a second. */
export const PERSONIO_DOCUMENTED_RULES: readonly RateRule[] = [
  { limit: 15, windowMs: 1000 },
  { limit: 300, windowMs: 60_000 },
];

/** Rules for an optional steady rate (JUMPCLOUD_REQUESTS_PER_SECOND): `rps` in any second. */
export function perSecondRules(rps: number | null | undefined): RateRule[] {
  if (!rps || rps <= 0) return [];
  // Below 1/s: one request per 1/rps seconds.
  return rps >= 1 ? [{ limit: Math.floor(rps), windowMs: 1000 }] : [{ limit: 1, windowMs: 1000 / rps }];
}
