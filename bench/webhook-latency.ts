/**
 * `npx tsx bench/webhook-latency.ts [--hires 100] [--burst 1000] [--version v1|v2]`: how fast a
 * hire saved in Personio becomes a STAGED JumpCloud user through webhooks, and whether a burst
 * of changes survives a worker SIGKILL and a receiver restart.
 *
 * Real processes: a Temporal dev server, `worker/main.ts`, `receiver/main.ts`, the CLI for the
 * first import; both sandboxes in this process (JumpCloud at 50±20 ms latency, Personio's
 * documented limits on, its webhook deliveries pointed at the receiver).
 *
 *   latency: one hire every --spacing-ms; seconds from the hire to its STAGED user, p50/p95.
 *   burst:   --burst department moves in two waves; while the first is being applied the
 *            worker is SIGKILLed (and started again), the receiver is down during the second
 *            (Personio's retries bring those deliveries); every moved person must end up with
 *            the new department, every event delivered, each user written once (JumpCloud's
 *            write counters). Personio requests per change and receiver 503s are counted.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { freePort, startDevServer } from '../local-temporal/dev-server.js';
import { createJumpCloudSandbox, SANDBOX_JUMPCLOUD_API_KEY } from '../sandbox/jumpcloud/server.js';
import {
  createPersonioSandbox,
  SANDBOX_CLIENT_ID,
  SANDBOX_CLIENT_SECRET,
} from '../sandbox/personio/server.js';

const { values } = parseArgs({
  options: {
    employees: { type: 'string', default: '1200' },
    hires: { type: 'string', default: '100' },
    'spacing-ms': { type: 'string', default: '2000' },
    burst: { type: 'string', default: '1000' },
    version: { type: 'string', default: 'v1' },
    'debounce-ms': { type: 'string', default: '300' },
    /** The worker is SIGKILLed once this share of wave 1's users is written (0: at the first). */
    'kill-at': { type: 'string', default: '0.33' },
  },
});
const root = join(import.meta.dirname, '..');
const spawned: ChildProcess[] = [];
const running: { server?: Awaited<ReturnType<typeof startDevServer>> } = {};
// Whatever happens, no child is left behind.
process.on('exit', () => {
  for (const p of spawned) {
    try {
      process.kill(-p.pid!, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
});
process.on('uncaughtException', (err) => {
  console.error(err);
  void (running.server?.stop() ?? Promise.resolve()).finally(() => process.exit(1));
});
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const say = (m: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${m}`);

function run(
  entry: string,
  args: string[],
  env: Record<string, string>,
): { proc: ChildProcess; lines: string[]; exited: Promise<number | null> } {
  const proc = spawn(process.execPath, ['--import', 'tsx', join(root, entry), ...args], {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      LOG_FORMAT: 'json',
      LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  spawned.push(proc);
  const lines: string[] = [];
  const collect = (chunk: Buffer) => lines.push(...chunk.toString().split('\n').filter(Boolean));
  proc.stdout.on('data', collect);
  proc.stderr.on('data', collect);
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  return { proc, lines, exited };
}
async function waitLine(p: { lines: string[] }, pattern: RegExp, ms = 120_000) {
  const deadline = Date.now() + ms;
  while (!p.lines.some((l) => pattern.test(l))) {
    if (Date.now() > deadline) throw new Error(`no ${pattern}: ${p.lines.slice(-10).join('\n')}`);
    await sleep(100);
  }
}
const kill = (p: { proc: ChildProcess }, signal: NodeJS.Signals) => {
  try {
    process.kill(-p.proc.pid!, signal);
  } catch {
    /* gone */
  }
};
const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};

const server = await startDevServer({ port: await freePort(), uiPort: await freePort() });
running.server = server;
const personio = createPersonioSandbox({
  employees: Number(values.employees),
  seed: 5,
  webhookRetryTimeScale: 0.01,
});
const jumpcloud = createJumpCloudSandbox({ faults: { latencyMs: 50, jitterMs: 20 } });
await personio.listen(0);
await jumpcloud.listen(0);
const taskQueue = `webhook-bench-${Date.now()}`;
const token = `Bearer ${randomBytes(24).toString('hex')}`;
const common = {
  TEMPORAL_ADDRESS: server.address,
  TEMPORAL_TASK_QUEUE: taskQueue,
  PAYLOAD_KEYS: `bench:${randomBytes(32).toString('base64')}`,
};
// A reorganisation changes most imported users at once: the bench's policy lets the input turn
// the safeguards off (README, "Import policy").
const policyFile = join(mkdtempSync(join(tmpdir(), 'webhook-bench-')), 'policy.json');
writeFileSync(policyFile, JSON.stringify({ safeguards: null }));
const workerEnv = {
  ...common,
  IMPORT_POLICY_FILE: policyFile,
  PERSONIO_API_VERSION: values.version,
  PERSONIO_BASE_URL: personio.url,
  PERSONIO_CLIENT_ID: SANDBOX_CLIENT_ID,
  PERSONIO_CLIENT_SECRET: SANDBOX_CLIENT_SECRET,
  JUMPCLOUD_BASE_URL: jumpcloud.url,
  JUMPCLOUD_API_KEY: SANDBOX_JUMPCLOUD_API_KEY,
};
let worker = run('worker/main.ts', [], workerEnv);
await waitLine(worker, /worker started/);
const receiverPort = await freePort();
const receiverEnv = {
  ...common,
  RECEIVER_BIND_ADDRESS: `127.0.0.1:${receiverPort}`,
  PERSONIO_WEBHOOK_TOKEN: token,
  RECEIVER_DEBOUNCE_MS: values['debounce-ms'],
  // A reorganisation changes most imported users at once: the bench lets it through.
  RECEIVER_IMPORT_OPTIONS: '{"safeguards":null}',
};
let receiver = run('receiver/main.ts', [], receiverEnv);
await waitLine(receiver, /receiver started/);

say(`first import of ${values.employees} employees (Personio ${values.version}, JumpCloud 50±20 ms)`);
const started = Date.now();
const cli = run('client/cli.ts', ['import', '--input-json', '{"safeguards":null}'], common);
if ((await cli.exited) !== 0) throw new Error(cli.lines.slice(-10).join('\n'));
say(`first import done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
personio.webhooks.create({
  url: `http://127.0.0.1:${receiverPort}/webhooks/personio`,
  description: 'bench',
  status: 'ENABLED',
  token,
  enabled_events: [
    'person.created',
    'person.updated',
    'person.deleted',
    'employment.created',
    'employment.updated',
    'employment.deleted',
  ],
});

interface StateUser {
  employeeIdentifier?: string;
  state: string;
  department?: string;
}
const users = async () =>
  ((await (await fetch(`${jumpcloud.url}/_sandbox/state`)).json()) as { users: StateUser[] }).users;

// Latency: one hire at a time, each watched until its STAGED user appears.
const hires = Number(values.hires);
if (hires > 0) {
  const hiredAt = new Map<string, number>();
  const seconds: number[] = [];
  const watcher = (async () => {
    while (seconds.length < hires) {
      const byId = new Map((await users()).map((u) => [u.employeeIdentifier, u]));
      for (const [id, at] of [...hiredAt]) {
        if (byId.get(id)?.state === 'STAGED') {
          seconds.push((Date.now() - at) / 1000);
          hiredAt.delete(id);
        }
      }
      await sleep(100);
    }
  })();
  for (let i = 0; i < hires; i++) {
    const hire = personio.data.hire({ status: 'active' });
    hiredAt.set(String(hire.id), Date.now());
    await sleep(Number(values['spacing-ms']));
  }
  await Promise.race([watcher, sleep(180_000)]);
  say(
    `latency over ${seconds.length}/${hires} hires: p50 ${percentile(seconds, 50).toFixed(2)} s, p95 ${percentile(seconds, 95).toFixed(2)} s, max ${Math.max(...seconds).toFixed(2)} s`,
  );
}

// Burst: a reorganisation moves many imported people, through a worker SIGKILL and a receiver restart.
// Wave 1 (60 %) is saved at once; once some of its users are written, and before all are, the
// worker is SIGKILLed and a new one started. Then the receiver is stopped, wave 2 is saved while
// it is down (those deliveries fail and come back by the sandbox Personio's retries, the
// documented schedule scaled by webhookRetryTimeScale), and the receiver is started again.
const burst = Number(values.burst);
if (burst > 0) {
  const imported = new Set((await users()).map((u) => u.employeeIdentifier));
  const movers = Array.from({ length: Number(values.employees) }, (_, i) => 1001 + i)
    .filter((id) => imported.has(String(id)))
    .slice(0, burst);
  const hook = personio.webhooks.list()[0]!;
  const before = personio.stats.snapshot().requests;
  const countRequests = (snap: typeof before) =>
    Object.entries(snap)
      .filter(([route]) => !route.includes('/_sandbox'))
      .reduce((n, [, byStatus]) => n + Object.values(byStatus).reduce((a, b) => a + b, 0), 0);
  const writes = () => jumpcloud.stats.snapshot().writes;
  const writesBefore = writes();
  const metricsOf = async () => {
    const text = await (await fetch(`http://127.0.0.1:${receiverPort}/metrics`)).text();
    const value = (pattern: RegExp) => Number(pattern.exec(text)?.[1] ?? 0);
    return {
      accepted: value(/outcome="accepted"\} (\d+)/),
      unavailable: value(/outcome="unavailable"\} (\d+)/),
      signals: value(/personio_webhook_signals_total (\d+)/),
    };
  };
  const receiverTotals = { accepted: 0, unavailable: 0, signals: 0 };
  const addMetrics = (m: typeof receiverTotals) => {
    for (const k of Object.keys(receiverTotals) as (keyof typeof receiverTotals)[]) receiverTotals[k] += m[k];
  };
  const target = `Reorg ${Date.now()}`;
  const moved = async (ids: number[]) => {
    const byId = new Map((await users()).map((u) => [u.employeeIdentifier, u]));
    return ids.filter((id) => byId.get(String(id))?.department === target).length;
  };
  const burstStart = Date.now();
  const wave1 = movers.slice(0, Math.ceil(movers.length * 0.6));
  const wave2 = movers.slice(wave1.length);
  say(`burst: moving ${movers.length} people to "${target}" (wave 1: ${wave1.length})`);
  for (const id of wave1) personio.data.moveDepartment(id, target);
  const killAt = Math.max(1, Math.floor(wave1.length * Number(values['kill-at'])));
  let doneAtKill = await moved(wave1);
  while (doneAtKill < killAt) {
    await sleep(100);
    doneAtKill = await moved(wave1);
  }
  kill(worker, 'SIGKILL');
  await worker.exited;
  say(`worker SIGKILLed with ${doneAtKill}/${wave1.length} of wave 1 written`);
  worker = run('worker/main.ts', [], workerEnv);
  await waitLine(worker, /worker started/);
  say('worker started again');
  addMetrics(await metricsOf());
  kill(receiver, 'SIGTERM');
  await receiver.exited;
  say(`receiver stopped; wave 2: ${wave2.length} people moved while it is down`);
  for (const id of wave2) personio.data.moveDepartment(id, target);
  const wave2Ids = new Set(wave2.map(String));
  const failedWhileDown = () => {
    const ids = new Set(
      personio.webhooks
        .eventsOf(hook)
        .filter((e) => wave2Ids.has(e.payload.person?.id ?? ''))
        .map((e) => e.id),
    );
    return new Set(
      personio.webhooks
        .activityOf(hook.id)
        .filter((a) => ids.has(a.event_id) && !a.is_delivered)
        .map((a) => a.event_id),
    );
  };
  while (wave2.length > 0 && failedWhileDown().size === 0) await sleep(100);
  receiver = run('receiver/main.ts', [], receiverEnv);
  await waitLine(receiver, /receiver started/);
  say('receiver started again');
  const deadline = Date.now() + 1_200_000;
  let done = 0;
  while (Date.now() < deadline) {
    done = await moved(movers);
    if (done === movers.length) break;
    await sleep(500);
  }
  const seconds = (Date.now() - burstStart) / 1000;
  await personio.webhooks.idle();
  addMetrics(await metricsOf());
  const delivered = new Set(
    personio.webhooks
      .activityOf(hook.id)
      .filter((a) => a.is_delivered)
      .map((a) => a.event_id),
  );
  const moverIds = new Set(movers.map(String));
  const events = personio.webhooks.eventsOf(hook).filter((e) => moverIds.has(e.payload.person?.id ?? ''));
  const lost = events.filter((e) => !delivered.has(e.id)).length;
  const failed = failedWhileDown();
  const retriedOk = [...failed].filter((id) => delivered.has(id)).length;
  // Let the last batch's import finish before counting writes.
  await sleep(5000);
  const after = writes();
  const writeDelta = Object.fromEntries(
    Object.keys(after)
      .map((k) => [k, (after[k] ?? 0) - (writesBefore[k] ?? 0)] as const)
      .filter(([, n]) => n !== 0),
  );
  const personioRequests = countRequests(personio.stats.snapshot().requests) - countRequests(before);
  say(
    `burst: ${done}/${movers.length} moved people show the new department after ${seconds.toFixed(1)} s; ` +
      `events ${events.length}, never delivered ${lost}; wave-2 events that failed while the receiver was down ${failed.size}, later delivered by retries ${retriedOk}`,
  );
  say(
    `burst: JumpCloud writes ${JSON.stringify(writeDelta)} for ${movers.length} changes` +
      `${writeDelta.usersUpdated === movers.length && Object.keys(writeDelta).length === 1 ? ' (each user written once)' : ' (NOT one write per change)'}; ` +
      `receiver: ${receiverTotals.accepted} accepted, ${receiverTotals.unavailable} answered 503, ${receiverTotals.signals} signals; ` +
      `webhooks ${JSON.stringify(personio.webhooks.counts)}; Personio requests ${personioRequests} (${(personioRequests / movers.length).toFixed(2)} per change)`,
  );
}

kill(receiver, 'SIGTERM');
kill(worker, 'SIGTERM');
await Promise.all([receiver.exited, worker.exited]);
await personio.close();
await jumpcloud.close();
await server.stop();
process.exit(0);
