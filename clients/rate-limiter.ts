/**
 * Paces one API credential's requests to what the API allows, for every activity of a worker
 * (the worker holds one client, so one limiter, per credential).
 *
 * - Rules are sliding windows ("at most 15 in any second and 300 in any minute": Personio's
 *   documented employees limit). A sliding window never exceeds the same rule counted in
 *   fixed windows, whichever way the server aligns them, and it still lets a small run use
 *   the burst allowance at once. A server's documented limit is counted from each answer
 *   (the server counted the request before it answered), so no network delay or jitter can
 *   make requests arrive closer than the rule allows; a rate of our own choosing
 *   (JUMPCLOUD_REQUESTS_PER_SECOND) from the send.
 * - A 429 pauses every request of the credential (Retry-After when the server sends one,
 *   else at least a second, as Personio documents): one refused request makes all callers
 *   wait, instead of each of them discovering the limit with a 429 of its own.
 * - Where an answer carries `x-ratelimit-*` headers (Personio v2's token buckets), the
 *   limiter follows them: no tokens left means wait for the next one.
 */

import PQueue from 'p-queue';

export interface RateRule {
  limit: number;
  windowMs: number;
  /**
   * From when a request counts: its answer (the default; a server counts a request before it
   * answers, so this is never early, whatever the network does) or its sending (a steady rate
   * of our own choosing, where a round trip per window would be a loss for nothing).
   */
  countFrom?: 'answer' | 'send';
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
 * Room for the shared budget (clients/temporal-budget.ts), which only knows when each worker
 * was told it may send: the request goes out after the update's round trip and reaches the
 * server after the network's, so the budget counts each window of a server's documented count
 * (`countFrom: 'answer'`, Personio v1) 5 % + 50 ms longer (workload E, 50 ± 20 ms: 2 of 200
 * re-run reads were refused with 2 % + 20 ms). A steady rate of our own choosing (`'send'`:
 * Personio v2, whose buckets hold 100 and absorb the jitter) is reserved as it is: the margin
 * cost v2's 20,400-read directory 10 %, 748 s where 30/s allow 680.
 */
const SHARED_WINDOW_MARGIN = 1.05;
const SHARED_WINDOW_MARGIN_MS = 50;

/** Longer than any request may take (clients/http.ts times out at 30 s by default). */
const STALE_MS = 5 * 60_000;

/** One request counted by the limiter: in its windows from the moment it is sent. */
interface Sent {
  sentAt: number;
  /**
   * When its answer came (or it failed); null while it is in flight. A server counts a
   * request when it arrives, which is before it answers: counting from the answer is never
   * too early, whatever the network's delay or jitter, and costs no more than one round trip.
   */
  answeredAt: number | null;
}

/** A request's grant: call `answered` once its answer (or failure) is in. */
export interface Grant {
  /** How long the request waited for its grant (ms). */
  waitedMs: number;
  answered(): void;
}

export class RateLimiter {
  private readonly rules: RateRule[];
  /** The requests still inside the longest window (or in flight), oldest first. */
  private sent: Sent[] = [];
  private readonly longestWindowMs: number;
  private pausedUntil = 0;
  /** Grants are handed out one at a time, in order of asking. */
  private queue: Promise<void> = Promise.resolve();
  /** Wakes a grant waiting for a request in flight to be answered. */
  private onAnswer: (() => void) | undefined;
  private waitedMs = 0;
  private pauses = 0;
  private shared: { budget: SharedBudget; onError: (err: unknown) => void } | undefined;
  /**
   * Reservations travelling at once: a round trip each, so several keep up with the rate;
   * fewer than Temporal's 10 updates in flight per workflow (the budget is one workflow).
   */
  private readonly reservations = new PQueue({ concurrency: 8 });

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
    this.rules = rules.map((rule) => ({ ...rule, limit: Math.floor(rule.limit) }));
    this.longestWindowMs = Math.max(0, ...this.rules.map((r) => r.windowMs));
  }

  /**
   * Waits until a request may be sent, and counts it. The caller tells the grant when the
   * answer is in (`answered`); until then the request counts as inside every window.
   */
  acquire(): Promise<Grant> {
    const asked = this.now();
    const entry: Sent = { sentAt: 0, answeredAt: null };
    const granted = this.queue.then(async () => {
      for (;;) {
        const wait = this.waitBeforeNext();
        if (wait <= 0) break;
        if (wait === Infinity)
          // Checked again at least every second: a request never answered goes stale (below).
          await Promise.race([new Promise<void>((resolve) => (this.onAnswer = resolve)), this.sleep(1000)]);
        else await this.sleep(wait);
      }
      entry.sentAt = this.now();
      if (this.rules.length > 0) this.sent.push(entry);
    });
    this.queue = granted.catch(() => {});
    return granted.then(() => {
      const waited = this.now() - asked;
      this.waitedMs += waited;
      return {
        waitedMs: waited,
        answered: () => {
          if (entry.answeredAt !== null) return;
          entry.answeredAt = this.now();
          const wake = this.onAnswer;
          this.onAnswer = undefined;
          wake?.();
        },
      };
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

  /**
   * Waits for this request's slot in the shared budget (at once when there is none). Called
   * before the request takes a connection: the budget's round trip goes through Temporal and
   * may take longer than the request itself, and held connections would cap the rate.
   */
  async reserveShared(): Promise<void> {
    const shared = this.shared;
    if (shared) await this.reservations.add(() => this.waitForSharedSlot(shared));
  }

  private async waitForSharedSlot({ budget, onError }: NonNullable<typeof this.shared>): Promise<void> {
    let at: number;
    try {
      at = await budget.reserve(
        this.rules.map(({ limit, windowMs, countFrom = 'answer' }) => ({
          limit,
          windowMs:
            countFrom === 'answer' ? windowMs * SHARED_WINDOW_MARGIN + SHARED_WINDOW_MARGIN_MS : windowMs,
        })),
      );
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

  /** How long the next request must wait: 0 to go now, Infinity until an answer comes in. */
  private waitBeforeNext(): number {
    const now = this.now();
    let wait = this.pausedUntil - now;
    // A request nobody reported an answer for (a bug, not a slow API: requests time out
    // sooner) counts as answered after STALE_MS, so pacing can never stop for good.
    for (const s of this.sent)
      if (s.answeredAt === null && now - s.sentAt > STALE_MS) s.answeredAt = s.sentAt + STALE_MS;
    // Forget requests answered longer ago than any window.
    this.sent = this.sent.filter((s) => s.answeredAt === null || now - s.answeredAt < this.longestWindowMs);
    for (const { limit, windowMs, countFrom } of this.rules) {
      if (countFrom === 'send') {
        const sent = this.sent.map((s) => s.sentAt).filter((at) => now - at < windowMs);
        if (sent.length >= limit) wait = Math.max(wait, sent[sent.length - limit]! + windowMs - now);
        continue;
      }
      const answered: number[] = [];
      let inFlight = 0;
      for (const { answeredAt } of this.sent) {
        if (answeredAt === null) inFlight++;
        else if (now - answeredAt < windowMs) answered.push(answeredAt);
      }
      const over = inFlight + answered.length - limit;
      if (over < 0) continue;
      // As many in flight as the rule allows: the next may go once one is answered.
      if (inFlight >= limit) return Infinity;
      // Otherwise once enough of the answered ones have left the window (those in flight
      // will leave it last).
      answered.sort((a, b) => a - b);
      wait = Math.max(wait, answered[over]! + windowMs - now);
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

/**
 * Rules for a rate of `rps` in any second (none when `rps` is null, undefined or not
 * positive; below 1/s, one request per 1/rps seconds). One window of a whole second (not ten
 * of a tenth) lets a grant that a busy event loop handed out late be made up within the second.
 *
 * Counted from the sending by default: a steady rate of our own choosing
 * (JUMPCLOUD_REQUESTS_PER_SECOND, Personio v2's default). JumpCloud publishes no numbers, so its
 * rate is a setting, not a server's documented count: a round trip per window (counting from the
 * answer) would cost 5 % of it for nothing. A server counting `rps` in any second may see a
 * request early when the network's delay varies; its 429 makes every request wait
 * (clients/http.ts). A server's documented limit (Personio v1) passes `countFrom: 'answer'`.
 */
export function perSecondRules(
  rps: number | null | undefined,
  { countFrom = 'send' }: { countFrom?: RateRule['countFrom'] } = {},
): RateRule[] {
  if (!rps || rps <= 0) return [];
  return rps >= 1
    ? [{ limit: Math.floor(rps), windowMs: 1000, countFrom }]
    : [{ limit: 1, windowMs: 1000 / rps, countFrom }];
}
