/**
 * Throughput of the Personio sandbox on loopback, and generation time for 100,000 employees.
 *
 *   npx tsx sandbox/personio/bench.ts [--seconds 10] [--concurrency 32] [--employees 10000] [--limit 100]
 *                                     [--offsets walk|zero] [--page-cache-mb <n>]
 *
 * The server runs in a child process (its own core, like in a demo); this process drives
 * `GET /v1/company/employees?limit=<limit>` over keep-alive connections for a fixed time,
 * walking the pages (`--offsets zero` repeats the first page), and prints requests/s.
 * Personio's rate limits are off, no faults.
 *
 * The client is node:http with a keep-alive Agent rather than fetch: at ~300 KB per page,
 * fetch's body handling costs more CPU than the server does, and the two share the machine.
 */
import http from 'node:http';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { generateEmployees } from './generate.js';
import { SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET } from './server.js';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    concurrency: { type: 'string', default: '32' },
    employees: { type: 'string', default: '10000' },
    limit: { type: 'string', default: '100' },
    offsets: { type: 'string', default: 'walk' },
    // Default: room for every page (~3.5 KB per employee), so the walk measures the cache.
    'page-cache-mb': { type: 'string' },
  },
});
const seconds = Number(values.seconds);
const concurrency = Number(values.concurrency);
const employees = Number(values.employees);
const limit = Number(values.limit);
const pageCacheMb = values['page-cache-mb'] ?? String(Math.max(64, Math.ceil((employees * 3.5) / 1024)));

// Throughput against a server in a child process.
const mainScript = fileURLToPath(new URL('./main.ts', import.meta.url));
const server = spawn(
  process.execPath,
  [
    '--import',
    'tsx',
    mainScript,
    ...['--port', '0', '--employees', String(employees)],
    ...['--no-rate-limit', '--no-auth-rate-limit', '--quiet', '--page-cache-mb', pageCacheMb],
  ],
  { stdio: ['ignore', 'pipe', 'inherit'] },
);
try {
  const url = await new Promise<string>((resolve, reject) => {
    server.once('exit', (code) => reject(new Error(`sandbox exited early (${code})`)));
    createInterface({ input: server.stdout }).on('line', (line) => {
      const match = /listening on (\S+)/.exec(line);
      if (match?.[1]) resolve(match[1]);
    });
  });

  const auth = await fetch(`${url}/v1/auth`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ client_id: SANDBOX_CLIENT_ID, client_secret: SANDBOX_CLIENT_SECRET }),
  });
  const { data } = (await auth.json()) as { data: { token: string } };
  const target = new URL(url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const headers = { authorization: `Bearer ${data.token}` };
  const pages = values.offsets === 'zero' ? 1 : Math.max(1, Math.ceil(employees / limit));

  let requests = 0;
  let failures = 0;
  let bytes = 0;
  let counting = false;
  /** One request; the body is read and dropped, as a client streaming pages would. */
  const get = (path: string) =>
    new Promise<void>((resolve, reject) => {
      const request = http.get(
        { host: target.hostname, port: target.port, path, agent, headers },
        (response) => {
          response.on('data', (chunk: Buffer) => {
            if (counting) bytes += chunk.length;
          });
          response.on('end', () => {
            if (counting) {
              requests++;
              if (response.statusCode !== 200) failures++;
            }
            resolve();
          });
        },
      );
      request.on('error', reject);
    });
  const path = (page: number) => `/v1/company/employees?limit=${limit}&offset=${page * limit}`;

  // Warm-up: one pass over every page renders (and caches) each employee once; reported
  // separately, as it is what the first import against a fresh sandbox sees.
  const coldStarted = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let page = next++; page < pages; page = next++) await get(path(page));
    }),
  );
  const coldSeconds = (performance.now() - coldStarted) / 1000;
  console.log(`first pass over ${pages} pages (cold render): ${(pages / coldSeconds).toFixed(0)} requests/s`);

  counting = true;
  const measuredFrom = performance.now();
  const stopAt = measuredFrom + seconds * 1000;
  const worker = async (start: number) => {
    for (let page = start; performance.now() < stopAt; page = (page + concurrency) % pages)
      await get(path(page));
  };
  await Promise.all(Array.from({ length: concurrency }, (_, i) => worker(i % pages)));
  const elapsed = (performance.now() - measuredFrom) / 1000;
  agent.destroy();
  console.log(
    `GET /v1/company/employees?limit=${limit} (${employees} employees, offsets ${values.offsets}, ` +
      `${concurrency} concurrent, page cache ${pageCacheMb} MiB, ${seconds} s): ` +
      `${(requests / elapsed).toFixed(0)} requests/s, ${(bytes / elapsed / 1e6).toFixed(0)} MB/s, ` +
      `${failures} non-200`,
  );
} finally {
  server.kill('SIGTERM');
  await once(server, 'exit');
}

// Generation time, measured last so its 100k records do not weigh on the client above.
{
  const started = performance.now();
  const generated = generateEmployees({ count: 100_000, seed: 1, dirty: true });
  const ms = performance.now() - started;
  console.log(`generate 100,000 employees: ${ms.toFixed(0)} ms (${generated.length} records)`);
}
