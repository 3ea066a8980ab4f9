/**
 * `npm run sandbox`: both sandbox servers, for trying the import without credentials and for
 * poking at them by hand.
 *
 *   npm run sandbox -- --employees 500 --seed 42 --dirty --personio-port 8701 --jumpcloud-port 8702
 *   npm run sandbox -- --jumpcloud-latency-ms 50 --jumpcloud-jitter-ms 20 --jumpcloud-rate-limit 50 \
 *     --jumpcloud-retry-after --jumpcloud-fault-rate 0.1 --jumpcloud-reset-rate 0.02
 *
 * Prints the base URLs and the credentials to use; Ctrl-C stops both. Faults can also be
 * changed while running: POST /_sandbox/faults on either server.
 */
import { join } from 'node:path';
import { Command, Option } from 'commander';
import { pino } from 'pino';
import { faultSettingsSchema, type FaultSettings } from './faults.js';
import {
  createJumpCloudSandbox,
  SANDBOX_JUMPCLOUD_API_KEY,
  SANDBOX_JUMPCLOUD_CLIENT_ID,
  SANDBOX_JUMPCLOUD_CLIENT_SECRET,
} from './jumpcloud/server.js';
import {
  createPersonioSandbox,
  PERSONIO_EMPLOYEES_RATE_LIMIT,
  SANDBOX_CLIENT_ID,
  SANDBOX_CLIENT_SECRET,
} from './personio/server.js';
import { webhookFaultsSchema, type WebhookFaults } from './personio/webhooks.js';

type System = 'personio' | 'jumpcloud';
const faultFlags: {
  flag: string;
  key: keyof FaultSettings;
  kind: 'int' | 'number' | 'boolean';
  help: string;
}[] = [
  { flag: 'latency-ms', key: 'latencyMs', kind: 'int', help: 'fixed delay before every answer' },
  { flag: 'jitter-ms', key: 'jitterMs', kind: 'int', help: '± random delay on top of the latency' },
  {
    flag: 'rate-limit',
    key: 'rateLimit',
    kind: 'number',
    help: 'requests/s allowed (token bucket), then 429',
  },
  { flag: 'retry-after', key: 'retryAfter', kind: 'boolean', help: 'send Retry-After with the 429s' },
  { flag: 'fault-rate', key: 'faultRate', kind: 'number', help: 'fraction of requests answered 500/502/503' },
  { flag: 'reset-rate', key: 'resetRate', kind: 'number', help: 'fraction of connections reset' },
  { flag: 'stall-ms', key: 'stallMs', kind: 'int', help: 'hold every request this long' },
  { flag: 'expire-tokens', key: 'expireTokens', kind: 'boolean', help: 'expire every token issued so far' },
  {
    flag: 'membership-lag-ms',
    key: 'membershipLagMs',
    kind: 'int',
    help: 'group membership reads lag writes',
  },
];

/**
 * An option stored under a key of its own. Commander keys `--no-x` and `--x <value>` both as
 * `x`: `--no-personio-rate-limit` (default true) then read as the fault `--personio-rate-limit 1`
 * and throttled every run to 1 request/s.
 */
class KeyedOption extends Option {
  constructor(
    flags: string,
    description: string,
    private readonly key: string,
  ) {
    super(flags, description);
  }
  override attributeName(): string {
    return this.key;
  }
}

const program = new Command()
  .name('npm run sandbox --')
  .description('Sandbox Personio and JumpCloud API servers on loopback.')
  .option('--employees <n>', 'generated Personio employees', '500')
  .option('--seed <n>', 'data seed (same seed, same company)', '42')
  .option('--dirty', 'add the broken records real accounts contain', false)
  .option('--personio-port <n>', 'Personio port (0 = any free port)', '8701')
  .option('--jumpcloud-port <n>', 'JumpCloud port (0 = any free port)', '8702')
  .option('--personio-client-id <id>', 'Personio client id to accept', SANDBOX_CLIENT_ID)
  .option('--personio-client-secret <secret>', 'Personio client secret to accept', SANDBOX_CLIENT_SECRET)
  .option('--jumpcloud-api-key <key>', 'JumpCloud API key to accept', SANDBOX_JUMPCLOUD_API_KEY)
  .option('--jumpcloud-org-id <id>', 'require this x-org-id (24 hex characters)')
  .addOption(
    new KeyedOption(
      '--no-personio-rate-limit',
      `turn off Personio's employees limit (${PERSONIO_EMPLOYEES_RATE_LIMIT.perMinute}/min, bursts of ${PERSONIO_EMPLOYEES_RATE_LIMIT.perSecond}/s)`,
      'personioEmployeesLimit',
    ),
  )
  .option('--no-personio-v2-rate-limit', 'turn off Personio v2’s per-endpoint limits (30/s, bucket of 100)')
  .option('--personio-webhook-drop-rate <fraction>', 'webhooks: fraction of deliveries never sent')
  .option('--personio-webhook-duplicate-rate <fraction>', 'webhooks: fraction of deliveries sent twice')
  .option('--personio-webhook-delay-ms <ms>', 'webhooks: delay before every delivery')
  .option(
    '--personio-webhook-reorder-window-ms <ms>',
    'webhooks: hold deliveries this long, send newest first',
  )
  .option(
    '--personio-webhook-retry-time-scale <factor>',
    'webhooks: multiply the retry delays (1 = a minute up to 2 days)',
  )
  .option('--strict-auth', 'refuse Personio query-string credentials (as after December 2026)', false)
  .option('--state-dir <dir>', 'keep both servers’ state in this folder across restarts')
  .option('--log', 'log every request', false);
for (const system of ['personio', 'jumpcloud'] as const) {
  for (const f of faultFlags) {
    const option = new Option(
      `--${system}-${f.flag}${f.kind === 'boolean' ? '' : ' <value>'}`,
      `${system}: ${f.help}`,
    );
    program.addOption(option);
  }
}
// Two flags on one key overwrite each other's values (see KeyedOption): refuse to start.
const keys = program.options.map((o) => o.attributeName());
const shared = keys.filter((k, i) => keys.indexOf(k) !== i);
if (shared.length > 0) throw new Error(`sandbox flags share option keys: ${shared.join(', ')}`);
program.parse();
const opts = program.opts<Record<string, string | boolean | undefined>>();

function fail(message: string): never {
  console.error(`${message}\nSee npm run sandbox -- --help`);
  process.exit(2);
}

function whole(name: string, raw: unknown, min = 0): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min)
    fail(`--${name} must be a whole number ≥ ${min}; got "${String(raw)}"`);
  return n;
}

function faultsFor(system: System): Partial<FaultSettings> {
  const raw: Record<string, unknown> = {};
  for (const f of faultFlags) {
    const camel = `${system}-${f.flag}`.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
    const value = opts[camel];
    if (value === undefined) continue;
    raw[f.key] = f.kind === 'boolean' ? true : Number(value);
  }
  const parsed = faultSettingsSchema.partial().safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const flag = faultFlags.find((f) => f.key === issue.path[0])?.flag ?? String(issue.path[0]);
    fail(`--${system}-${flag}: ${issue.message}`);
  }
  return parsed.data;
}

function webhookFaults(): Partial<WebhookFaults> {
  const flags = {
    dropRate: 'personio-webhook-drop-rate',
    duplicateRate: 'personio-webhook-duplicate-rate',
    delayMs: 'personio-webhook-delay-ms',
    reorderWindowMs: 'personio-webhook-reorder-window-ms',
  } as const;
  const raw: Record<string, number> = {};
  for (const [key, flag] of Object.entries(flags)) {
    const value = opts[flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase())];
    if (value !== undefined) raw[key] = Number(value);
  }
  const parsed = webhookFaultsSchema.partial().safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    fail(`--${flags[issue.path[0] as keyof typeof flags]}: ${issue.message}`);
  }
  return parsed.data;
}

function timeScale(): number | undefined {
  const raw = opts.personioWebhookRetryTimeScale;
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!(n >= 0 && n <= 10))
    fail(`--personio-webhook-retry-time-scale must be a number from 0 to 10; got "${String(raw)}"`);
  return n;
}

const stateDir = typeof opts.stateDir === 'string' ? opts.stateDir : undefined;
const logger = opts.log ? pino({ name: 'sandbox' }) : undefined;
const personio = createPersonioSandbox({
  employees: whole('employees', opts.employees),
  seed: whole('seed', opts.seed),
  dirty: opts.dirty === true,
  clientId: String(opts.personioClientId),
  clientSecret: String(opts.personioClientSecret),
  strictAuth: opts.strictAuth === true,
  employeesRateLimit: opts.personioEmployeesLimit === false ? false : PERSONIO_EMPLOYEES_RATE_LIMIT,
  faults: faultsFor('personio'),
  v2RateLimit: opts.personioV2RateLimit === false ? false : undefined,
  webhookFaults: webhookFaults(),
  webhookRetryTimeScale: timeScale(),
  stateFile: stateDir ? join(stateDir, 'personio.json') : undefined,
  logger: logger?.child({ system: 'personio' }),
});
const orgId = typeof opts.jumpcloudOrgId === 'string' ? opts.jumpcloudOrgId : undefined;
if (orgId && !/^[0-9a-f]{24}$/i.test(orgId))
  fail(`--jumpcloud-org-id must be 24 hex characters; got "${orgId}"`);
const jumpcloud = createJumpCloudSandbox({
  apiKey: String(opts.jumpcloudApiKey),
  orgId,
  faults: faultsFor('jumpcloud'),
  stateFile: stateDir ? join(stateDir, 'jumpcloud.json') : undefined,
  logger: opts.log === true,
});

try {
  await personio.listen(whole('personio-port', opts.personioPort));
  await jumpcloud.listen(whole('jumpcloud-port', opts.jumpcloudPort));
} catch (err) {
  fail(
    `cannot listen: ${(err as Error).message} (choose other ports with --personio-port / --jumpcloud-port, or 0)`,
  );
}

console.log(`Personio sandbox:  ${personio.url}
  PERSONIO_BASE_URL=${personio.url}
  PERSONIO_CLIENT_ID=${String(opts.personioClientId)}
  PERSONIO_CLIENT_SECRET=${String(opts.personioClientSecret)}
JumpCloud sandbox: ${jumpcloud.url}
  JUMPCLOUD_BASE_URL=${jumpcloud.url}
  JUMPCLOUD_API_KEY=${String(opts.jumpcloudApiKey)}${orgId ? `\n  JUMPCLOUD_ORG_ID=${orgId}` : ''}
  or, as a service account (token at ${jumpcloud.url}/oauth2/token):
  JUMPCLOUD_CLIENT_ID=${SANDBOX_JUMPCLOUD_CLIENT_ID}
  JUMPCLOUD_CLIENT_SECRET=${SANDBOX_JUMPCLOUD_CLIENT_SECRET}
  Personio v2 (same data): POST /v2/auth/token (form), GET /v2/persons, /v2/webhooks
Admin (both): GET /_sandbox/stats, GET|POST /_sandbox/faults, POST /_sandbox/reset; JumpCloud: GET /_sandbox/state
  Personio webhooks: GET /_sandbox/webhooks, POST /_sandbox/webhooks/faults
Ctrl-C stops both.`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void Promise.all([personio.close(), jumpcloud.close()]).then(() => process.exit(0));
  });
}
