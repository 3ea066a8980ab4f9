/**
 * Personio v2 webhooks in the sandbox (shared/docs/personio-api-v2.md §7): subscriptions, the
 * events every change to a person or employment raises, and their delivery: a JSON envelope
 * POSTed to each ENABLED subscription that wants the event, the token verbatim in
 * `Authorization`, acknowledged by a 2xx within 3 s, redirects not followed; timeouts and 5xx
 * (except 501) retried with growing delays, each attempt of up to two requests (fast attempt).
 * Every request is recorded as activity; events stay listable and redeliverable for 30 days.
 *
 * Fault switches for deliveries (drop, duplicate, delay, reorder) act like a lossy network
 * between Personio and the receiver: a dropped event is still in the event log, so redelivery
 * recovers it, as with Personio.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { RecordChange } from './store.js';
import { employmentIdOf } from './v2-render.js';

export const WEBHOOK_EVENTS = [
  'person.created',
  'person.updated',
  'person.deleted',
  'employment.created',
  'employment.updated',
  'employment.deleted',
] as const;

/** Personio's reserved header names (custom headers must not equal or start with these). */
const RESERVED_HEADERS = [
  'host',
  'content-length',
  'transfer-encoding',
  'connection',
  'upgrade',
  'te',
  'trailer',
  'expect',
  'content-type',
];

export const webhookFaultsSchema = z
  .object({
    /** Fraction of deliveries never sent (the event stays in the log for redelivery). */
    dropRate: z.number().min(0).max(1),
    /** Fraction of deliveries sent twice. */
    duplicateRate: z.number().min(0).max(1),
    /** Extra delay before each delivery. */
    delayMs: z.number().int().min(0).max(600_000),
    /** Hold deliveries for this long and send them newest first. 0 = off. */
    reorderWindowMs: z.number().int().min(0).max(600_000),
  })
  .strict();
export type WebhookFaults = z.infer<typeof webhookFaultsSchema>;
export const noWebhookFaults: WebhookFaults = {
  dropRate: 0,
  duplicateRate: 0,
  delayMs: 0,
  reorderWindowMs: 0,
};

/** Delays between attempts (Personio's exact schedule is unknown; six retries within ~3 days). */
export const RETRY_DELAYS_MS = [
  60_000,
  5 * 60_000,
  30 * 60_000,
  2 * 3_600_000,
  12 * 3_600_000,
  48 * 3_600_000,
];
export const DELIVERY_TIMEOUT_MS = 3000;
const RETENTION_MS = 30 * 24 * 3_600_000;

export interface Webhook {
  id: string;
  url: string;
  description: string;
  status: 'ENABLED' | 'DISABLED';
  auth_type: 'NONE' | 'TOKEN' | 'CUSTOM';
  token?: string;
  custom_headers?: Record<string, string>;
  enabled_events: string[];
  created_at: string;
  updated_at: string;
}

export interface WebhookEvent {
  id: string;
  event_name: string;
  occurred_at: string;
  payload: Record<string, { id: string }>;
}

export interface ActivityEntry {
  id: string;
  webhook_id: string;
  event_id: string;
  event_name: string;
  occurred_at: string;
  completed_at: string;
  attempt: number;
  is_delivered: boolean;
  status_code: number | null;
  error?: string;
}

export const webhookInputSchema = z
  .object({
    url: z.string().url(),
    description: z.string().max(500),
    status: z.enum(['ENABLED', 'DISABLED']).default('DISABLED'),
    auth_type: z.enum(['NONE', 'TOKEN', 'CUSTOM']).default('TOKEN'),
    token: z.string().min(1).max(1000).optional(),
    custom_headers: z.record(z.string(), z.string()).optional(),
    enabled_events: z.array(z.string().min(1)).min(1),
  })
  .strict();
export type WebhookInput = z.input<typeof webhookInputSchema>;

export const COMPANY_ID = '98765';

/** One change of a record → the events Personio raises for it. */
export function eventsFor(change: RecordChange): { name: string; payload: WebhookEvent['payload'] }[] {
  const person = { id: String(change.id) };
  const employment = { id: employmentIdOf(change.id) };
  if (change.kind === 'inserted') {
    return [
      { name: 'person.created', payload: { person } },
      { name: 'employment.created', payload: { employment, person } },
    ];
  }
  if (change.kind === 'removed') {
    return [
      { name: 'employment.deleted', payload: { employment, person } },
      { name: 'person.deleted', payload: { person } },
    ];
  }
  const personKeys = new Set(['first_name', 'last_name', 'email', 'gender', 'preferred_name']);
  const keys = change.keys.filter((k) => k !== 'last_modified_at');
  const events: { name: string; payload: WebhookEvent['payload'] }[] = [];
  if (keys.some((k) => personKeys.has(k) || k.startsWith('dynamic_')))
    events.push({ name: 'person.updated', payload: { person } });
  if (keys.some((k) => !personKeys.has(k) && !k.startsWith('dynamic_')))
    events.push({ name: 'employment.updated', payload: { employment, person } });
  return events;
}

/** A problem with a management request: its HTTP status and what was wrong. */
export class WebhookInputError extends Error {
  constructor(
    readonly status: 404 | 409 | 422,
    message: string,
  ) {
    super(message);
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

export interface WebhookOptions {
  now: () => number;
  /** Multiplies the retry delays (tests use 0.001: a minute becomes 60 ms). */
  retryTimeScale?: number;
  faults?: Partial<WebhookFaults>;
}

export class WebhookCenter {
  private hooks = new Map<string, Webhook>();
  private events: WebhookEvent[] = [];
  private activity: ActivityEntry[] = [];
  private held: { hook: Webhook; event: WebhookEvent }[] = [];
  private holdTimer: NodeJS.Timeout | undefined;
  private inFlight = new Set<Promise<void>>();
  private closed = false;
  faults: WebhookFaults;
  retryTimeScale: number;
  readonly counts = { raised: 0, sent: 0, delivered: 0, dropped: 0, duplicated: 0, failed: 0 };

  constructor(private readonly options: WebhookOptions) {
    this.faults = webhookFaultsSchema.parse({ ...noWebhookFaults, ...options.faults });
    this.retryTimeScale = options.retryTimeScale ?? 1;
  }

  setFaults(patch: Partial<WebhookFaults>): WebhookFaults {
    this.faults = webhookFaultsSchema.parse({ ...this.faults, ...patch });
    return this.faults;
  }

  list(): Webhook[] {
    return [...this.hooks.values()];
  }

  get(id: string): Webhook | undefined {
    return this.hooks.get(id);
  }

  private validate(input: z.output<typeof webhookInputSchema>, except?: string): void {
    const url = new URL(input.url);
    const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
    // Personio delivers to HTTPS only; the sandbox also allows plain HTTP to loopback receivers.
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback))
      throw new WebhookInputError(422, 'url must be an HTTPS endpoint');
    if (input.auth_type === 'TOKEN' && !input.token)
      throw new WebhookInputError(422, 'token is required with auth_type TOKEN');
    if (input.auth_type === 'CUSTOM') {
      const headers = Object.keys(input.custom_headers ?? {});
      if (headers.length === 0 || headers.length > 3)
        throw new WebhookInputError(422, 'custom_headers must hold 1 to 3 headers with auth_type CUSTOM');
      const reserved = headers.find((h) => RESERVED_HEADERS.some((r) => h.toLowerCase().startsWith(r)));
      if (reserved) throw new WebhookInputError(422, `custom header ${reserved} is reserved`);
    }
    const known = new Set<string>(WEBHOOK_EVENTS);
    const unknown = input.enabled_events.find((e) => !known.has(e));
    if (unknown) throw new WebhookInputError(422, `unknown event ${unknown}`);
    for (const hook of this.hooks.values())
      if (hook.id !== except && hook.url === input.url)
        throw new WebhookInputError(409, 'a webhook with this URL already exists');
  }

  create(raw: unknown): Webhook {
    const input = webhookInputSchema.parse(raw);
    this.validate(input);
    const at = iso(this.options.now());
    const hook: Webhook = { id: randomUUID(), ...input, created_at: at, updated_at: at };
    this.hooks.set(hook.id, hook);
    return hook;
  }

  update(id: string, raw: unknown): Webhook {
    const hook = this.hooks.get(id);
    if (!hook) throw new WebhookInputError(404, 'webhook not found');
    const patch = webhookInputSchema.partial().parse(raw);
    const merged = webhookInputSchema.parse({
      url: hook.url,
      description: hook.description,
      status: hook.status,
      auth_type: hook.auth_type,
      token: hook.token,
      custom_headers: hook.custom_headers,
      enabled_events: hook.enabled_events,
      ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)),
    });
    this.validate(merged, id);
    const updated: Webhook = { ...hook, ...merged, updated_at: iso(this.options.now()) };
    this.hooks.set(id, updated);
    return updated;
  }

  delete(id: string): boolean {
    return this.hooks.delete(id);
  }

  /** The webhook as the API shows it: the token is never echoed back. */
  static view(hook: Webhook): Omit<Webhook, 'token'> {
    const { token: _token, ...rest } = hook;
    return rest;
  }

  /** A store change: raise its events and deliver them to every enabled subscription that wants them. */
  raise(change: RecordChange): void {
    for (const { name, payload } of eventsFor(change)) this.emit(name, payload);
  }

  emit(name: string, payload: WebhookEvent['payload'], only?: Webhook): WebhookEvent {
    const now = this.options.now();
    const event: WebhookEvent = { id: randomUUID(), event_name: name, occurred_at: iso(now), payload };
    this.events = this.events.filter((e) => Date.parse(e.occurred_at) > now - RETENTION_MS);
    this.events.push(event);
    this.counts.raised++;
    const targets = only
      ? [only]
      : [...this.hooks.values()].filter((h) => h.status === 'ENABLED' && h.enabled_events.includes(name));
    for (const hook of targets) this.schedule(hook, event);
    return event;
  }

  eventsOf(hook: Webhook): WebhookEvent[] {
    const since = Date.parse(hook.created_at);
    return this.events.filter(
      (e) =>
        e.event_name === 'ping' ||
        (hook.enabled_events.includes(e.event_name) && Date.parse(e.occurred_at) >= since),
    );
  }

  activityOf(id: string): ActivityEntry[] {
    return this.activity.filter((a) => a.webhook_id === id);
  }

  /** Redeliver the given events (already in the log) to one webhook, faults bypassed. */
  redeliver(hook: Webhook, events: WebhookEvent[]): void {
    for (const event of events) this.track(this.deliver(hook, event));
  }

  private schedule(hook: Webhook, event: WebhookEvent): void {
    if (this.closed) return;
    const f = this.faults;
    if (f.dropRate > 0 && Math.random() < f.dropRate) {
      this.counts.dropped++;
      return;
    }
    const copies = f.duplicateRate > 0 && Math.random() < f.duplicateRate ? 2 : 1;
    if (copies === 2) this.counts.duplicated++;
    for (let i = 0; i < copies; i++) {
      if (f.reorderWindowMs > 0) {
        this.held.push({ hook, event });
        this.holdTimer ??= setTimeout(() => this.release(), f.reorderWindowMs);
      } else {
        this.track(this.deliverAfter(f.delayMs, hook, event));
      }
    }
  }

  /** The held deliveries go out newest first. */
  private release(): void {
    this.holdTimer = undefined;
    const held = this.held.reverse();
    this.held = [];
    for (const { hook, event } of held) this.track(this.deliverAfter(this.faults.delayMs, hook, event));
  }

  private track(promise: Promise<void>): void {
    this.inFlight.add(promise);
    void promise.finally(() => this.inFlight.delete(promise));
  }

  private async deliverAfter(delayMs: number, hook: Webhook, event: WebhookEvent): Promise<void> {
    if (delayMs > 0) await sleep(delayMs);
    await this.deliver(hook, event);
  }

  private async deliver(hook: Webhook, event: WebhookEvent): Promise<void> {
    const body = JSON.stringify({
      company_id: COMPANY_ID,
      event_name: event.event_name,
      occurred_at: event.occurred_at,
      payload: event.payload,
      meta: {},
    });
    for (let attempt = 0; attempt <= RETRY_DELAYS_MS.length; attempt++) {
      if (attempt > 0) await sleep(RETRY_DELAYS_MS[attempt - 1]! * this.retryTimeScale);
      // The subscription as it is now: deleted or disabled meanwhile means no more attempts.
      const current = this.hooks.get(hook.id);
      if (this.closed || !current || current.status !== 'ENABLED') return;
      // A fast attempt: up to two requests in a row.
      for (let request = 0; request < 2; request++) {
        const outcome = await this.post(current, body);
        this.activity.push({
          id: randomUUID(),
          webhook_id: current.id,
          event_id: event.id,
          event_name: event.event_name,
          occurred_at: event.occurred_at,
          completed_at: iso(this.options.now()),
          attempt: attempt + 1,
          is_delivered: outcome.delivered,
          status_code: outcome.status,
          ...(outcome.error ? { error: outcome.error } : {}),
        });
        if (outcome.delivered) {
          this.counts.delivered++;
          return;
        }
        if (!outcome.retry) {
          this.counts.failed++;
          return;
        }
      }
    }
    this.counts.failed++;
  }

  private async post(
    hook: Webhook,
    body: string,
  ): Promise<{ delivered: boolean; retry: boolean; status: number | null; error?: string }> {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'user-agent': 'Personio-Webhooks-Sandbox',
    };
    if (hook.auth_type === 'TOKEN' && hook.token) headers.authorization = hook.token;
    if (hook.auth_type === 'CUSTOM') Object.assign(headers, hook.custom_headers);
    this.counts.sent++;
    try {
      const response = await fetch(hook.url, {
        method: 'POST',
        headers,
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
      });
      await response.body?.cancel().catch(() => {});
      const status = response.status;
      if (status >= 200 && status < 300) return { delivered: true, retry: false, status };
      return { delivered: false, retry: status >= 500 && status !== 501, status };
    } catch (error) {
      const name = (error as Error).name;
      return {
        delivered: false,
        retry: true,
        status: null,
        error: name === 'TimeoutError' ? 'timeout' : 'connection failed',
      };
    }
  }

  /** Wait until nothing is being delivered (tests). */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0 || this.held.length > 0) {
      await Promise.allSettled([...this.inFlight]);
      if (this.held.length > 0) await sleep(10);
    }
  }

  reset(): void {
    this.hooks.clear();
    this.events = [];
    this.activity = [];
    this.held = [];
    this.faults = { ...noWebhookFaults };
    for (const key of Object.keys(this.counts) as (keyof typeof this.counts)[]) this.counts[key] = 0;
  }

  close(): void {
    this.closed = true;
    if (this.holdTimer) clearTimeout(this.holdTimer);
  }
}
