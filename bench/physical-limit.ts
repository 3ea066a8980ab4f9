/**
 * The physical limit of a run (issue 12): the least time the APIs' documented rate limits
 * allow for the requests the work needs, whatever the software. A run's wall time divided by
 * it says how much of the time is ours (≤ 1.1 is the target).
 *
 * Needed requests are the minimum for the work: one Personio read per page (the token aside:
 * auth has a budget of its own; on v2, one walk of the person listing and one read per
 * employment not already held, the name lookups aside), and on JumpCloud the writes the run made plus one listing of
 * the users JumpCloud already held (100 a page; at least one request, to know it is empty).
 */
import { PERSONIO_DOCUMENTED_RULES, type RateRule } from '../clients/rate-limiter.js';

export interface NeededRequests {
  personioPages: number;
  jumpcloudWrites: number;
  jumpcloudUsersAtStart: number;
  /**
   * Reading through Personio v2 (PERSONIO_API_VERSION=v2) instead of v1's pages: one walk of
   * the person listing, and each person's employment unless the worker already holds the
   * record unchanged (clients/personio-v2.ts).
   */
  personioV2?: { persons: number; employmentReads: number };
}

/** Personio v2's buckets as observed: 100 per endpoint, refilled at 30 a second. */
export const PERSONIO_V2_BUCKET = { replenishRate: 30, burstCapacity: 100 } as const;

/** v2 lists persons 50 to a request. */
const PERSONIO_V2_LIST_LIMIT = 50;

/** The least seconds n requests take from one token bucket, full at the start. */
export function secondsUnderBucket(
  n: number,
  bucket: { replenishRate: number; burstCapacity: number } = PERSONIO_V2_BUCKET,
): number {
  return Math.max(0, (n - bucket.burstCapacity) / bucket.replenishRate);
}

export interface PhysicalLimit {
  personioSeconds: number;
  jumpcloudSeconds: number;
  /** The larger of the two: the APIs are used at once, so the slower one sets the floor. */
  seconds: number;
  needed: { personio: number; jumpcloud: number };
}

/** JumpCloud lists users 100 to a page. */
const JUMPCLOUD_LIST_LIMIT = 100;

/**
 * The least seconds n requests take under sliding-window rules (each: at most `limit` within
 * any `windowMs`), the first sent at 0: request i (0-based) waits for every rule's window to
 * free, i.e. until request i − limit is windowMs old. Exact for the greedy schedule.
 */
export function secondsUnderRules(n: number, rules: readonly RateRule[]): number {
  if (n <= 1 || rules.length === 0) return 0;
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    let t = i === 0 ? 0 : times[i - 1]!;
    for (const rule of rules) if (i >= rule.limit) t = Math.max(t, times[i - rule.limit]! + rule.windowMs);
    times.push(t);
  }
  return times[n - 1]! / 1000;
}

export function physicalLimit(
  needed: NeededRequests,
  jumpcloudPerSecond: number | null,
  personioRules: readonly RateRule[] = PERSONIO_DOCUMENTED_RULES,
): PhysicalLimit {
  const v2 = needed.personioV2;
  const listing = v2 ? Math.max(1, Math.ceil(v2.persons / PERSONIO_V2_LIST_LIMIT)) : 0;
  const personio = v2 ? listing + v2.employmentReads : needed.personioPages;
  const jumpcloud =
    needed.jumpcloudWrites + Math.max(1, Math.ceil(needed.jumpcloudUsersAtStart / JUMPCLOUD_LIST_LIMIT));
  // v2: the listing and the employments are two endpoints, two buckets, read at once.
  const personioSeconds = v2
    ? Math.max(secondsUnderBucket(listing), secondsUnderBucket(v2.employmentReads))
    : secondsUnderRules(personio, personioRules);
  const jumpcloudSeconds = jumpcloudPerSecond ? jumpcloud / jumpcloudPerSecond : 0;
  return {
    personioSeconds,
    jumpcloudSeconds,
    seconds: Math.max(personioSeconds, jumpcloudSeconds),
    needed: { personio, jumpcloud },
  };
}
