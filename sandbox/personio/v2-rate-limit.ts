/**
 * Personio v2's rate limits as observed (shared/docs/personio-api-v2.md §5): a token bucket per
 * endpoint (path template), reported on every response in `x-ratelimit-*` headers, and a 429
 * without `Retry-After` and with an empty body when the bucket is empty. Which endpoints share
 * a bucket is unknown; the sandbox gives each path template its own, as the observing client
 * does. Buckets run on the sandbox clock, so tests can step through them.
 */

export interface BucketRule {
  /** Tokens added per second. */
  replenishRate: number;
  /** Bucket size. */
  burstCapacity: number;
}

/** `/v2/persons` as observed: 30 tokens/s, bucket of 100. Used for every v2 endpoint. */
export const PERSONIO_V2_RATE_LIMIT: BucketRule = { replenishRate: 30, burstCapacity: 100 };

export interface TakeResult {
  allowed: boolean;
  headers: Record<string, string>;
}

export class EndpointBuckets {
  private buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly rule: BucketRule,
    private readonly now: () => number,
  ) {}

  take(endpoint: string): TakeResult {
    const now = this.now();
    const { replenishRate, burstCapacity } = this.rule;
    let bucket = this.buckets.get(endpoint);
    if (!bucket) this.buckets.set(endpoint, (bucket = { tokens: burstCapacity, at: now }));
    bucket.tokens = Math.min(burstCapacity, bucket.tokens + ((now - bucket.at) / 1000) * replenishRate);
    bucket.at = now;
    const allowed = bucket.tokens >= 1;
    if (allowed) bucket.tokens -= 1;
    return {
      allowed,
      headers: {
        'x-ratelimit-replenish-rate': String(replenishRate),
        'x-ratelimit-burst-capacity': String(burstCapacity),
        'x-ratelimit-requested-tokens': '1',
        'x-ratelimit-remaining': String(Math.floor(bucket.tokens)),
      },
    };
  }

  reset(): void {
    this.buckets.clear();
  }
}

/**
 * `POST /v2/auth/token`: 150 requests a minute; past that, "further requests are only accepted
 * at a rate of 1 request per second, for the next 60 seconds".
 */
export class TokenEndpointLimiter {
  private windowStart = -Infinity;
  private count = 0;
  private slowUntil = -Infinity;
  private lastSlow = -Infinity;

  constructor(
    private readonly now: () => number,
    private readonly perMinute = 150,
  ) {}

  tryTake(): boolean {
    const now = this.now();
    if (now < this.slowUntil) {
      if (now - this.lastSlow < 1000) return false;
      this.lastSlow = now;
      return true;
    }
    if (now - this.windowStart >= 60_000) {
      this.windowStart = now;
      this.count = 0;
    }
    if (this.count < this.perMinute) {
      this.count++;
      return true;
    }
    this.slowUntil = now + 60_000;
    this.lastSlow = now;
    return false;
  }

  reset(): void {
    this.windowStart = -Infinity;
    this.count = 0;
    this.slowUntil = -Infinity;
    this.lastSlow = -Infinity;
  }
}
