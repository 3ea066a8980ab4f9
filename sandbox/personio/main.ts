/**
 * Start the Personio sandbox from the command line (Personio's employees rate limit is on
 * here, unlike the in-process default):
 *
 *   npx tsx sandbox/personio/main.ts --employees 1000 --seed 7 --dirty --port 4010
 *
 * Prints "personio sandbox listening on <url>" once ready; Ctrl-C stops it.
 */
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { faultSettingsSchema } from '../faults.js';
import { createPersonioSandbox, PERSONIO_EMPLOYEES_RATE_LIMIT } from './server.js';

const usage = `Options:
  --host <ip>               listen address (127.0.0.1)
  --port <n>                port, 0 for a free one (4010)
  --employees <n>           generated employees (1000)
  --seed <n>                data seed (1)
  --dirty                   include the broken records real accounts contain
  --strict-auth             refuse query-string credentials (403)
  --scope <a,b,…>           readable attribute keys (default: all)
  --no-rate-limit           turn Personio's employees rate limit off
  --rate-per-minute <n>     employees requests per minute (300)
  --rate-per-second <n>     employees burst per second (15)
  --no-auth-rate-limit      turn the auth limit (60/min + 60 s cool-down) off
  --faults <json>           initial fault switches, e.g. '{"latencyMs":200}'
  --state-file <path>       keep the company in this JSON file across restarts
  --page-cache-mb <n>       memory for cached list pages (64)
  --client-id <id>          (sandbox-client-id)
  --client-secret <secret>  (sandbox-client-secret)
  --quiet                   no request logging`;

const { values } = parseArgs({
  options: {
    host: { type: 'string', default: '127.0.0.1' },
    port: { type: 'string', default: '4010' },
    employees: { type: 'string', default: '1000' },
    seed: { type: 'string', default: '1' },
    dirty: { type: 'boolean', default: false },
    'strict-auth': { type: 'boolean', default: false },
    scope: { type: 'string' },
    'no-rate-limit': { type: 'boolean', default: false },
    'rate-per-minute': { type: 'string', default: String(PERSONIO_EMPLOYEES_RATE_LIMIT.perMinute) },
    'rate-per-second': { type: 'string', default: String(PERSONIO_EMPLOYEES_RATE_LIMIT.perSecond) },
    'no-auth-rate-limit': { type: 'boolean', default: false },
    faults: { type: 'string' },
    'state-file': { type: 'string' },
    'page-cache-mb': { type: 'string', default: '64' },
    'client-id': { type: 'string' },
    'client-secret': { type: 'string' },
    quiet: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});

if (values.help) {
  console.log(usage);
  process.exit(0);
}

function integer(name: string, raw: string): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) {
    console.error(`--${name} must be a whole number, got "${raw}"\n${usage}`);
    process.exit(2);
  }
  return n;
}

const sandbox = createPersonioSandbox({
  employees: integer('employees', values.employees),
  seed: integer('seed', values.seed),
  dirty: values.dirty,
  strictAuth: values['strict-auth'],
  scope: values.scope?.split(',').map((s) => s.trim()),
  employeesRateLimit: values['no-rate-limit']
    ? false
    : {
        perMinute: integer('rate-per-minute', values['rate-per-minute']),
        perSecond: integer('rate-per-second', values['rate-per-second']),
      },
  authRateLimit: values['no-auth-rate-limit'] ? false : undefined,
  faults: values.faults ? faultSettingsSchema.partial().parse(JSON.parse(values.faults)) : undefined,
  stateFile: values['state-file'],
  pageCacheBytes: integer('page-cache-mb', values['page-cache-mb']) * 1024 * 1024,
  clientId: values['client-id'],
  clientSecret: values['client-secret'],
  logger: values.quiet ? undefined : pino({ name: 'personio-sandbox' }),
});

const url = await sandbox.listen(integer('port', values.port), values.host);
console.log(`personio sandbox listening on ${url}`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void sandbox.close().then(() => process.exit(0));
  });
}
