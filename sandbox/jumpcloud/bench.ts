/**
 * Throughput of the JumpCloud sandbox's hot read routes, so the sandbox is never what limits
 * a benchmark of the import.
 *
 *   npx tsx sandbox/jumpcloud/bench.ts [--requests 20000] [--seconds 10] [--concurrency 32]
 *       [--clients 2] [--client fetch|http] [--users 2000] [--url http://127.0.0.1:4010]
 *
 * The server runs in a child process (its own event loop, as in a demo) unless --url names a
 * running sandbox (which then gets --users seeded into it). Load comes from --clients child
 * processes sharing --concurrency keep-alive connections, through Node's fetch by default or
 * node:http with a keep-alive agent (--client http). Bounded: each route stops after
 * --requests requests (all clients together) or --seconds seconds, whichever comes first,
 * after a short uncounted warm-up. Loopback only.
 *
 * Two figures per route: `req/s` is what the clients achieved; `server req/s per core` is
 * requests divided by the server process's CPU time. fetch (undici) spends 3-4 times the
 * server's CPU per request, so on a 2-core machine `req/s` with fetch measures the client;
 * the per-core figure is the sandbox's own capacity.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { Agent, request as httpRequest } from 'node:http';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createJumpCloudSandbox, SANDBOX_JUMPCLOUD_API_KEY } from './server.js';

const { values: args } = parseArgs({
  options: {
    role: { type: 'string', default: 'main' },
    url: { type: 'string' },
    requests: { type: 'string', default: '20000' },
    seconds: { type: 'string', default: '10' },
    concurrency: { type: 'string', default: '32' },
    clients: { type: 'string', default: '2' },
    client: { type: 'string', default: 'fetch' },
    users: { type: 'string', default: '2000' },
  },
});

const WARMUP_REQUESTS = 1000;
const headers = { 'x-api-key': SANDBOX_JUMPCLOUD_API_KEY, 'content-type': 'application/json' };

interface SeededUser {
  _id: string;
  email: string;
}

interface BenchRequest {
  method: 'GET' | 'POST';
  path: string;
  body?: string;
}

/** The routes measured; `i` picks a different user per request. */
const ROUTES: Record<string, (users: readonly SeededUser[], i: number) => BenchRequest> = {
  'GET /api/systemusers/{id}': (users, i) => ({
    method: 'GET',
    path: `/api/systemusers/${pick(users, i)._id}`,
  }),
  'GET /api/systemusers?filter=email:$eq:…': (users, i) => ({
    method: 'GET',
    path: `/api/systemusers?filter=${encodeURIComponent(`email:$eq:${pick(users, i).email}`)}`,
  }),
  'POST /api/search/systemusers': (users, i) => ({
    method: 'POST',
    path: '/api/search/systemusers',
    body: JSON.stringify({ filter: { and: [{ email: pick(users, i).email }] }, fields: 'email username' }),
  }),
  'GET /api/systemusers?limit=100&sort=_id': (users, i) => ({
    method: 'GET',
    path: `/api/systemusers?limit=100&sort=_id&skip=${(i * 100) % users.length}`,
  }),
};

/** Sends one request and reads the whole answer; resolves to whether it was a 2xx. */
type Transport = (base: string, request: BenchRequest) => Promise<boolean>;

const viaFetch: Transport = async (base, { method, path, body }) => {
  const response = await fetch(base + path, { method, headers, body });
  await response.arrayBuffer();
  return response.ok;
};

function viaHttp(concurrency: number): Transport {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  return (base, { method, path, body }) =>
    new Promise((resolve, reject) => {
      const outgoing = httpRequest(new URL(path, base), { method, headers, agent }, (response) => {
        response.resume();
        response.once('end', () => resolve((response.statusCode ?? 0) < 300));
        response.once('error', reject);
      });
      outgoing.once('error', reject);
      outgoing.end(body);
    });
}

const pick = (users: readonly SeededUser[], i: number): SeededUser => {
  const user = users[(i * 7919) % users.length];
  if (!user) throw new Error('no users seeded');
  return user;
};

interface DriveOrder {
  base: string;
  route: string;
  users: SeededUser[];
  requests: number;
  seconds: number;
  concurrency: number;
  client: string;
}

interface DriveResult {
  latencies: number[];
  errors: number;
  elapsedMs: number;
}

/** Client mode: warm up, then send `requests` with `concurrency` in flight. */
async function drive(order: DriveOrder): Promise<DriveResult> {
  const describe = ROUTES[order.route];
  if (!describe) throw new Error(`unknown route ${order.route}`);
  const transport = order.client === 'http' ? viaHttp(order.concurrency) : viaFetch;
  const run = async (count: number, deadline: number, latencies: number[] | undefined) => {
    let issued = 0;
    let errors = 0;
    const worker = async () => {
      while (issued < count && performance.now() < deadline) {
        const i = issued++;
        const t0 = performance.now();
        try {
          if (!(await transport(order.base, describe(order.users, i)))) errors++;
        } catch {
          errors++;
        }
        latencies?.push(performance.now() - t0);
      }
    };
    await Promise.all(Array.from({ length: order.concurrency }, worker));
    return errors;
  };
  await run(WARMUP_REQUESTS, Infinity, undefined);
  const latencies: number[] = [];
  const started = performance.now();
  const errors = await run(order.requests, started + order.seconds * 1000, latencies);
  return { latencies, errors, elapsedMs: performance.now() - started };
}

function childOf(role: string): ChildProcess {
  return fork(fileURLToPath(import.meta.url), ['--role', role], { execArgv: process.execArgv });
}

const nextMessage = <T>(child: ChildProcess): Promise<T> =>
  new Promise((resolve, reject) => {
    child.once('message', (m) => resolve(m as T));
    child.once('error', reject);
  });

interface BenchServer {
  url: string;
  /** CPU microseconds the server process has used so far; undefined for an external server. */
  cpuMicros(): Promise<number | undefined>;
  stop(): void;
}

async function startChildServer(): Promise<BenchServer> {
  const child = childOf('server');
  const { url } = await nextMessage<{ url: string }>(child);
  return {
    url,
    cpuMicros: () => {
      const answer = nextMessage<{ cpu: number }>(child);
      child.send('cpu');
      return answer.then((m) => m.cpu);
    },
    stop: () => child.disconnect(),
  };
}

async function main(): Promise<void> {
  const requests = Number(args.requests);
  const seconds = Number(args.seconds);
  const concurrency = Number(args.concurrency);
  const clients = Math.max(1, Number(args.clients));
  const userCount = Number(args.users);

  const server: BenchServer = args.url
    ? { url: args.url, cpuMicros: () => Promise.resolve(undefined), stop: () => {} }
    : await startChildServer();
  try {
    const base = server.url;
    const seeded = await fetch(`${base}/_sandbox/users`, {
      method: 'POST',
      headers,
      body: JSON.stringify(
        Array.from({ length: userCount }, (_, i) => ({
          username: `bench.user${i}`,
          email: `bench.user${i}@example.com`,
          employeeIdentifier: `BENCH-${i}`,
          firstname: 'Bench',
          lastname: `User ${i}`,
        })),
      ),
    });
    if (!seeded.ok) throw new Error(`seeding failed: ${seeded.status} ${await seeded.text()}`);
    const users = ((await seeded.json()) as { users: SeededUser[] }).users.map(({ _id, email }) => ({
      _id,
      email,
    }));

    console.log(
      `JumpCloud sandbox bench: ${userCount} users; ${clients} ${args.client} client process(es), ${concurrency} ` +
        `connections in all; ≤${requests} requests or ≤${seconds}s per route; ${base}`,
    );
    const rows = [];
    for (const route of Object.keys(ROUTES)) {
      const children = Array.from({ length: clients }, () => childOf('client'));
      const results = Promise.all(
        children.map((child, k) => {
          const order: DriveOrder = {
            base,
            route,
            users,
            requests: Math.ceil(requests / clients),
            seconds,
            concurrency: Math.max(1, Math.floor(concurrency / clients) + (k < concurrency % clients ? 1 : 0)),
            client: args.client,
          };
          child.send(order);
          return nextMessage<DriveResult>(child).finally(() => child.disconnect());
        }),
      );
      // Server CPU is sampled around the whole route, warm-up included, so the figure is conservative.
      const cpuBefore = await server.cpuMicros();
      const finished = await results;
      const cpuAfter = await server.cpuMicros();
      const latencies = finished.flatMap((r) => r.latencies).sort((a, b) => a - b);
      const elapsed = Math.max(...finished.map((r) => r.elapsedMs)) / 1000;
      const served = latencies.length + clients * WARMUP_REQUESTS;
      const at = (q: number) =>
        latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
      rows.push({
        route,
        requests: latencies.length,
        errors: finished.reduce((n, r) => n + r.errors, 0),
        'req/s': Math.round(latencies.length / elapsed),
        'server req/s per core':
          cpuBefore === undefined || cpuAfter === undefined
            ? 'n/a'
            : Math.round(served / ((cpuAfter - cpuBefore) / 1e6)),
        'p50 ms': Number(at(0.5).toFixed(2)),
        'p99 ms': Number(at(0.99).toFixed(2)),
      });
    }
    console.table(rows);
  } finally {
    server.stop();
  }
}

if (args.role === 'server') {
  const sandbox = createJumpCloudSandbox();
  process.send?.({ url: await sandbox.listen(0, '127.0.0.1') });
  process.on('message', () => {
    const { user, system } = process.cpuUsage();
    process.send?.({ cpu: user + system });
  });
  process.once('disconnect', () => void sandbox.close());
} else if (args.role === 'client') {
  process.once('message', (order) => {
    void drive(order as DriveOrder).then((result) => process.send?.(result));
  });
} else {
  await main();
}
