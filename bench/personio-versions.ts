/**
 * `npx tsx bench/personio-versions.ts [--employees 10000] [--latency-ms 50] [--concurrency 4]`:
 * what reading Personio costs an import through v1 and through v2 (PERSONIO_API_VERSION),
 * side by side on the same seeded company: requests sent and seconds taken for the import's
 * three passes over the directory (scan, page fetch, manager links), with Personio's
 * documented limits on (v1 300/min with bursts of 15/s; v2 30/s per endpoint, bucket of 100)
 * and a fixed latency on every answer. JumpCloud's side is the same for both and left out.
 */
import { parseArgs } from 'node:util';
import { ApiError } from '../clients/api-error.js';
import { PersonioClient } from '../clients/personio.js';
import { PersonioV2Client } from '../clients/personio-v2.js';
import { parseEmployee } from '../domain/personio-record.js';
import {
  createPersonioSandbox,
  PERSONIO_EMPLOYEES_RATE_LIMIT,
  SANDBOX_CLIENT_ID,
  SANDBOX_CLIENT_SECRET,
} from '../sandbox/personio/server.js';

const { values } = parseArgs({
  options: {
    employees: { type: 'string', default: '10000' },
    'latency-ms': { type: 'string', default: '50' },
    concurrency: { type: 'string', default: '4' },
    'page-size': { type: 'string', default: '100' },
  },
});
const employees = Number(values.employees);
const latencyMs = Number(values['latency-ms']);
const concurrency = Number(values.concurrency);
const pageSize = Number(values['page-size']);

/** What the import's activity retries do for a 429: wait (Personio's advice: at least 1 s) and read again. */
async function retried<T>(read: () => Promise<T>): Promise<T> {
  for (;;) {
    try {
      return await read();
    } catch (err) {
      if (!(err instanceof ApiError && err.status === 429)) throw err;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
}

for (const version of ['v1', 'v2'] as const) {
  const sandbox = createPersonioSandbox({
    employees,
    seed: 42,
    dirty: true,
    employeesRateLimit: PERSONIO_EMPLOYEES_RATE_LIMIT,
    faults: { latencyMs },
    pageCacheBytes: 512 * 1024 * 1024,
  });
  const url = await sandbox.listen();
  const settings = {
    baseUrl: url,
    clientId: SANDBOX_CLIENT_ID,
    clientSecret: SANDBOX_CLIENT_SECRET,
    appId: 'BENCH',
    maxConcurrency: concurrency,
  };
  const client = version === 'v1' ? new PersonioClient(settings) : new PersonioV2Client(settings);
  const started = performance.now();
  await client.authenticate();
  let parsed = 0;
  // The import's three passes: the directory scan, each page's fetch, each page's manager links.
  for (const pass of ['scan', 'fetch', 'managers']) {
    const first = await retried(() => client.listEmployees({ offset: 0, limit: pageSize }));
    const offsets: number[] = [];
    for (let o = pageSize; o < first.totalElements; o += pageSize) offsets.push(o);
    const pages = [
      first,
      ...(await Promise.all(
        offsets.map((offset) => retried(() => client.listEmployees({ offset, limit: pageSize }))),
      )),
    ];
    const records = pages.flatMap((p) => p.records);
    if (pass === 'fetch') parsed = records.filter((r) => parseEmployee(r).ok).length;
  }
  const seconds = (performance.now() - started) / 1000;
  const stats = sandbox.stats.snapshot().requests;
  const sent = Object.values(stats).reduce(
    (n, byStatus) => n + Object.values(byStatus).reduce((a, b) => a + b, 0),
    0,
  );
  const limited = Object.values(stats).reduce((n, byStatus) => n + (byStatus['429'] ?? 0), 0);
  console.log(
    `${version}: ${employees} employees (${parsed} parsed), ${latencyMs} ms latency, concurrency ${concurrency}: ` +
      `${sent} requests (${limited} answered 429), ${seconds.toFixed(1)} s`,
  );
  await sandbox.close();
}
