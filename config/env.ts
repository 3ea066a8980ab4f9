/**
 * Configuration from environment variables (and an optional `.env` file), validated in one
 * pass so that every problem is reported at once, each with the variable's name and an
 * example. Secrets may come from files (`<NAME>_FILE`), as Docker and Kubernetes secrets do.
 *
 * Secret values are never echoed in messages.
 */
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import type { Duration } from '@temporalio/common';
import { msToNumber } from '@temporalio/common/lib/time.js';
import { z } from 'zod';
import { loadKeyRing } from './payload-keys.js';
import { ConfigError } from './config-error.js';
import { registerSecret } from '../observability/redact.js';
import { DEFAULT_MAPPING, type AttributeMapping } from '../domain/attribute-mapping.js';
import { loadApprovalSettings } from './approver-keys.js';
import { onOff } from './on-off.js';
import { parseImportPolicy, STRICT_POLICY, type ImportPolicy } from '../domain/import-policy.js';
import { readAttributeMappingFile } from './attribute-mapping-file.js';
import { loadTemporalConnection } from './temporal-connection.js';

export { ConfigError } from './config-error.js';

type Env = Record<string, string | undefined>;

/** Reads NAME, or the file named by NAME_FILE (trimmed). Problems go to `problems`. */
export function readSecret(env: Env, name: string, problems: string[]): string | undefined {
  const value = readSecretValue(env, name, problems);
  // Every secret the configuration reads is kept out of log lines by value too.
  registerSecret(value);
  if (value && URL.canParse(value)) {
    const url = new URL(value);
    registerSecret(url.password);
    registerSecret(decodeURIComponent(url.password));
    if (url.pathname.length > 1) registerSecret(url.pathname);
  }
  return value;
}

function readSecretValue(env: Env, name: string, problems: string[]): string | undefined {
  const direct = env[name];
  const file = env[`${name}_FILE`];
  if (direct && file) {
    problems.push(
      `${name} and ${name}_FILE are both set: keep one (e.g. ${name}_FILE=/run/secrets/${name.toLowerCase()})`,
    );
    return undefined;
  }
  if (file) {
    try {
      const value = readFileSync(file, 'utf8').trim();
      if (!value) problems.push(`${name}_FILE points at an empty file (${file}): put the secret in it`);
      return value || undefined;
    } catch (err) {
      problems.push(
        `${name}_FILE=${file} cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'}): fix the path or permissions`,
      );
      return undefined;
    }
  }
  return direct?.trim() || undefined;
}

const httpUrl = (name: string, example: string) =>
  z
    .string({ error: `${name} is missing: set it, e.g. ${name}=${example}` })
    .refine((v) => URL.canParse(v) && /^https?:$/.test(new URL(v).protocol), {
      message: `${name} must be an http(s) URL, e.g. ${name}=${example}`,
    })
    .transform((v) => v.replace(/\/+$/, ''));

export const temporalSettingsSchema = z.object({
  address: z.string().min(1).default('127.0.0.1:7233'),
  namespace: z.string().min(1).default('default'),
  taskQueue: z.string().min(1).default('personio-jumpcloud-sync'),
});
export type TemporalSettings = z.infer<typeof temporalSettingsSchema>;

export function loadTemporalSettings(env: Env = process.env): TemporalSettings {
  return temporalSettingsSchema.parse({
    address: env.TEMPORAL_ADDRESS || undefined,
    namespace: env.TEMPORAL_NAMESPACE || undefined,
    taskQueue: env.TEMPORAL_TASK_QUEUE || undefined,
  });
}

export interface ApiSettings {
  personio: {
    baseUrl: string;
    clientId: string;
    clientSecret: string;
    appId: string;
    /** PERSONIO_API_VERSION: which Personio API the import reads (v1 unless set). */
    apiVersion?: 'v1' | 'v2';
  };
  jumpcloud: {
    baseUrl: string;
    /** An administrator's API key, or … */
    apiKey?: string;
    /** … a Service Account's client credentials (README, "JumpCloud Service Accounts"). */
    serviceAccount?: { clientId: string; clientSecret: string; tokenUrl: string };
    orgId: string | undefined;
  };
}

/**
 * JumpCloud's token endpoint for a console host: the region's label goes before
 * "jumpcloud.com" (console.eu.jumpcloud.com → admin-oauth.id.eu.jumpcloud.com). Any other
 * host (the sandbox, a proxy) serves it at `<base>/oauth2/token`.
 */
export function defaultJumpCloudTokenUrl(baseUrl: string): string {
  const host = new URL(baseUrl).hostname.toLowerCase();
  const region = /^console\.(?:([a-z]{2})\.)?jumpcloud\.com$/.exec(host);
  if (region) return `https://admin-oauth.id.${region[1] ? `${region[1]}.` : ''}jumpcloud.com/oauth2/token`;
  return `${baseUrl.replace(/\/+$/, '')}/oauth2/token`;
}

const apiSchema = z.object({
  personioBaseUrl: httpUrl('PERSONIO_BASE_URL', 'https://api.personio.de'),
  jumpcloudBaseUrl: httpUrl('JUMPCLOUD_BASE_URL', 'https://console.jumpcloud.com'),
  jumpcloudOrgId: z
    .string()
    .regex(
      /^[0-9a-f]{24}$/i,
      'JUMPCLOUD_ORG_ID must be a 24-character hex id, e.g. JUMPCLOUD_ORG_ID=5f1b2c3d4e5f6a7b8c9d0e1f',
    )
    .optional(),
});

/** The API endpoints and credentials the worker needs. Throws ConfigError listing every problem. */
export function loadApiSettings(env: Env = process.env): ApiSettings {
  const problems: string[] = [];
  const clientId = readSecret(env, 'PERSONIO_CLIENT_ID', problems);
  const clientSecret = readSecret(env, 'PERSONIO_CLIENT_SECRET', problems);
  const apiKey = readSecret(env, 'JUMPCLOUD_API_KEY', problems);
  const jcClientId = readSecret(env, 'JUMPCLOUD_CLIENT_ID', problems);
  const jcClientSecret = readSecret(env, 'JUMPCLOUD_CLIENT_SECRET', problems);
  // A secret whose _FILE could not be read is already reported; don't call it missing as well.
  const missing = (name: string, value: string | undefined) => !value && !env[`${name}_FILE`];
  if (missing('PERSONIO_CLIENT_ID', clientId))
    problems.push(
      'PERSONIO_CLIENT_ID is missing: set it (or PERSONIO_CLIENT_ID_FILE), e.g. PERSONIO_CLIENT_ID=papi-1a2b3c',
    );
  if (missing('PERSONIO_CLIENT_SECRET', clientSecret))
    problems.push(
      'PERSONIO_CLIENT_SECRET is missing: set it or PERSONIO_CLIENT_SECRET_FILE=/run/secrets/personio_client_secret',
    );
  const given = (name: string, value: string | undefined) => Boolean(value) || Boolean(env[`${name}_FILE`]);
  const hasKey = given('JUMPCLOUD_API_KEY', apiKey);
  const hasClientId = given('JUMPCLOUD_CLIENT_ID', jcClientId);
  const hasClientSecret = given('JUMPCLOUD_CLIENT_SECRET', jcClientSecret);
  if (hasKey && (hasClientId || hasClientSecret))
    problems.push(
      'JUMPCLOUD_API_KEY and JUMPCLOUD_CLIENT_ID/JUMPCLOUD_CLIENT_SECRET are both set: keep one credential ' +
        '(a service account is recommended: README, "JumpCloud Service Accounts")',
    );
  else if (hasClientId !== hasClientSecret)
    problems.push(
      `${hasClientId ? 'JUMPCLOUD_CLIENT_SECRET' : 'JUMPCLOUD_CLIENT_ID'} is missing: a service account needs both ` +
        'JUMPCLOUD_CLIENT_ID and JUMPCLOUD_CLIENT_SECRET (or their _FILE), e.g. JUMPCLOUD_CLIENT_SECRET_FILE=/run/secrets/jumpcloud_client_secret',
    );
  else if (!hasKey && !hasClientId)
    problems.push(
      'JumpCloud credentials are missing: set JUMPCLOUD_CLIENT_ID and JUMPCLOUD_CLIENT_SECRET of a service account ' +
        '(or their _FILE; recommended), or JUMPCLOUD_API_KEY (or JUMPCLOUD_API_KEY_FILE=/run/secrets/jumpcloud_api_key)',
    );
  const tokenUrl = env.JUMPCLOUD_TOKEN_URL?.trim();
  if (tokenUrl && !(URL.canParse(tokenUrl) && /^https?:$/.test(new URL(tokenUrl).protocol)))
    problems.push(
      'JUMPCLOUD_TOKEN_URL must be an http(s) URL, e.g. JUMPCLOUD_TOKEN_URL=https://admin-oauth.id.eu.jumpcloud.com/oauth2/token',
    );
  const parsed = apiSchema.safeParse({
    personioBaseUrl: env.PERSONIO_BASE_URL ?? 'https://api.personio.de',
    jumpcloudBaseUrl: env.JUMPCLOUD_BASE_URL ?? 'https://console.jumpcloud.com',
    jumpcloudOrgId: env.JUMPCLOUD_ORG_ID || undefined,
  });
  if (!parsed.success) problems.push(...parsed.error.issues.map((i) => i.message));
  const apiVersion = env.PERSONIO_API_VERSION || 'v1';
  if (apiVersion !== 'v1' && apiVersion !== 'v2')
    problems.push(`PERSONIO_API_VERSION must be v1 or v2, e.g. PERSONIO_API_VERSION=v2; got "${apiVersion}"`);
  if (problems.length > 0 || !parsed.success) throw new ConfigError(problems);
  return {
    personio: {
      baseUrl: parsed.data.personioBaseUrl,
      clientId: clientId!,
      clientSecret: clientSecret!,
      appId: env.PERSONIO_APP_ID || 'PERSONIO_JUMPCLOUD_SYNC',
      apiVersion: apiVersion as 'v1' | 'v2',
    },
    jumpcloud: {
      baseUrl: parsed.data.jumpcloudBaseUrl,
      ...(jcClientId && jcClientSecret
        ? {
            serviceAccount: {
              clientId: jcClientId,
              clientSecret: jcClientSecret,
              tokenUrl: tokenUrl || defaultJumpCloudTokenUrl(parsed.data.jumpcloudBaseUrl),
            },
          }
        : { apiKey: apiKey! }),
      orgId: parsed.data.jumpcloudOrgId,
    },
  };
}

export interface WorkerTuning {
  /** Activities one worker runs at once. */
  maxConcurrentActivities: number;
  /** HTTP requests in flight to JumpCloud from one worker. */
  jumpcloudMaxConcurrency: number;
  jumpcloudRequestsPerSecond: number | null;
  personioMaxConcurrency: number;
  /** Personio requests in any second and in any minute (its documented limit: 15 and 300). */
  personioRequestsPerSecond: number | null;
  personioRequestsPerMinute?: number | null;
  /** PERSONIO_SHARED_BUDGET: pace Personio with every worker of the task queue (on by default). */
  personioSharedBudget?: boolean;
}

export interface NotifySettings {
  smtpUrl?: string;
  from: string;
  defaultRecipients: string[];
  defaultWebhookUrl?: string;
}

function positiveNumber(
  env: Env,
  name: string,
  fallback: number | null,
  problems: string[],
  integer = true,
): number | null {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
    problems.push(
      `${name} must be a positive ${integer ? 'whole ' : ''}number, e.g. ${name}=${fallback ?? 10}; got "${raw}"`,
    );
    return fallback;
  }
  return value;
}

/** How hard this worker drives the APIs. Defaults stay well inside JumpCloud's habits (≤ 8 in flight). */
export function loadWorkerTuning(env: Env = process.env): WorkerTuning {
  const problems: string[] = [];
  const tuning: WorkerTuning = {
    maxConcurrentActivities: positiveNumber(env, 'WORKER_MAX_CONCURRENT_ACTIVITIES', 16, problems)!,
    jumpcloudMaxConcurrency: positiveNumber(env, 'JUMPCLOUD_MAX_CONCURRENCY', 4, problems)!,
    jumpcloudRequestsPerSecond: positiveNumber(env, 'JUMPCLOUD_REQUESTS_PER_SECOND', null, problems, false),
    personioMaxConcurrency: positiveNumber(env, 'PERSONIO_MAX_CONCURRENCY', 4, problems)!,
    // Personio's documented limit on the employees endpoint: 300 a minute, bursts of 15 a second.
    personioRequestsPerSecond: positiveNumber(env, 'PERSONIO_REQUESTS_PER_SECOND', 15, problems, false),
    personioRequestsPerMinute: positiveNumber(env, 'PERSONIO_REQUESTS_PER_MINUTE', 300, problems, false)!,
    personioSharedBudget: onOff(env, 'PERSONIO_SHARED_BUDGET', true, problems),
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return tuning;
}

export function loadNotifySettings(env: Env = process.env): NotifySettings {
  const problems: string[] = [];
  const smtpUrl = readSecret(env, 'SMTP_URL', problems);
  if (smtpUrl && !/^smtps?:\/\//.test(smtpUrl))
    problems.push('SMTP_URL must start with smtp:// or smtps://, e.g. SMTP_URL=smtp://mail.example.com:587');
  const webhook = readSecret(env, 'NOTIFY_WEBHOOK_URL', problems);
  if (webhook && !(URL.canParse(webhook) && /^https?:$/.test(new URL(webhook).protocol))) {
    problems.push(
      'NOTIFY_WEBHOOK_URL must be an http(s) URL, e.g. NOTIFY_WEBHOOK_URL=https://hooks.slack.com/services/…',
    );
  }
  const recipients = (env.NOTIFY_EMAIL ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const r of recipients)
    if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(r))
      problems.push(
        `NOTIFY_EMAIL has an invalid address "${r}": use a comma-separated list like it@example.com,hr@example.com`,
      );
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    smtpUrl,
    from: env.NOTIFY_FROM || 'personio-jumpcloud-sync <noreply@localhost>',
    defaultRecipients: recipients,
    defaultWebhookUrl: webhook,
  };
}

/**
 * The attribute mapping: ATTRIBUTE_MAPPING_FILE names a JSON file (README, "Custom attribute
 * mapping"); unset, the README's mapping table applies. Each problem names the variable and the
 * file, so it reads right among the other configuration problems.
 */
export function loadAttributeMapping(env: Env = process.env): AttributeMapping {
  const file = env.ATTRIBUTE_MAPPING_FILE?.trim();
  if (!file) return DEFAULT_MAPPING;
  const result = readAttributeMappingFile(file, `ATTRIBUTE_MAPPING_FILE=${file}`);
  if (!result.ok) throw new ConfigError(result.problems);
  return result.mapping;
}

/**
 * The import policy: IMPORT_POLICY_FILE names a JSON file (README, "Import policy"); unset, the
 * worker is strict (STRICT_POLICY: its own NOTIFY_* destinations, the default safeguards as floors).
 */
export function loadImportPolicy(env: Env = process.env): ImportPolicy {
  const file = env.IMPORT_POLICY_FILE?.trim();
  if (!file) return STRICT_POLICY;
  const label = `IMPORT_POLICY_FILE=${file}`;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    throw new ConfigError([`${label}: cannot be read (${code}): fix the path or permissions`]);
  }
  const result = parseImportPolicy(text, label);
  if (!result.ok) throw new ConfigError(result.problems);
  return result.policy;
}

/** Everything a worker needs, with the problems of every part reported together. */
export function loadWorkerConfig(env: Env = process.env) {
  const problems: string[] = [];
  const attempt = <T>(load: () => T): T | undefined => {
    try {
      return load();
    } catch (err) {
      if (err instanceof ConfigError) problems.push(...err.problems);
      else throw err;
      return undefined;
    }
  };
  const temporal = attempt(() => loadTemporalSettings(env));
  const connection = attempt(() => loadTemporalConnection(env));
  const api = attempt(() => loadApiSettings(env));
  const tuning = attempt(() => loadWorkerTuning(env));
  const notify = attempt(() => loadNotifySettings(env));
  const payloadKeys = attempt(() => loadKeyRing(env));
  const mapping = attempt(() => loadAttributeMapping(env));
  const own = attempt(() => loadWorkerProcessSettings(env));
  const policy = attempt(() => loadImportPolicy(env));
  const approval = attempt(() => loadApprovalSettings(env));
  if (
    problems.length > 0 ||
    !temporal ||
    !connection ||
    !api ||
    !tuning ||
    !notify ||
    payloadKeys === undefined ||
    !mapping ||
    !own ||
    !policy ||
    !approval
  ) {
    throw new ConfigError(problems);
  }
  return { temporal, connection, api, tuning, notify, payloadKeys, mapping, process: own, policy, approval };
}

export interface WorkerProcessSettings {
  /** GET /healthz here (HEALTH_BIND_ADDRESS). */
  health?: { host: string; port: number };
  /** Prometheus metrics here (METRICS_BIND_ADDRESS), as the Temporal Runtime wants it: ip:port. */
  metricsBindAddress?: string;
  /** WORKER_SHUTDOWN_GRACE as Temporal takes it (e.g. "60s"). */
  shutdownGrace: string;
  logLevel: string;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** "host:port" (IPv6 in brackets) → parts, or a problem naming the variable. */
function bindAddress(
  env: Env,
  name: string,
  example: string,
  problems: string[],
  ipOnly: boolean,
): { host: string; port: number } | undefined {
  const raw = env[name]?.trim();
  if (!raw) return undefined;
  const colon = raw.lastIndexOf(':');
  const host = colon > 0 ? raw.slice(0, colon).replace(/^\[(.*)\]$/, '$1') : '';
  const port = Number(raw.slice(colon + 1));
  const hostOk = ipOnly ? isIP(host) !== 0 : host.length > 0;
  if (colon <= 0 || !hostOk || !Number.isInteger(port) || port < 1 || port > 65535) {
    problems.push(
      `${name} must be ${ipOnly ? 'an IP address' : 'a host'} and a port (1-65535), e.g. ${name}=${example}; got "${raw}"`,
    );
    return undefined;
  }
  return { host, port };
}

function isDuration(text: string): boolean {
  try {
    return msToNumber(text as Duration) >= 0;
  } catch {
    return false;
  }
}

/** The worker process's own settings: endpoints, shutdown grace, log level. */
export function loadWorkerProcessSettings(env: Env = process.env): WorkerProcessSettings {
  const problems: string[] = [];
  const health = bindAddress(env, 'HEALTH_BIND_ADDRESS', '0.0.0.0:8080', problems, false);
  const metrics = bindAddress(env, 'METRICS_BIND_ADDRESS', '0.0.0.0:9464', problems, true);
  const shutdownGrace = env.WORKER_SHUTDOWN_GRACE?.trim() || '60s';
  if (!isDuration(shutdownGrace))
    problems.push(
      `WORKER_SHUTDOWN_GRACE must be a duration such as 60s, 2m or 90000 (ms), e.g. WORKER_SHUTDOWN_GRACE=60s; got "${shutdownGrace}"`,
    );
  const logLevel = env.LOG_LEVEL?.trim() || 'info';
  if (!LOG_LEVELS.includes(logLevel))
    problems.push(
      `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, e.g. LOG_LEVEL=info; got "${logLevel}"`,
    );
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    health,
    metricsBindAddress: metrics ? env.METRICS_BIND_ADDRESS!.trim() : undefined,
    shutdownGrace,
    logLevel,
  };
}

export interface ReceiverSettings {
  /** RECEIVER_BIND_ADDRESS: where the receiver listens (loopback unless told otherwise). */
  bind: { host: string; port: number };
  /** PERSONIO_WEBHOOK_TOKEN(_FILE): the exact `Authorization` value Personio sends. */
  webhookToken: string;
  /** RECEIVER_BODY_LIMIT_BYTES: larger bodies are refused with 413. */
  bodyLimitBytes: number;
  /** RECEIVER_DEBOUNCE_MS: how long the changes workflow gathers before importing. */
  debounceMs: number;
  /** RECEIVER_IMPORT_OPTIONS: JSON import options for each batch (as `--input-json`). */
  importOptions: Record<string, unknown>;
  logLevel: string;
}

/** The webhook receiver's settings (`npm run receiver`). Throws ConfigError listing every problem. */
export function loadReceiverSettings(env: Env = process.env): ReceiverSettings {
  const problems: string[] = [];
  const bind = env.RECEIVER_BIND_ADDRESS?.trim()
    ? bindAddress(env, 'RECEIVER_BIND_ADDRESS', '127.0.0.1:8790', problems, false)
    : { host: '127.0.0.1', port: 8790 };
  const webhookToken = readSecret(env, 'PERSONIO_WEBHOOK_TOKEN', problems);
  if (!webhookToken && !env.PERSONIO_WEBHOOK_TOKEN_FILE)
    problems.push(
      'PERSONIO_WEBHOOK_TOKEN is missing: set it (or PERSONIO_WEBHOOK_TOKEN_FILE) to the token the webhook sends, e.g. PERSONIO_WEBHOOK_TOKEN="Bearer 7f0c3c1e9a…"',
    );
  else if (webhookToken && webhookToken.length < 16)
    problems.push(
      'PERSONIO_WEBHOOK_TOKEN is too short: use at least 16 random characters (openssl rand -hex 24)',
    );
  const bodyLimitBytes = positiveNumber(env, 'RECEIVER_BODY_LIMIT_BYTES', 65_536, problems)!;
  const debounceMs = Number(env.RECEIVER_DEBOUNCE_MS ?? 1000);
  if (!Number.isInteger(debounceMs) || debounceMs < 0 || debounceMs > 60_000)
    problems.push(
      `RECEIVER_DEBOUNCE_MS must be a whole number of milliseconds from 0 to 60000, e.g. RECEIVER_DEBOUNCE_MS=1000`,
    );
  let importOptions: Record<string, unknown> = {};
  if (env.RECEIVER_IMPORT_OPTIONS?.trim()) {
    try {
      const parsed: unknown = JSON.parse(env.RECEIVER_IMPORT_OPTIONS);
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
      importOptions = parsed as Record<string, unknown>;
    } catch {
      problems.push(
        `RECEIVER_IMPORT_OPTIONS must be a JSON object of import options, e.g. RECEIVER_IMPORT_OPTIONS='{"safeguards":null}'`,
      );
    }
  }
  const logLevel = env.LOG_LEVEL || 'info';
  if (!LOG_LEVELS.includes(logLevel))
    problems.push(
      `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, e.g. LOG_LEVEL=info; got "${logLevel}"`,
    );
  if (problems.length > 0 || !bind || !webhookToken) throw new ConfigError(problems);
  return { bind, webhookToken, bodyLimitBytes, debounceMs, importOptions, logLevel };
}

/** What `cli webhooks` needs: the import's Personio credentials, and the webhook token for subscribe. */
export function loadWebhookAdminSettings(
  env: Env = process.env,
  needToken = false,
): { personio: ApiSettings['personio']; webhookToken: string | undefined } {
  const problems: string[] = [];
  const clientId = readSecret(env, 'PERSONIO_CLIENT_ID', problems);
  const clientSecret = readSecret(env, 'PERSONIO_CLIENT_SECRET', problems);
  if (!clientId && !env.PERSONIO_CLIENT_ID_FILE)
    problems.push(
      'PERSONIO_CLIENT_ID is missing: set it (or PERSONIO_CLIENT_ID_FILE), e.g. PERSONIO_CLIENT_ID=papi-1a2b3c',
    );
  if (!clientSecret && !env.PERSONIO_CLIENT_SECRET_FILE)
    problems.push(
      'PERSONIO_CLIENT_SECRET is missing: set it or PERSONIO_CLIENT_SECRET_FILE=/run/secrets/personio_client_secret',
    );
  const baseUrl = httpUrl('PERSONIO_BASE_URL', 'https://api.personio.de').safeParse(
    env.PERSONIO_BASE_URL ?? 'https://api.personio.de',
  );
  if (!baseUrl.success) problems.push(...baseUrl.error.issues.map((i) => i.message));
  const webhookToken = needToken ? readSecret(env, 'PERSONIO_WEBHOOK_TOKEN', problems) : undefined;
  if (needToken && !webhookToken && !env.PERSONIO_WEBHOOK_TOKEN_FILE)
    problems.push(
      'PERSONIO_WEBHOOK_TOKEN is missing: set it (or PERSONIO_WEBHOOK_TOKEN_FILE) to the token the receiver expects, e.g. PERSONIO_WEBHOOK_TOKEN="Bearer 7f0c3c1e9a…"',
    );
  if (problems.length > 0 || !baseUrl.success) throw new ConfigError(problems);
  return {
    personio: {
      baseUrl: baseUrl.data,
      clientId: clientId!,
      clientSecret: clientSecret!,
      appId: env.PERSONIO_APP_ID || 'PERSONIO_JUMPCLOUD_SYNC',
      apiVersion: 'v2',
    },
    webhookToken,
  };
}
