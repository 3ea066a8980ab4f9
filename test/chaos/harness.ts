/**
 * The reliability harness behind `npm run chaos` and test/chaos/: one import with everything
 * going wrong at once — the worker SIGKILLed at chosen moments and restarted, the Temporal
 * server (with its database file) killed and restarted, both APIs answering 5xx, resetting
 * connections, rate limiting with and without Retry-After, stalling, expiring tokens — and
 * then a strict check: the exact final JumpCloud state, no employee lost, none created twice.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { startOrAttach } from '../../client/import-command.js';
import { dataConverterFor } from '../../codec/data-converter.js';
import { parseKeyRing } from '../../codec/keys.js';
import { parseImportInput } from '../../domain/import-input.js';
import { IMPORT_PHASES } from '../../domain/outcomes.js';
import { freePort, startDevServer, type DevServer } from '../../local-temporal/dev-server.js';
import type { FaultSettings } from '../../sandbox/faults.js';
import { createJumpCloudSandbox, SANDBOX_JUMPCLOUD_API_KEY } from '../../sandbox/jumpcloud/server.js';
import {
  createPersonioSandbox,
  SANDBOX_CLIENT_ID,
  SANDBOX_CLIENT_SECRET,
} from '../../sandbox/personio/server.js';
import { dirtyCases } from '../../sandbox/personio/generate.js';
import { progressQuery, type ImportReport } from '../../workflows/import-api.js';
import { comparableUser, expectedUsers } from '../helpers/expected-directory.js';
import { runProject, type ProcessHandle } from '../helpers/worker-process.js';

export interface ChaosOptions {
  employees: number;
  seed?: number;
  /** Worker SIGKILLs (≥ 3: during the directory scan, mid-staging, during managers/groups). */
  workerKills?: number;
  serverRestart?: boolean;
  apiFaults?: boolean;
  log?: (message: string) => void;
  /** Give up (and report) after this long. */
  timeoutMs?: number;
}

export interface ChaosReport {
  employees: number;
  workerKills: number;
  serverRestarts: number;
  faultsInjected: Record<string, number>;
  /** 5xx, 429 and resets the import had to ride out (each one a retried call). */
  retriedCalls: number;
  duplicates: number;
  lost: number;
  finalStateCorrect: boolean;
  mismatches: string[];
  wallTimeMs: number;
  counts: ImportReport['counts'] | null;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until condition() holds or timeoutMs passes. */
async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition() && Date.now() < deadline) await sleep(100);
}
const CYCLE = new Set(dirtyCases.filter((c) => c.kind === 'supervisor-cycle').map((c) => c.id));
// Latency keeps even a small import running long enough for every chaos event to land.
const baseFaults: Partial<FaultSettings> = { faultRate: 0.1, resetRate: 0.02, latencyMs: 15, jitterMs: 10 };

export async function runChaos(options: ChaosOptions): Promise<ChaosReport> {
  const log = options.log ?? (() => {});
  const started = Date.now();
  const dir = mkdtempSync(join(tmpdir(), 'chaos-'));
  const port = await freePort();
  const dbFilename = join(dir, 'temporal.db');
  const startServer = () =>
    startDevServer({ port, headless: true, dbFilename, extraArgs: ['--sqlite-pragma', 'journal_mode=WAL'] });
  let server: DevServer = await startServer();
  const personio = createPersonioSandbox({
    employees: options.employees,
    seed: options.seed ?? 5,
    dirty: true,
  });
  const jumpcloud = createJumpCloudSandbox();
  await personio.listen(0);
  await jumpcloud.listen(0);
  if (options.apiFaults !== false) {
    personio.faults.set(baseFaults);
    jumpcloud.faults.set(baseFaults);
  }
  const payloadKeys = `chaos:${randomBytes(32).toString('base64')}`;
  const taskQueue = `chaos-${process.pid}-${Date.now()}`;
  const workerEnv = {
    TEMPORAL_ADDRESS: server.address,
    TEMPORAL_TASK_QUEUE: taskQueue,
    PAYLOAD_KEYS: payloadKeys,
    PERSONIO_BASE_URL: personio.url,
    PERSONIO_CLIENT_ID: SANDBOX_CLIENT_ID,
    PERSONIO_CLIENT_SECRET: SANDBOX_CLIENT_SECRET,
    JUMPCLOUD_BASE_URL: jumpcloud.url,
    JUMPCLOUD_API_KEY: SANDBOX_JUMPCLOUD_API_KEY,
    LOG_LEVEL: 'info',
  };
  let worker: ProcessHandle = runProject('worker/main.ts', [], workerEnv);
  await worker.waitFor(/worker started/);
  const connection = await Connection.connect({ address: server.address });
  const client = new Client({
    connection,
    dataConverter: dataConverterFor(parseKeyRing(payloadKeys, 'PAYLOAD_KEYS')),
  });
  const raw = { pageSize: 50, pagesInFlight: 4, groups: { perDepartment: true }, notify: { when: 'never' } };
  const parsed = parseImportInput(raw);
  if (!parsed.ok) throw new Error('bad chaos input');
  const workflowId = `chaos-import-${taskQueue}`;
  const { handle } = await startOrAttach(client, taskQueue, workflowId, raw, parsed.input);

  let kills = 0;
  let restarts = 0;
  const wantedKills = Math.max(3, options.workerKills ?? 3);
  const killWorker = async (why: string) => {
    log(`SIGKILL worker ${worker.pid} (${why})`);
    await worker.stop('SIGKILL');
    kills++;
    worker = runProject('worker/main.ts', [], workerEnv);
    await worker.waitFor(/worker started/);
  };
  // Chaos events, each fired once when the import reaches its moment.
  const events: { when: (p: Progress) => boolean; run: () => Promise<void>; done?: boolean }[] = [
    {
      when: (p) => p.phase === 'scanning' || p.phase === 'preparing-groups',
      run: () => killWorker('reading pages: directory scan'),
    },
    { when: (p) => stagedAtLeast(p, 0.1), run: () => killWorker('mid-staging') },
    {
      when: (p) => stagedAtLeast(p, 0.3),
      run: async () => {
        log('429 burst with Retry-After, then without; all Personio tokens expire');
        // Each mode lasts until it has turned a few requests away (or 15 s), whatever the pace.
        const limited = () => jumpcloud.faults.injected.rateLimited;
        let before = limited();
        jumpcloud.faults.set({ rateLimit: 4, retryAfter: true });
        personio.faults.set({ expireTokens: true });
        await until(() => limited() - before >= 5, 15_000);
        before = limited();
        jumpcloud.faults.set({ retryAfter: false });
        await until(() => limited() - before >= 5, 15_000);
        jumpcloud.faults.set({ rateLimit: 0 });
      },
    },
    ...(options.serverRestart === false
      ? []
      : [
          {
            when: (p: Progress) => stagedAtLeast(p, 0.6),
            run: async () => {
              log('SIGKILL the Temporal server, restart it on its database file');
              await server.crash();
              await sleep(1000);
              server = await startServer();
              restarts++;
            },
          },
        ]),
    {
      when: (p) => stagedAtLeast(p, 0.45),
      run: async () => {
        log('a 10 s stall on both APIs');
        personio.faults.set({ stallMs: 10_000 });
        jumpcloud.faults.set({ stallMs: 10_000 });
        // Requests arriving now wait 10 s for an answer; keep it up until some have (≤ 15 s).
        await until(() => personio.faults.injected.stall + jumpcloud.faults.injected.stall >= 3, 15_000);
        personio.faults.set({ stallMs: 0 });
        jumpcloud.faults.set({ stallMs: 0 });
      },
    },
    {
      when: (p) => p.phase === 'linking-managers' || p.phase === 'binding-groups' || p.phase === 'notifying',
      run: () => killWorker('linking managers / binding groups'),
    },
  ];
  for (let i = 3; i < wantedKills; i++) {
    const at = 0.1 + (0.8 * (i - 2)) / (wantedKills - 2);
    events.push({
      when: (p) => stagedAtLeast(p, at),
      run: () => killWorker(`extra kill at ${Math.round(at * 100)}%`),
    });
  }

  const deadline = started + (options.timeoutMs ?? 30 * 60_000);
  let report: ImportReport | null = null;
  const result = handle.result().then((r) => (report = r));
  result.catch(() => {});
  while (!report && Date.now() < deadline) {
    const progress = await readProgress(client, workflowId);
    if (progress) {
      for (const event of events) {
        if (!event.done && event.when(progress)) {
          event.done = true;
          await event.run();
        }
      }
    }
    await Promise.race([result.catch(() => {}), sleep(150)]);
  }
  const wallTimeMs = Date.now() - started;

  // Verify against the oracle.
  const mismatches: string[] = [];
  const records = Array.from({ length: options.employees }, (_, i) => personio.data.get(1001 + i)!);
  const expected = expectedUsers(records, CYCLE);
  const state = (await (await fetch(`${jumpcloud.url}/_sandbox/state`)).json()) as {
    users: (Record<string, unknown> & { _id: string; employeeIdentifier?: string; state: string })[];
    groups: { name: string; members: string[] }[];
  };
  const personioIdByUserId = new Map(state.users.map((u) => [u._id, Number(u.employeeIdentifier)]));
  const seen = new Set<number>();
  for (const user of state.users) {
    const id = Number(user.employeeIdentifier);
    const want = expected.get(id);
    if (!want) mismatches.push(`unexpected user for Personio id ${id}`);
    else if (JSON.stringify(comparableUser(user, personioIdByUserId)) !== JSON.stringify(want))
      mismatches.push(`fields of ${id} differ`);
    else if (user.state !== 'STAGED') mismatches.push(`${id} is ${user.state}`);
    seen.add(id);
  }
  const lost = [...expected.keys()].filter((id) => !seen.has(id)).length;
  const allGroup = state.groups.find((g) => g.name === 'Personio Import');
  if (!allGroup || allGroup.members.length !== expected.size)
    mismatches.push('the all-employees group membership is wrong');
  const writes = jumpcloud.stats.snapshot().writes;
  const duplicates = (writes.usersCreated ?? 0) - state.users.length;
  if (!report) mismatches.push(`the import did not finish within ${options.timeoutMs ?? 30 * 60_000} ms`);
  const counts = (report as ImportReport | null)?.counts ?? null;
  if (counts && Object.values(counts).reduce((a, b) => a + b, 0) !== options.employees)
    mismatches.push('the report does not account for every employee');
  if (counts && counts.created !== expected.size)
    mismatches.push(`report says ${counts.created} created, expected ${expected.size}`);

  const injected: Record<string, number> = {};
  for (const source of [personio.faults.injected, jumpcloud.faults.injected]) {
    for (const [kind, n] of Object.entries(source)) injected[kind] = (injected[kind] ?? 0) + n;
  }
  const statusCounts = [personio.stats.snapshot(), jumpcloud.stats.snapshot()].flatMap((s) =>
    Object.values(s.requests),
  );
  const retriedCalls =
    statusCounts.reduce(
      (sum, byStatus) =>
        sum +
        Object.entries(byStatus)
          .filter(([status]) => status === '429' || status >= '500')
          .reduce((a, [, n]) => a + n, 0),
      0,
    ) + (injected.reset ?? 0);

  await worker.stop('SIGTERM');
  await connection.close();
  await server.stop();
  await personio.close();
  await jumpcloud.close();
  rmSync(dir, { recursive: true, force: true });
  return {
    employees: options.employees,
    workerKills: kills,
    serverRestarts: restarts,
    faultsInjected: injected,
    retriedCalls,
    duplicates,
    lost,
    finalStateCorrect: mismatches.length === 0 && duplicates === 0 && lost === 0,
    mismatches: mismatches.slice(0, 20),
    wallTimeMs,
    counts,
  };
}

interface Progress {
  phase: string;
  pagesDone: number;
  fraction: number;
}

const PHASES: readonly string[] = IMPORT_PHASES;

/** True once the import is at least `fraction` through staging (or past staging). */
function stagedAtLeast(p: Progress, fraction: number): boolean {
  const at = PHASES.indexOf(p.phase);
  return at > PHASES.indexOf('staging')
    ? p.phase !== 'done'
    : at === PHASES.indexOf('staging') && p.fraction >= fraction;
}

async function readProgress(client: Client, workflowId: string): Promise<Progress | null> {
  try {
    const p = await client.workflow.getHandle(workflowId).query(progressQuery);
    return {
      phase: p.phase,
      pagesDone: p.pagesDone,
      fraction: p.pagesTotal ? p.pagesDone / p.pagesTotal : 0,
    };
  } catch {
    return null; // the server is restarting, or no worker is there to answer yet
  }
}

export function chaosTable(r: ChaosReport): string {
  const rows: [string, string][] = [
    ['employees', String(r.employees)],
    ['worker kills survived', String(r.workerKills)],
    ['Temporal server restarts survived', String(r.serverRestarts)],
    ...Object.entries(r.faultsInjected).map(([k, v]): [string, string] => [
      `faults injected: ${k}`,
      String(v),
    ]),
    ['retried calls (5xx, 429, resets)', String(r.retriedCalls)],
    ['duplicates (must be 0)', String(r.duplicates)],
    ['employees lost (must be 0)', String(r.lost)],
    ['final state correct', r.finalStateCorrect ? 'yes' : 'no'],
    ['wall time', `${(r.wallTimeMs / 1000).toFixed(1)} s`],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n');
}
