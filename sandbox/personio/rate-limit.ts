/**
 * Personio's own rate limits (separate from the shared `rateLimit` fault switch, which is a
 * generic token bucket): fixed windows on the sandbox clock, so tests can step through them.
 */

export interface WindowRule {
  limit: number;
  windowMs: number;
}

/** Allows a request only when every rule still has room in its current window. */
export class WindowLimiter {
  private readonly windows: { rule: WindowRule; start: number; count: number }[];

  constructor(
    rules: readonly WindowRule[],
    private readonly now: () => number,
  ) {
    this.windows = rules.map((rule) => ({ rule, start: -Infinity, count: 0 }));
  }

  /** Count the request and return true, or return false (not counted) when over a limit. */
  tryTake(): boolean {
    const now = this.now();
    for (const w of this.windows) {
      if (now - w.start >= w.rule.windowMs) {
        w.start = now;
        w.count = 0;
      }
    }
    if (this.windows.some((w) => w.count >= w.rule.limit)) return false;
    for (const w of this.windows) w.count++;
    return true;
  }

  reset(): void {
    for (const w of this.windows) {
      w.start = -Infinity;
      w.count = 0;
    }
  }
}

/**
 * The auth endpoint: `perMinute` requests per minute, and once past that a cool-down during
 * which every request is refused, however few arrive.
 */
export class CoolDownLimiter {
  private readonly window: WindowLimiter;
  private coolDownUntil = -Infinity;

  constructor(
    perMinute: number,
    private readonly coolDownMs: number,
    private readonly now: () => number,
  ) {
    this.window = new WindowLimiter([{ limit: perMinute, windowMs: 60_000 }], now);
  }

  tryTake(): boolean {
    const now = this.now();
    if (now < this.coolDownUntil) return false;
    if (this.window.tryTake()) return true;
    this.coolDownUntil = now + this.coolDownMs;
    this.window.reset();
    return false;
  }

  reset(): void {
    this.coolDownUntil = -Infinity;
    this.window.reset();
  }
}
