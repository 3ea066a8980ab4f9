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
 *   burst:   --burst department moves at once; during them the worker is SIGKILLed (and
 *            started again) and the receiver restarted; every moved person must end up with
 *            the new department. Personio requests per change are counted.
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

// Burst: a reorganisation moves many imported people at once, through a worker SIGKILL and a receiver restart.
const burst = Number(values.burst);
if (burst > 0) {
  const imported = new Set((await users()).map((u) => u.employeeIdentifier));
  const movers = Array.from({ length: Number(values.employees) }, (_, i) => 1001 + i)
    .filter((id) => imported.has(String(id)))
    .slice(0, burst);
  const before = personio.stats.snapshot().requests;
  const countRequests = (snap: typeof before) =>
    Object.entries(snap)
      .filter(([route]) => !route.includes('/_sandbox'))
      .reduce((n, [, byStatus]) => n + Object.values(byStatus).reduce((a, b) => a + b, 0), 0);
  const burstStart = Date.now();
  say(`burst: moving ${movers.length} people to "Reorg ${burstStart}"`);
  const target = `Reorg ${burstStart}`;
  movers.forEach((id, i) => {
    personio.data.moveDepartment(id, target);
    if (i === Math.floor(movers.length / 3)) {
      kill(worker, 'SIGKILL');
      say('worker SIGKILLed');
    }
  });
  await sleep(2000);
  worker = run('worker/main.ts', [], workerEnv);
  await waitLine(worker, /worker started/);
  say('worker started again');
  kill(receiver, 'SIGTERM');
  await receiver.exited;
  say('receiver stopped');
  await sleep(3000);
  receiver = run('receiver/main.ts', [], receiverEnv);
  await waitLine(receiver, /receiver started/);
  say('receiver started again');
  const deadline = Date.now() + 600_000;
  let done = 0;
  while (Date.now() < deadline) {
    const byId = new Map((await users()).map((u) => [u.employeeIdentifier, u]));
    done = movers.filter((id) => byId.get(String(id))?.department === target).length;
    if (done === movers.length) break;
    await sleep(1000);
  }
  await personio.webhooks.idle();
  const personioRequests = countRequests(personio.stats.snapshot().requests) - countRequests(before);
  say(
    `burst: ${done}/${movers.length} moved people show the new department after ${((Date.now() - burstStart) / 1000).toFixed(1)} s; ` +
      `webhooks: ${JSON.stringify(personio.webhooks.counts)}; Personio requests ${personioRequests} (${(personioRequests / movers.length).toFixed(2)} per change)`,
  );
}

kill(receiver, 'SIGTERM');
kill(worker, 'SIGTERM');
await Promise.all([receiver.exited, worker.exited]);
await personio.close();
await jumpcloud.close();
await server.stop();
process.exit(0);
