/** The benchmark's workloads (issue 8) and the knobs every part of a run shares. */
import type { FaultSettings } from '../sandbox/faults.js';

export type WorkloadName = 'A' | 'B' | 'C' | 'D' | 'E';

export interface Workload {
  name: WorkloadName;
  description: string;
  employees: number;
  /** Faults of both sandboxes (latency) and of JumpCloud only (rate limit). */
  latencyMs: number;
  jitterMs: number;
  jumpcloudRateLimit: number;
  /** Employees the naive baseline stages (whole pages; the scan still reads everything). */
  naiveSample: number;
  /** The worker's JUMPCLOUD_REQUESTS_PER_SECOND for this workload (null: none). */
  jumpcloudRequestsPerSecond: number | null;
  /** Knobs this workload runs with unless given on the command line (else the product defaults). */
  tuning?: Partial<Tuning>;
  /** Each Temporal run within this multiple of its physical limit (bench/physical-limit.ts). */
  physicalLimitTarget?: number;
}

export const WORKLOADS: Record<WorkloadName, Workload> = {
  A: {
    name: 'A',
    description: '10,000 employees, 50 ± 20 ms per request (both APIs), no rate limit',
    employees: 10_000,
    latencyMs: 50,
    jitterMs: 20,
    jumpcloudRateLimit: 0,
    naiveSample: 200,
    jumpcloudRequestsPerSecond: null,
    // 50 ms per request: throughput is requests in flight ÷ latency, so in flight is the knob.
    tuning: { jumpcloudConcurrency: 16 },
  },
  B: {
    name: 'B',
    description: '10,000 employees, no latency, JumpCloud limited to 50 requests/s (Retry-After)',
    employees: 10_000,
    latencyMs: 0,
    jitterMs: 0,
    jumpcloudRateLimit: 50,
    naiveSample: 200,
    // The fix for B: the worker paces itself at exactly what the API allows.
    jumpcloudRequestsPerSecond: 50,
  },
  C: {
    name: 'C',
    description: '100,000 employees, no latency, no rate limit (scale)',
    employees: 100_000,
    latencyMs: 0,
    jitterMs: 0,
    jumpcloudRateLimit: 0,
    naiveSample: 2_000,
    jumpcloudRequestsPerSecond: null,
  },
  E: {
    name: 'E',
    description:
      "20,000 employees under both APIs' limits: Personio as documented (300/min, bursts of 15/s), JumpCloud 50 requests/s (Retry-After), 50 ± 20 ms per request",
    employees: 20_000,
    latencyMs: 50,
    jitterMs: 20,
    jumpcloudRateLimit: 50,
    naiveSample: 200,
    // Paced at exactly what JumpCloud allows; Personio's documented limit is the worker's default.
    jumpcloudRequestsPerSecond: 50,
    // 50 ms per request: 50 a second needs at least 3 in flight; more absorbs the jitter.
    tuning: { jumpcloudConcurrency: 16 },
    physicalLimitTarget: 1.1,
  },
  D: {
    name: 'D',
    description: '1,000 employees, no latency, no rate limit (quick; CI checks its events)',
    employees: 1_000,
    latencyMs: 0,
    jitterMs: 0,
    jumpcloudRateLimit: 0,
    naiveSample: 1_000,
    jumpcloudRequestsPerSecond: null,
  },
};

/** The worker's and the import's knobs; the direct baseline uses the same ones. */
export interface Tuning {
  /** WORKER_MAX_CONCURRENT_ACTIVITIES */
  activities: number;
  /** JUMPCLOUD_MAX_CONCURRENCY */
  jumpcloudConcurrency: number;
  /** JUMPCLOUD_REQUESTS_PER_SECOND */
  jumpcloudRequestsPerSecond: number | null;
  /** PERSONIO_MAX_CONCURRENCY */
  personioConcurrency: number;
  /** input.pagesInFlight */
  pagesInFlight: number;
  /** input.pageSize */
  pageSize: number;
}

export function faultsOf(workload: Workload, system: 'personio' | 'jumpcloud'): Partial<FaultSettings> {
  return {
    latencyMs: workload.latencyMs,
    jitterMs: workload.jitterMs,
    ...(system === 'jumpcloud' && workload.jumpcloudRateLimit > 0
      ? { rateLimit: workload.jumpcloudRateLimit, retryAfter: true }
      : {}),
  };
}
