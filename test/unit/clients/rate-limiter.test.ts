import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PERSONIO_DOCUMENTED_RULES, perSecondRules, RateLimiter } from '../../../clients/rate-limiter.js';

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

/** Virtual time for several callers at once: sleepers wake in order of their wake-up time. */
function virtualClock() {
  let now = 0;
  const timers: { at: number; wake: () => void }[] = [];
  return {
    now: () => now,
    sleep: (ms: number) => new Promise<void>((wake) => timers.push({ at: now + Math.max(0, ms), wake })),
    /** Advances time from timer to timer until `done` settles (bounded: a stuck limiter fails). */
    async runUntil(done: Promise<unknown>) {
      let finished = false;
      void done.then(() => (finished = true));
      for (let step = 0; step < 100_000 && !finished; step++) {
        await new Promise((resolve) => setImmediate(resolve));
        if (finished || timers.length === 0) continue;
        timers.sort((a, b) => a.at - b.at);
        const next = timers.shift()!;
        now = Math.max(now, next.at);
        next.wake();
      }
      assert.ok(finished, 'the callers finished');
    },
  };
}

async function grantTimes(limiter: RateLimiter, clock: { now(): number }, n: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    (await limiter.acquire()).answered();
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
    // And no slower than the limit allows: answered at once, 700 requests need exactly two
    // minutes and 20 seconds of windows (300, 300, then 100 at 15 a second).
    assert.equal(times[699], 2 * 60_000 + 6_000);
  });

  it('makes everybody wait after a 429, for the time asked', async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter([{ limit: 100, windowMs: 1000 }], clock.now, clock.sleep);
    (await limiter.acquire()).answered();
    limiter.pause(5000);
    const { waitedMs: waited } = await limiter.acquire();
    assert.ok(clock.now() >= 5000, 'no grant before the pause ends');
    assert.ok(waited >= 5000);
    assert.deepEqual(limiter.stats().pauses, 1);
  });

  it('follows x-ratelimit headers: with few tokens left, one request per replenished token', async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter([], clock.now, clock.sleep);
    limiter.observe({ 'x-ratelimit-remaining': '30', 'x-ratelimit-replenish-rate': '2' });
    assert.equal((await limiter.acquire()).waitedMs, 0, 'plenty of tokens left: no wait');
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
    await Promise.all(
      [0, 1, 2, 3, 4].map((i) =>
        limiter.acquire().then((grant) => {
          grant.answered();
          order.push(i);
        }),
      ),
    );
    assert.deepEqual(order, [0, 1, 2, 3, 4]);
    assert.ok(clock.now() >= 2000);
  });

  it('counts a request from its answer: one in flight holds its place in every window', async () => {
    const clock = virtualClock();
    const limiter = new RateLimiter([{ limit: 2, windowMs: 1000 }], clock.now, clock.sleep);
    const first = await limiter.acquire();
    const second = await limiter.acquire();
    let third: number | undefined;
    const waiting = limiter.acquire().then(() => (third = clock.now()));
    const answers = clock.sleep(300).then(() => {
      assert.equal(third, undefined, 'two in flight: the third waits for an answer');
      first.answered(); // answered at 300 ms: it leaves the window at 1,300 ms
      second.answered();
    });
    await clock.runUntil(Promise.all([waiting, answers]));
    assert.equal(third, 1300, 'the third goes a window after the first answer');
  });

  it('never lets the server count more than the limit in any window, whatever the latency', async () => {
    // Eight callers send through one limiter; each request takes 30–90 ms and the server counts
    // it at a random moment of that time (it may queue it before or after counting).
    const clock = virtualClock();
    const limiter = new RateLimiter([{ limit: 15, windowMs: 1000 }], clock.now, clock.sleep);
    const counted: number[] = [];
    let seed = 7;
    const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    const callers = Array.from({ length: 8 }, async () => {
      for (let i = 0; i < 40; i++) {
        const grant = await limiter.acquire();
        const latency = 30 + 60 * random();
        counted.push(clock.now() + latency * random());
        await clock.sleep(latency);
        grant.answered();
      }
    });
    await clock.runUntil(Promise.all(callers));
    counted.sort((a, b) => a - b);
    assert.equal(counted.length, 320);
    assert.ok(
      mostInAnyWindow(counted, 1000) <= 15,
      `${mostInAnyWindow(counted, 1000)} counted in one second`,
    );
    // And it costs at most a round trip per window: 320 requests in 21 windows of ≤ 1.09 s.
    assert.ok(clock.now() < 21 * 1090 + 100, `took ${clock.now()} ms of virtual time`);
  });

  it('keeps a steady rate at its full speed: 50 in any second, counted from the send', async () => {
    const clock = virtualClock();
    const limiter = new RateLimiter(perSecondRules(50), clock.now, clock.sleep);
    const sent: number[] = [];
    // Sixteen callers, each request taking 50 ms: the round trip must not slow the rate.
    const callers = Array.from({ length: 16 }, async () => {
      for (let i = 0; i < 60; i++) {
        const grant = await limiter.acquire();
        sent.push(clock.now());
        await clock.sleep(50);
        grant.answered();
      }
    });
    await clock.runUntil(Promise.all(callers));
    sent.sort((a, b) => a - b);
    assert.ok(mostInAnyWindow(sent, 1000) <= 50, 'at most 50 in any second');
    // 960 requests at 50 a second: the last of them 19 s after the first, not a round trip
    // more per window.
    assert.ok(sent[959]! <= 19_050, `the last went at ${sent[959]} ms`);
  });

  it('builds per-second rules counted from the send, or from the answer for a documented limit', () => {
    assert.deepEqual(perSecondRules(50), [{ limit: 50, windowMs: 1000, countFrom: 'send' }]);
    assert.deepEqual(perSecondRules(0.5, { countFrom: 'answer' }), [
      { limit: 1, windowMs: 2000, countFrom: 'answer' },
    ]);
    assert.deepEqual(perSecondRules(15.7, { countFrom: 'answer' }), [
      { limit: 15, windowMs: 1000, countFrom: 'answer' },
    ]);
    for (const none of [null, undefined, 0, -1]) assert.deepEqual(perSecondRules(none), []);
  });

  it('reserves in the shared budget with room for a documented count only, a steady rate as it is', async () => {
    const asked: { limit: number; windowMs: number }[][] = [];
    const limiter = new RateLimiter([
      ...perSecondRules(15, { countFrom: 'answer' }),
      { limit: 300, windowMs: 60_000 }, // counted from the answer by default
      ...perSecondRules(30),
    ]);
    limiter.share({
      reserve: async (rules) => {
        asked.push([...rules]);
        return Date.now(); // send at once
      },
    });
    await limiter.reserveShared();
    assert.deepEqual(asked, [
      [
        { limit: 15, windowMs: 1000 * 1.05 + 50 },
        { limit: 300, windowMs: 60_000 * 1.05 + 50 },
        { limit: 30, windowMs: 1000 },
      ],
    ]);
  });

  it('refuses a rule that could never grant', () => {
    assert.throws(() => new RateLimiter([{ limit: 0, windowMs: 1000 }]), /limit ≥ 1/);
  });
});
