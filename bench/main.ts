/**
 * `npm run bench -- --workload A|B|C|D|E|all [--json FILE]`: the import's performance, measured
 * in one run on the same data against three ways of doing the same work:
 *
 *   temporal  the import through Temporal: dev server, `worker/main.ts` as a child process;
 *   rerun     the same import again at once, nothing changed (should write nothing);
 *   direct    the same clients, limits and concurrency from a plain loop (bench/baseline.ts);
 *   naive     the same work one request at a time (a sample of pages, extrapolated).
 *
 * Everything runs on loopback: a Temporal dev server, each sandbox in a process of its own.
 * Before each part the sandboxes are reset to the same seeded company and an empty
 * JumpCloud (the re-run keeps the first run's directory). Knobs (the same for every part):
 *
 *   --employees N  --naive-employees N  --activities N  --jumpcloud-concurrency N
 *   --personio-concurrency N  --jumpcloud-rps N (0 = none)  --pages-in-flight N  --page-size N
 *   --parts naive,direct,temporal,rerun  --sqlite memory|file  --seed N
 *   --personio-api v1|v2   (v2: the worker reads Personio's v2 API, paced at its 30/s buckets)
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { dataConverterFor } from '../codec/data-converter.js';
import { parseKeyRing } from '../codec/keys.js';
import { parseImportInput, type ImportInput, type ImportInputOptions } from '../domain/import-input.js';
import { emptyOutcomeCounts, type OutcomeCounts } from '../domain/outcomes.js';
import { startDevServer } from '../local-temporal/dev-server.js';
import { createLogger } from '../observability/logger.js';
import { SANDBOX_JUMPCLOUD_API_KEY } from '../sandbox/jumpcloud/server.js';
import { SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET } from '../sandbox/personio/server.js';
import type { StatsSnapshot } from '../sandbox/stats.js';
import { createImportDeps } from '../worker/import-deps.js';
import { SNAPSHOT_TTL_MS } from '../clients/personio-v2.js';
import { progressQuery, type ImportReport } from '../workflows/import-api.js';
import { runBaseline, type BaselineResult } from './baseline.js';
import { historyStats, type HistoryStats } from './history.js';
import { startSandbox, startWorker, type SandboxProcess } from './processes.js';
import { physicalLimit, type PhysicalLimit } from './physical-limit.js';
import { faultsOf, WORKLOADS, type Tuning, type Workload, type WorkloadName } from './workloads.js';

const PARTS = ['naive', 'direct', 'temporal', 'rerun'] as const;
type Part = (typeof PARTS)[number];

// A mistyped option gets one line naming it, not a stack trace.
const { values: args } = (() => {
  try {
    return parseArgs({
      options: {
        workload: { type: 'string', default: 'D' },
        json: { type: 'string' },
        employees: { type: 'string' },
        'naive-employees': { type: 'string' },
        activities: { type: 'string' },
        'jumpcloud-concurrency': { type: 'string' },
        'personio-concurrency': { type: 'string' },
        'jumpcloud-rps': { type: 'string' },
        'pages-in-flight': { type: 'string' },
        'page-size': { type: 'string' },
        parts: { type: 'string', default: PARTS.join(',') },
        sqlite: { type: 'string', default: 'file' },
        seed: { type: 'string', default: '42' },
        'personio-api': { type: 'string', default: 'v1' },
      },
    });
  } catch (err) {
    console.error(
      `npm run bench: ${(err as Error).message}. The options are listed at the top of bench/main.ts.`,
    );
    process.exit(2);
  }
})();
if (args['personio-api'] !== 'v1' && args['personio-api'] !== 'v2') {
  console.error(`--personio-api must be v1 or v2; got "${args['personio-api']}"`);
  process.exit(2);
}
const personioV2 = args['personio-api'] === 'v2';

function whole(name: string, raw: string | undefined, min = 0): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) {
    console.error(`--${name} must be a whole number ≥ ${min}; got "${raw}"`);
    process.exit(2);
  }
  return n;
}

const names: WorkloadName[] =
  args.workload.toLowerCase() === 'all'
    ? ['D', 'A', 'B', 'C']
    : args.workload
        .toUpperCase()
        .split(',')
        .map((w) => {
          if (!(w in WORKLOADS)) {
            console.error(`--workload must be A, B, C, D, E or all; got "${w}"`);
            process.exit(2);
          }
          return w as WorkloadName;
        });
const parts = new Set(
  args.parts.split(',').map((p) => {
    if (!(PARTS as readonly string[]).includes(p)) {
      console.error(`--parts takes ${PARTS.join(',')}; got "${p}"`);
      process.exit(2);
    }
    return p as Part;
  }),
);
if (parts.has('rerun')) parts.add('temporal');

interface PartResult {
  part: Part;
  employees: number;
  /** Wall time of the whole import (naive: extrapolated from its sample). */
  wallMs: number;
  employeesPerSecond: number;
  /** Naive only: the employees actually staged, and the measured wall time. */
  sample?: { employees: number; wallMs: number };
  counts: OutcomeCounts;
  requests: {
    jumpcloud: number;
    personio: number;
    byKind: Record<string, number>;
    status429: number;
    /** JumpCloud requests answered other than 429, per second of wall time. */
    jumpcloudPerSecond: number;
  };
  writes: Record<string, number>;
  writesTotal: number;
  history?: HistoryStats & { eventsPerEmployee: number };
  /** The least time the APIs' limits allow this run's needed requests, and wall ÷ that. */
  physical?: PhysicalLimit & { ratio: number };
  /** Personio's 429 answers (each cost a wait and a resend). */
  personio429?: number;
  /** Personio requests other than the token (the page reads, and anything read again). */
  personioDataRequests?: number;
  workerPeakRssMiB?: number;
  phasesMs?: BaselineResult['phases'];
  retries?: number;
}

interface WorkloadResult {
  workload: WorkloadName;
  description: string;
  employees: number;
  latency: string;
  rateLimit: string;
  /** Which Personio API the worker read (--personio-api). */
  personioApi: 'v1' | 'v2';
  tuning: Tuning;
  parts: Partial<Record<Part, PartResult>>;
  ratios: { vsDirect: number | null; vsNaive: number | null; rerunVsFirst: number | null };
  targets: { target: string; value: string; met: boolean }[];
}

const logger = createLogger({ name: 'bench', level: 'warn', pretty: false });
const say = (m: string) => console.log(`▸ ${m}`);
const secs = (ms: number) => (ms / 1000).toFixed(1);

function summarize(jc: StatsSnapshot, personio: StatsSnapshot, wallMs: number) {
  const byKind: Record<string, number> = {};
  let status429 = 0;
  let jumpcloudOk = 0;
  for (const [system, snapshot] of [
    ['JC', jc],
    ['P', personio],
  ] as const) {
    for (const [route, statuses] of Object.entries(snapshot.requests)) {
      for (const [status, n] of Object.entries(statuses)) {
        byKind[`${system} ${route}`] = (byKind[`${system} ${route}`] ?? 0) + n;
        if (status === '429') status429 += n;
        else if (system === 'JC') jumpcloudOk += n;
      }
    }
  }
  const writes = { ...jc.writes };
  return {
    requests: {
      jumpcloud: jc.totalRequests,
      personio: personio.totalRequests,
      byKind,
      status429,
      jumpcloudPerSecond: jumpcloudOk / (wallMs / 1000),
    },
    writes,
    writesTotal: Object.values(writes).reduce((a, b) => a + b, 0),
  };
}

async function runWorkload(workload: Workload): Promise<WorkloadResult> {
  const employees = whole('employees', args.employees, 1) ?? workload.employees;
  const rps = whole('jumpcloud-rps', args['jumpcloud-rps'], 0);
  // Command line, else the workload's own setting, else the product's default.
  const knob = (flag: string, key: keyof Tuning, productDefault: number): number =>
    whole(flag, args[flag as keyof typeof args], 1) ??
    (workload.tuning?.[key] as number | undefined) ??
    productDefault;
  const tuning: Tuning = {
    activities: knob('activities', 'activities', 16),
    jumpcloudConcurrency: knob('jumpcloud-concurrency', 'jumpcloudConcurrency', 4),
    personioConcurrency: knob('personio-concurrency', 'personioConcurrency', 4),
    jumpcloudRequestsPerSecond: rps === undefined ? workload.jumpcloudRequestsPerSecond : rps || null,
    pagesInFlight: knob('pages-in-flight', 'pagesInFlight', 4),
    pageSize: knob('page-size', 'pageSize', 100),
  };
  const naiveSample = Math.min(
    employees,
    whole('naive-employees', args['naive-employees'], 1) ?? workload.naiveSample,
  );
  const seed = whole('seed', args.seed)!;
  const inputOptions: ImportInputOptions = {
    pageSize: tuning.pageSize,
    pagesInFlight: tuning.pagesInFlight,
    notify: { when: 'never' },
  };
  const parsed = parseImportInput(inputOptions);
  if (!parsed.ok) throw new Error(parsed.problems.map((p) => p.message).join('; '));
  const input = parsed.input;

  say(
    `workload ${workload.name}: ${workload.description}${employees !== workload.employees ? ` (run with ${employees})` : ''}`,
  );
  say(`tuning: ${JSON.stringify(tuning)}`);
  if (personioV2)
    say(
      'Personio: the v2 API (persons 50 a request, one employment read per person; buckets of 100 at 30/s)',
    );
  const started = performance.now();
  const [personio, jumpcloud] = await Promise.all([
    startSandbox({
      system: 'personio',
      employees,
      seed,
      dirty: true,
      faults: faultsOf(workload, 'personio'),
    }),
    startSandbox({
      system: 'jumpcloud',
      employees,
      seed,
      dirty: true,
      faults: faultsOf(workload, 'jumpcloud'),
    }),
  ]);
  say(`sandboxes up in ${secs(performance.now() - started)} s: ${personio.url} ${jumpcloud.url}`);
  const result: WorkloadResult = {
    workload: workload.name,
    description: workload.description,
    employees,
    latency: workload.latencyMs ? `${workload.latencyMs} ± ${workload.jitterMs} ms` : '0',
    rateLimit: workload.jumpcloudRateLimit ? `JumpCloud ${workload.jumpcloudRateLimit}/s` : 'none',
    personioApi: personioV2 ? 'v2' : 'v1',
    tuning,
    parts: {},
    ratios: { vsDirect: null, vsNaive: null, rerunVsFirst: null },
    targets: [],
  };
  const fresh = () => Promise.all([personio.reset(), jumpcloud.reset()]);
  const snapshot = () => Promise.all([jumpcloud.stats(), personio.stats()]);
  const api = {
    personio: {
      baseUrl: personio.url,
      clientId: SANDBOX_CLIENT_ID,
      clientSecret: SANDBOX_CLIENT_SECRET,
      appId: 'PERSONIO_JUMPCLOUD_SYNC_BENCH',
    },
    jumpcloud: { baseUrl: jumpcloud.url, apiKey: SANDBOX_JUMPCLOUD_API_KEY, orgId: undefined },
  };

  try {
    for (const part of ['naive', 'direct'] as const) {
      if (!parts.has(part)) continue;
      await fresh();
      const naive = part === 'naive';
      say(`${part}: ${naive ? `one request at a time, ${naiveSample} employees staged` : 'plain loop'}…`);
      const deps = createImportDeps(
        api,
        {
          maxConcurrentActivities: naive ? 1 : tuning.activities,
          jumpcloudMaxConcurrency: naive ? 1 : tuning.jumpcloudConcurrency,
          jumpcloudRequestsPerSecond: tuning.jumpcloudRequestsPerSecond,
          personioMaxConcurrency: naive ? 1 : tuning.personioConcurrency,
          personioRequestsPerSecond: 15, // Personio's documented burst (and 300/min by default)
        },
        { from: 'bench@example.test', defaultRecipients: [] },
      );
      const run = await runBaseline({
        deps,
        input,
        activitySlots: naive ? 1 : tuning.activities,
        pagesInFlight: naive ? 1 : tuning.pagesInFlight,
        sampleEmployees: naive ? naiveSample : undefined,
      });
      const [jc, p] = await snapshot();
      // The naive run staged a sample: per-page phases scale with the pages, the rest is whole.
      const perPage = run.phases.staging + run.phases.managers;
      const wallMs =
        run.pagesStaged < run.pagesTotal
          ? run.wallMs - perPage + (perPage * run.pagesTotal) / run.pagesStaged
          : run.wallMs;
      result.parts[part] = {
        part,
        employees: run.employeesTotal,
        wallMs,
        employeesPerSecond: run.employeesTotal / (wallMs / 1000),
        ...(run.pagesStaged < run.pagesTotal
          ? { sample: { employees: run.employeesStaged, wallMs: run.wallMs } }
          : {}),
        counts: run.counts,
        ...summarize(jc, p, run.wallMs),
        phasesMs: run.phases,
        retries: run.retries,
      };
      say(`${part}: ${secs(wallMs)} s${naive && run.pagesStaged < run.pagesTotal ? ' (extrapolated)' : ''}`);
    }

    if (parts.has('temporal'))
      await runTemporal(result, input, { personio, jumpcloud, fresh, snapshot, api, tuning });
  } finally {
    await Promise.all([personio.stop(), jumpcloud.stop()]);
  }

  const { temporal, rerun, direct, naive } = result.parts;
  result.ratios = {
    vsDirect: temporal && direct ? temporal.employeesPerSecond / direct.employeesPerSecond : null,
    vsNaive: temporal && naive ? temporal.employeesPerSecond / naive.employeesPerSecond : null,
    rerunVsFirst: temporal && rerun ? rerun.wallMs / temporal.wallMs : null,
  };
  result.targets = targetsOf(workload, result);
  return result;
}

async function runTemporal(
  result: WorkloadResult,
  input: ImportInput,
  ctx: {
    personio: SandboxProcess;
    jumpcloud: SandboxProcess;
    fresh: () => Promise<unknown>;
    snapshot: () => Promise<[StatsSnapshot, StatsSnapshot]>;
    api: { personio: { baseUrl: string }; jumpcloud: { baseUrl: string } };
    tuning: Tuning;
  },
) {
  const { tuning } = ctx;
  const dataDir = mkdtempSync(join(tmpdir(), 'pjs-bench-'));
  const server = await startDevServer({
    headless: true,
    fastSqlite: true,
    ...(args.sqlite === 'file' ? { dbFilename: join(dataDir, 'temporal.db') } : {}),
  });
  const connection = await Connection.connect({ address: server.address });
  // As in production: payloads encrypted (a fresh key per run), so the codec's cost is measured.
  const payloadKeys = `bench:${randomBytes(32).toString('base64')}`;
  const client = new Client({
    connection,
    dataConverter: dataConverterFor(parseKeyRing(payloadKeys, 'PAYLOAD_KEYS')),
  });
  const taskQueue = `bench-${result.workload}-${process.pid}`;
  const worker = await startWorker({
    TEMPORAL_ADDRESS: server.address,
    TEMPORAL_NAMESPACE: 'default',
    TEMPORAL_TASK_QUEUE: taskQueue,
    PAYLOAD_KEYS: payloadKeys,
    PERSONIO_BASE_URL: ctx.api.personio.baseUrl,
    PERSONIO_CLIENT_ID: SANDBOX_CLIENT_ID,
    PERSONIO_CLIENT_SECRET: SANDBOX_CLIENT_SECRET,
    PERSONIO_APP_ID: 'PERSONIO_JUMPCLOUD_SYNC_BENCH',
    JUMPCLOUD_BASE_URL: ctx.api.jumpcloud.baseUrl,
    JUMPCLOUD_API_KEY: SANDBOX_JUMPCLOUD_API_KEY,
    WORKER_MAX_CONCURRENT_ACTIVITIES: String(tuning.activities),
    JUMPCLOUD_MAX_CONCURRENCY: String(tuning.jumpcloudConcurrency),
    PERSONIO_MAX_CONCURRENCY: String(tuning.personioConcurrency),
    JUMPCLOUD_REQUESTS_PER_SECOND: tuning.jumpcloudRequestsPerSecond
      ? String(tuning.jumpcloudRequestsPerSecond)
      : '',
    // v2's buckets refill at 30 a second (README: the import on v2).
    ...(personioV2 ? { PERSONIO_API_VERSION: 'v2', PERSONIO_REQUESTS_PER_SECOND: '30' } : {}),
  });
  say(`temporal: dev server ${server.address} (${args.sqlite} SQLite), worker pid ${worker.pid}`);
  try {
    await ctx.fresh();
    const base = `bench-${result.workload}-${Date.now()}`;
    for (const part of ['temporal', 'rerun'] as const) {
      if (!parts.has(part)) continue;
      if (part === 'rerun') {
        await ctx.jumpcloud.clearStats();
        await ctx.personio.clearStats();
      }
      const workflowId = `${base}-${part}`;
      say(`${part}: import ${workflowId}…`);
      const t0 = performance.now();
      const handle = await client.workflow.start<(i: unknown) => Promise<ImportReport>>('importEmployees', {
        taskQueue,
        workflowId,
        args: [input],
      });
      const timeline = samplePhases(handle, ctx.jumpcloud);
      const report = await handle.result().finally(() => timeline.stop());
      const wallMs = performance.now() - t0;
      const [jc, p] = await ctx.snapshot();
      const history = await historyStats(client, workflowId);
      const summary = summarize(jc, p, wallMs);
      const limit = physicalLimit(
        {
          personioPages: Math.max(1, Math.ceil(report.employeesTotal / input.pageSize)),
          jumpcloudWrites: summary.writesTotal,
          // The first run starts on an empty directory; the re-run on what the first created.
          jumpcloudUsersAtStart: part === 'rerun' ? (result.parts.temporal?.counts.created ?? 0) : 0,
          ...(personioV2
            ? {
                personioV2: {
                  persons: report.employeesTotal,
                  // A re-run within the worker's record lifetime reads no employment again.
                  employmentReads:
                    part === 'rerun' && (result.parts.temporal?.wallMs ?? Infinity) < SNAPSHOT_TTL_MS
                      ? 0
                      : report.employeesTotal,
                },
              }
            : {}),
        },
        ctx.tuning.jumpcloudRequestsPerSecond,
      );
      const personioRoutes = Object.entries(p.requests).filter(([route]) => route.startsWith('GET '));
      result.parts[part] = {
        part,
        employees: report.employeesTotal,
        wallMs,
        employeesPerSecond: report.employeesTotal / (wallMs / 1000),
        counts: report.counts ?? emptyOutcomeCounts(),
        ...summary,
        history: { ...history, eventsPerEmployee: history.totalEvents / report.employeesTotal },
        physical: { ...limit, ratio: limit.seconds > 0 ? wallMs / 1000 / limit.seconds : Infinity },
        personio429: Object.values(p.requests).reduce((n, statuses) => n + (statuses['429'] ?? 0), 0),
        personioDataRequests: personioRoutes.reduce(
          (n, [, statuses]) => n + Object.values(statuses).reduce((a, b) => a + b, 0),
          0,
        ),
      };
      say(`${part}: ${secs(wallMs)} s, ${history.totalEvents} events in ${history.workflows} workflows`);
      say(`${part}: by phase (seconds, JumpCloud requests/s): ${timeline.summary()}`);
      say(
        `${part}: physical limit ${limit.seconds.toFixed(1)} s (Personio ${limit.needed.personio} reads: ${limit.personioSeconds.toFixed(1)} s; JumpCloud ${limit.needed.jumpcloud} requests: ${limit.jumpcloudSeconds.toFixed(1)} s) → ${(wallMs / 1000 / limit.seconds).toFixed(2)}× it`,
      );
    }
    const rss = worker.peakRssBytes() / 2 ** 20;
    for (const part of ['temporal', 'rerun'] as const) {
      const r = result.parts[part];
      if (r) r.workerPeakRssMiB = rss;
    }
  } finally {
    await worker.stop();
    await connection.close();
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * Where the time of a run goes: once a second, the import's phase (its progress query) and
 * the JumpCloud requests sent since, so idle stretches of the slower API show by phase.
 */
function samplePhases(
  handle: { query: (q: typeof progressQuery) => Promise<{ phase: string }> },
  jumpcloud: SandboxProcess,
) {
  const seconds = new Map<string, { seconds: number; requests: number }>();
  let last = { at: performance.now(), requests: 0, phase: 'starting' };
  let stopped = false;
  const tick = async () => {
    const [phase, stats] = await Promise.all([
      handle.query(progressQuery).then(
        (p) => p.phase,
        () => last.phase,
      ),
      jumpcloud.stats(),
    ]);
    const at = performance.now();
    const entry = seconds.get(last.phase) ?? { seconds: 0, requests: 0 };
    entry.seconds += (at - last.at) / 1000;
    entry.requests += Math.max(0, stats.totalRequests - last.requests);
    seconds.set(last.phase, entry);
    last = { at, requests: stats.totalRequests, phase };
  };
  // Bounded: it stops with the run.
  const loop = (async () => {
    while (!stopped) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      if (!stopped) await tick().catch(() => undefined);
    }
  })();
  return {
    stop: () => {
      stopped = true;
      return loop;
    },
    summary: () =>
      [...seconds]
        .map(
          ([phase, { seconds: s, requests }]) =>
            `${phase} ${s.toFixed(1)} s @ ${(requests / s).toFixed(0)}/s`,
        )
        .join(', '),
  };
}

function targetsOf(workload: Workload, r: WorkloadResult): WorkloadResult['targets'] {
  const t: WorkloadResult['targets'] = [];
  const { temporal, rerun } = r.parts;
  const fmt = (n: number, d = 2) => n.toFixed(d);
  if (workload.name === 'A') {
    if (r.ratios.vsDirect !== null)
      t.push({ target: 'A: ≥ 0.8 × direct', value: fmt(r.ratios.vsDirect), met: r.ratios.vsDirect >= 0.8 });
    if (r.ratios.vsNaive !== null)
      t.push({ target: 'A: ≥ 10 × naive', value: fmt(r.ratios.vsNaive, 1), met: r.ratios.vsNaive >= 10 });
  }
  if (workload.name === 'B' && temporal) {
    const allowed = workload.jumpcloudRateLimit;
    t.push({
      target: `B: JumpCloud rate ≥ 0.9 × ${allowed}/s`,
      value: `${fmt(temporal.requests.jumpcloudPerSecond, 1)}/s`,
      met: temporal.requests.jumpcloudPerSecond >= 0.9 * allowed,
    });
    const share = temporal.requests.status429 / (temporal.requests.jumpcloud + temporal.requests.personio);
    t.push({ target: 'B: 429s < 2 % of requests', value: `${fmt(share * 100)} %`, met: share < 0.02 });
  }
  if (temporal?.history) {
    if (workload.name === 'C' || workload.name === 'D') {
      t.push({
        target: `${workload.name}: events/employee ≤ 8`,
        value: fmt(temporal.history.eventsPerEmployee),
        met: temporal.history.eventsPerEmployee <= 8,
      });
    }
    t.push({
      target: `${workload.name}: largest history ≤ 10,240`,
      value: String(temporal.history.largestHistory),
      met: temporal.history.largestHistory <= 10_240,
    });
    if (workload.name === 'C' && temporal.workerPeakRssMiB !== undefined) {
      t.push({
        target: 'C: worker RSS ≤ 1 GiB',
        value: `${fmt(temporal.workerPeakRssMiB, 0)} MiB`,
        met: temporal.workerPeakRssMiB <= 1024,
      });
    }
  }
  if (workload.physicalLimitTarget !== undefined) {
    const most = workload.physicalLimitTarget;
    for (const part of [temporal, rerun]) {
      if (!part?.physical) continue;
      const name = part.part === 'rerun' ? 're-run' : 'first run';
      t.push({
        target: `${workload.name}: ${name} ≤ ${most} × its physical limit`,
        value: `${fmt(part.physical.ratio)} (${secs(part.wallMs)} s ÷ ${fmt(part.physical.seconds, 1)} s)`,
        met: part.physical.ratio <= most,
      });
      if (!personioV2)
        t.push({
          target: `${workload.name}: ${name} reads each Personio page once`,
          value: `${part.personioDataRequests} requests for ${part.physical.needed.personio} pages`,
          met: part.personioDataRequests === part.physical.needed.personio,
        });
      t.push({
        target: `${workload.name}: ${name} Personio 429s = 0`,
        value: String(part.personio429),
        met: part.personio429 === 0,
      });
    }
  }
  if (rerun) {
    t.push({
      target: `${workload.name}: re-run writes = 0`,
      value: String(rerun.writesTotal),
      met: rerun.writesTotal === 0,
    });
    if (r.ratios.rerunVsFirst !== null)
      t.push({
        target: `${workload.name}: re-run ≤ 0.3 × first`,
        value: fmt(r.ratios.rerunVsFirst),
        met: r.ratios.rerunVsFirst <= 0.3,
      });
  }
  return t;
}

function printTable(results: WorkloadResult[]) {
  const rows = results.flatMap((r) =>
    PARTS.filter((p) => r.parts[p]).map((p) => {
      const x = r.parts[p]!;
      return {
        workload: r.workload,
        part: p + (x.sample ? ` (${x.sample.employees} staged)` : ''),
        employees: x.employees,
        latency: r.latency,
        'rate limit': r.rateLimit,
        'wall s': Number(secs(x.wallMs)),
        'emp/s': Number(x.employeesPerSecond.toFixed(1)),
        'vs direct':
          p === 'temporal' && r.ratios.vsDirect !== null ? Number(r.ratios.vsDirect.toFixed(2)) : '',
        'vs naive': p === 'temporal' && r.ratios.vsNaive !== null ? Number(r.ratios.vsNaive.toFixed(1)) : '',
        'JC req': x.requests.jumpcloud,
        'JC ok/s': Number(x.requests.jumpcloudPerSecond.toFixed(1)),
        'P req': x.requests.personio,
        '429s': x.requests.status429,
        writes: x.writesTotal,
        'vs limit': x.physical ? Number(x.physical.ratio.toFixed(2)) : '',
        'events/emp': x.history ? Number(x.history.eventsPerEmployee.toFixed(2)) : '',
        'max history': x.history?.largestHistory ?? '',
        'worker RSS MiB': x.workerPeakRssMiB !== undefined ? Math.round(x.workerPeakRssMiB) : '',
      };
    }),
  );
  console.table(rows);
  for (const r of results) {
    for (const p of PARTS) {
      const x = r.parts[p];
      if (x) console.log(`${r.workload} ${p} requests: ${JSON.stringify(x.requests.byKind)}`);
    }
  }
  const targets = results.flatMap((r) => r.targets);
  if (targets.length > 0) console.table(targets.map((t) => ({ ...t, met: t.met ? 'yes' : 'NO' })));
}

const results: WorkloadResult[] = [];
try {
  for (const name of names) {
    results.push(await runWorkload(WORKLOADS[name]));
    printTable(results.slice(-1));
  }
} catch (err) {
  logger.error({ err }, 'benchmark failed');
  console.error(err);
  process.exitCode = 1;
} finally {
  if (results.length > 1) printTable(results);
  if (args.json) {
    writeFileSync(args.json, `${JSON.stringify({ machine: machine(), results }, null, 2)}\n`);
    say(`figures written to ${args.json}`);
  }
}
process.exit(process.exitCode ?? 0);

function machine() {
  return {
    node: process.version,
    cpus: availableParallelism(),
    platform: process.platform,
    at: new Date().toISOString(),
  };
}
