import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PERSONIO_DOCUMENTED_RULES, RateLimiter } from '../../../clients/rate-limiter.js';

/** A clock that only moves when the limiter sleeps: every grant's time is exact. */
function fakeClock() {
  let now = 0;
  return {
    now: () => now,
    sleep: async (ms: number) => {
      now += ms;
    },
    advance: (ms: number) => (now += ms),
  };
}

async function grantTimes(limiter: RateLimiter, clock: { now(): number }, n: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    await limiter.acquire();
    times.push(clock.now());
  }
  return times;
}

/** The most grants in any window of `windowMs` (sliding), the way a server counts in the worst case. */
function mostInAnyWindow(times: number[], windowMs: number): number {
  let most = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while (times[i]! - times[j]! >= windowMs) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
}

describe('RateLimiter', () => {
  it("keeps Personio's documented limit in every second and every minute, using the burst", async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter(PERSONIO_DOCUMENTED_RULES, clock.now, clock.sleep);
    const times = await grantTimes(limiter, clock, 700);
    assert.ok(mostInAnyWindow(times, 1000) <= 15, 'at most 15 in any second');
    assert.ok(mostInAnyWindow(times, 60_000) <= 300, 'at most 300 in any minute');
    // The burst is used: the first 15 go at once.
    assert.equal(times[14], 0);
    // And no slower than the limit allows: 700 requests need just over two minutes of windows.
    assert.ok(times[699]! < 2 * 61_200 + 30_000, `700 grants took ${times[699]} ms`);
  });

  it('makes everybody wait after a 429, for the time asked', async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter([{ limit: 100, windowMs: 1000 }], clock.now, clock.sleep);
    await limiter.acquire();
    limiter.pause(5000);
    const waited = await limiter.acquire();
    assert.ok(clock.now() >= 5000, 'no grant before the pause ends');
    assert.ok(waited >= 5000);
    assert.deepEqual(limiter.stats().pauses, 1);
  });

  it('follows x-ratelimit headers: with few tokens left, one request per replenished token', async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter([], clock.now, clock.sleep);
    limiter.observe({ 'x-ratelimit-remaining': '30', 'x-ratelimit-replenish-rate': '2' });
    assert.equal(await limiter.acquire(), 0, 'plenty of tokens left: no wait');
    limiter.observe({ 'x-ratelimit-remaining': '3', 'x-ratelimit-replenish-rate': '2' });
    await limiter.acquire();
    assert.ok(clock.now() >= 500, 'a few left (as many as may be in flight): waited for one token at 2/s');
    const before = clock.now();
    limiter.observe({ 'x-ratelimit-remaining': '0', 'x-ratelimit-replenish-rate': '2' });
    await limiter.acquire();
    assert.ok(clock.now() - before >= 500, 'none left: waited for the next one');
  });

  it('grants in the order asked, however many ask at once', async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter([{ limit: 2, windowMs: 1000 }], clock.now, clock.sleep);
    const order: number[] = [];
    await Promise.all([0, 1, 2, 3, 4].map((i) => limiter.acquire().then(() => order.push(i))));
    assert.deepEqual(order, [0, 1, 2, 3, 4]);
    assert.ok(clock.now() >= 2000);
  });

  it('refuses a rule that could never grant', () => {
    assert.throws(() => new RateLimiter([{ limit: 0, windowMs: 1000 }]), /limit ≥ 1/);
  });
});
