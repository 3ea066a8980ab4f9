/**
 * Personio v2 client (PERSONIO_API_VERSION=v2): the same three reads the import makes of v1
 * (authenticate, a page of employees by record offset, one employee) answered from
 * `/v2/persons`, each person's employments and the lookups (org units, legal entities,
 * workplaces, cost centers), and turned into v1-shaped records, so domain/personio-record.ts
 * parses them and the activities stay version-agnostic. Facts: shared/docs/personio-api-v2.md.
 *
 * v2 pages by cursor and has no total and no global employments list, while the import asks for
 * pages by offset. So the client walks the persons list once per snapshot (50 a request),
 * keeps the ordered ids, and reads a page's employments (one request per person) when the page
 * is asked for. A snapshot lives SNAPSHOT_TTL_MS; a delta run (its first question names
 * `updatedSince`) walks the full listing again for its scan. A person's converted record is
 * reused within the TTL while the person's `updated_at` is unchanged, so the scan, preview and
 * apply of one run read each person once. Whether Personio moves a person's `updated_at` when
 * only the employment changes is unknown: such a change can be seen up to SNAPSHOT_TTL_MS late
 * (the sandbox moves it). `getEmployee` always reads fresh.
 *
 * Pacing is clients/http.ts's, one limiter per credential shared with every activity of the
 * worker: at most PERSONIO_V2_REQUESTS_PER_SECOND (the refill rate observed on `/v2/persons`, so
 * a bucket never runs dry) unless the settings say otherwise; the `x-ratelimit-*` headers of
 * every answer are followed (no token left: the next request waits for one); a 429, sent
 * without Retry-After, makes every request wait a second and is sent again. The token is
 * clients/bearer-session.ts's, as for v1.
 */
import { z } from 'zod';
import { ApiError } from './api-error.js';
import { BearerSession } from './bearer-session.js';
import { HttpClient, type RequestObserver } from './http.js';
import { perSecondRules, type RateRule } from './rate-limiter.js';
import type { EmployeePage, PageQuery, PersonioSettings } from './personio.js';

export const SNAPSHOT_TTL_MS = 15 * 60_000;
const PAGE_SIZE = 50;
/** Personio's observed refill rate of a v2 endpoint's bucket (`x-ratelimit-replenish-rate` on /v2/persons). */
export const PERSONIO_V2_REQUESTS_PER_SECOND = 30;

const tokenResponse = z.object({ access_token: z.string().min(1), expires_in: z.number().optional() });
const link = z.object({ href: z.string() }).partial().nullish();
const listResponse = z.object({
  _data: z.array(z.looseObject({})),
  _meta: z.looseObject({ links: z.looseObject({ next: link }).nullish() }).nullish(),
});
const ref = z.looseObject({ id: z.union([z.string(), z.number()]).transform(String) }).nullish();

const personSchema = z.looseObject({
  id: z.union([z.string(), z.number()]).transform(String),
  email: z.string().nullish(),
  first_name: z.string().nullish(),
  last_name: z.string().nullish(),
  gender: z.string().nullish(),
  status: z.string().nullish(),
  created_at: z.string().nullish(),
  updated_at: z.string().nullish(),
  custom_attributes: z
    .array(
      z.looseObject({
        id: z.string(),
        type: z.string().nullish(),
        global_id: z.string().nullish(),
        label: z.string().nullish(),
        value: z.unknown(),
      }),
    )
    .nullish(),
});
type Person = z.infer<typeof personSchema>;

const employmentSchema = z.looseObject({
  id: z.string().nullish(),
  status: z.string().nullish(),
  position: z.looseObject({ title: z.string().nullish() }).nullish(),
  type: z.string().nullish(),
  weekly_working_hours: z.number().nullish(),
  employment_start_date: z.string().nullish(),
  employment_end_date: z.string().nullish(),
  created_at: z.string().nullish(),
  updated_at: z.string().nullish(),
  supervisor: ref,
  office: ref,
  legal_entity: ref,
  sub_company: ref,
  org_units: z
    .array(z.looseObject({ type: z.string(), id: z.union([z.string(), z.number()]).transform(String) }))
    .nullish(),
  cost_centers: z
    .array(
      z.looseObject({
        id: z.union([z.string(), z.number()]).transform(String),
        weight: z.number().nullish(),
      }),
    )
    .nullish(),
  termination: z
    .looseObject({ termination_date: z.string().nullish(), last_working_day: z.string().nullish() })
    .nullish(),
});
type Employment = z.infer<typeof employmentSchema>;

/** v2 custom attribute types (lower or upper case) → the v1 attribute type the parser expects. */
const v1Type: Record<string, string> = {
  string: 'standard',
  int: 'integer',
  double: 'decimal',
  date: 'date',
  boolean: 'standard',
  string_list: 'tags',
};

interface Snapshot {
  at: number;
  ids: string[];
  persons: Map<string, Person>;
}

interface CachedRecord {
  /** The person's `updated_at` when read: a record is reused only while it is unchanged. */
  updatedAt: string | null | undefined;
  at: number;
  record: Promise<unknown>;
}

/** The integer id of a v2 string id, or null (the v1 shape has numeric ids). */
const numericId = (id: string | undefined | null): number | null =>
  id && /^\d+$/.test(id) && Number.isSafeInteger(Number(id)) ? Number(id) : null;

export class PersonioV2Client {
  private readonly http: HttpClient;
  private readonly session = new BearerSession(() => this.fetchToken());
  private readonly snapshots = new Map<string, Promise<Snapshot>>();
  /** Converted records by person id, across snapshots (see listEmployees). */
  private readonly records = new Map<string, CachedRecord>();
  private lookupCache: { at: number; values: Map<string, Promise<string | null>> } = {
    at: 0,
    values: new Map(),
  };

  constructor(
    private readonly settings: PersonioSettings & { snapshotTtlMs?: number },
    observe?: RequestObserver,
  ) {
    this.http = new HttpClient(
      'Personio',
      {
        baseUrl: settings.baseUrl,
        headers: { 'x-personio-app-id': settings.appId },
        maxConcurrency: settings.maxConcurrency ?? 4,
        rateRules: v2Rules(settings.requestsPerSecond),
        // v2 sends no Retry-After with its 429s: wait a second (Personio's v1 advice), as v1 does.
        rateLimitedWaitMs: 1000,
        timeoutMs: settings.timeoutMs,
        sharedBudget: settings.sharedBudget,
      },
      observe,
    );
  }

  /** Requests sent to Personio by this client so far. */
  get requestsSent(): number {
    return this.http.requestsSent;
  }

  private get ttl(): number {
    return this.settings.snapshotTtlMs ?? SNAPSHOT_TTL_MS;
  }

  async authenticate(): Promise<void> {
    await this.session.renew();
  }

  private async fetchToken(): Promise<string> {
    try {
      const { body } = await this.http.request<unknown>(
        'authentication (POST /v2/auth/token)',
        '/v2/auth/token',
        {
          method: 'POST',
          form: {
            grant_type: 'client_credentials',
            client_id: this.settings.clientId,
            client_secret: this.settings.clientSecret,
          },
        },
      );
      const parsed = tokenResponse.safeParse(body);
      if (!parsed.success)
        throw new ApiError(
          'Personio',
          'invalid',
          'Personio v2 authentication answered without an access token',
        );
      return parsed.data.access_token;
    } catch (err) {
      // Any 4xx from the token endpoint is a credential problem (400 invalid_client, or 401).
      if (
        err instanceof ApiError &&
        err.status !== undefined &&
        err.status >= 400 &&
        err.status < 500 &&
        err.status !== 429
      ) {
        throw new ApiError(
          'Personio',
          'credentials',
          'Personio rejected the API credentials (v2 token endpoint): check PERSONIO_CLIENT_ID and PERSONIO_CLIENT_SECRET ' +
            '(Personio → Marketplace → Connected integrations) and that the credential is active.',
          err.status,
        );
      }
      throw err;
    }
  }

  /** An authenticated GET; a 401/403 drops the token and tries once more with a fresh one. */
  private async get<T>(
    describe: string,
    path: string,
    searchParams?: URLSearchParams,
    headers: Record<string, string> = {},
  ): Promise<T> {
    return this.session.send(
      async (token) =>
        (
          await this.http.request<T>(describe, path, {
            headers: { authorization: `Bearer ${token}`, ...headers },
            ...(searchParams ? { searchParams } : {}),
          })
        ).body,
      (err) =>
        new ApiError(
          'Personio',
          'credentials',
          `Personio refused ${describe} with a fresh token: the API credential lacks the scope personio:persons:read ` +
            'or the readable attributes (Personio → API credentials).',
          err.status,
        ),
    );
  }

  /** Every item of a cursor-paged list; the cursor is taken from `next.href`, whose origin is ignored. */
  private async *walk(
    describe: string,
    path: string,
    params: URLSearchParams,
    headers: Record<string, string> = {},
  ) {
    const seen = new Set<string>();
    let query = params;
    for (;;) {
      const body = await this.get<unknown>(describe, path, query, headers);
      const parsed = listResponse.safeParse(body);
      if (!parsed.success)
        throw new ApiError(
          'Personio',
          'invalid',
          `Personio ${describe} has an unexpected shape: ${parsed.error.issues[0]?.message}`,
        );
      yield parsed.data._data;
      const next = parsed.data._meta?.links?.next?.href;
      if (!next || parsed.data._data.length === 0) return;
      const cursor = new URL(next, this.settings.baseUrl).searchParams.get('cursor');
      if (!cursor) return;
      if (seen.has(cursor))
        throw new ApiError(
          'Personio',
          'invalid',
          `Personio ${describe}: a page links to itself (cursor repeats)`,
        );
      seen.add(cursor);
      // The filters and limit go along with the cursor (accepted either way, per the facts page).
      query = new URLSearchParams(params);
      query.set('cursor', cursor);
    }
  }

  private snapshot(updatedSince: string | undefined): Promise<Snapshot> {
    const key = updatedSince ?? '*';
    const existing = this.snapshots.get(key);
    if (existing) return existing;
    // A delta run starts here (its first question is what changed): the directory scan that
    // follows must see everyone as they are now, so the full listing is walked again. Records
    // of people whose updated_at did not move are reused.
    if (updatedSince !== undefined) this.snapshots.delete('*');
    const made = this.readSnapshot(updatedSince).catch((err: unknown) => {
      this.snapshots.delete(key);
      throw err;
    });
    this.snapshots.set(key, made);
    // Forget it after the TTL; the next page request walks again.
    const timer = setTimeout(() => {
      if (this.snapshots.get(key) === made) this.snapshots.delete(key);
    }, this.ttl);
    timer.unref();
    return made;
  }

  private async readSnapshot(updatedSince: string | undefined): Promise<Snapshot> {
    const params = new URLSearchParams({ limit: String(PAGE_SIZE) });
    if (updatedSince) {
      // v1's updated_since is inclusive; v2 has only `.gt`: one second earlier, whole seconds, UTC.
      const ms = Date.parse(updatedSince);
      if (Number.isNaN(ms))
        throw new ApiError('Personio', 'invalid', `updatedSince is not a date: ${updatedSince}`);
      params.set(
        'updated_at.gt',
        new Date(Math.floor(ms / 1000) * 1000 - 1000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      );
    }
    const persons = new Map<string, Person>();
    for await (const items of this.walk('person list (GET /v2/persons)', '/v2/persons', params)) {
      for (const item of items) {
        const parsed = personSchema.safeParse(item);
        if (parsed.success) persons.set(parsed.data.id, parsed.data);
      }
    }
    // In id order (numerically where ids are numbers), as v1 lists employees.
    const ids = [...persons.keys()].sort((a, b) => {
      const na = numericId(a);
      const nb = numericId(b);
      return na !== null && nb !== null ? na - nb : a < b ? -1 : a > b ? 1 : 0;
    });
    return { at: Date.now(), ids, persons };
  }

  async listEmployees(query: PageQuery): Promise<EmployeePage> {
    const snapshot = await this.snapshot(query.updatedSince);
    const ids = snapshot.ids.slice(query.offset, query.offset + query.limit);
    const now = Date.now();
    const records = await Promise.all(
      ids.map((id) => {
        const person = snapshot.persons.get(id)!;
        const cached = this.records.get(id);
        if (cached && cached.updatedAt === person.updated_at && now - cached.at < this.ttl)
          return cached.record;
        const record = this.recordOf(person);
        this.records.set(id, { updatedAt: person.updated_at, at: now, record });
        record.catch(() => this.records.delete(id));
        return record;
      }),
    );
    return { records, totalElements: snapshot.ids.length, offset: query.offset, limit: query.limit };
  }

  /** One person, read fresh; null when Personio no longer knows the id. */
  async getEmployee(id: number | string): Promise<unknown> {
    try {
      const body = await this.get<unknown>(
        'person read (GET /v2/persons/{id})',
        `/v2/persons/${encodeURIComponent(String(id))}`,
      );
      const parsed = personSchema.safeParse(body);
      if (!parsed.success)
        throw new ApiError(
          'Personio',
          'invalid',
          `Personio person ${id} has an unexpected shape: ${parsed.error.issues[0]?.message}`,
        );
      return await this.recordOf(parsed.data);
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) return null;
      throw err;
    }
  }

  /** The person's current employment: the first of the list (most recent first). */
  private async currentEmployment(personId: string): Promise<Employment | null> {
    try {
      const body = await this.get<unknown>(
        'employment list (GET /v2/persons/{id}/employments)',
        `/v2/persons/${encodeURIComponent(personId)}/employments`,
        new URLSearchParams({ limit: '1' }),
      );
      const parsed = listResponse.safeParse(body);
      if (!parsed.success) return null;
      const first = employmentSchema.safeParse(parsed.data._data[0]);
      return first.success ? first.data : null;
    } catch (err) {
      // Removed between the person list and this read: no employment.
      if (err instanceof ApiError && err.status === 404) return null;
      throw err;
    }
  }

  /** A name behind an id, cached for the snapshot TTL; null when Personio does not know it. */
  private lookup(kind: string, id: string, read: () => Promise<string | null>): Promise<string | null> {
    if (Date.now() - this.lookupCache.at > this.ttl) this.lookupCache = { at: Date.now(), values: new Map() };
    const key = `${kind}:${id}`;
    let value = this.lookupCache.values.get(key);
    if (!value) {
      value = read().catch((err: unknown) => {
        this.lookupCache.values.delete(key);
        throw err;
      });
      this.lookupCache.values.set(key, value);
    }
    return value;
  }

  private async nameOf(
    path: string,
    describe: string,
    params?: URLSearchParams,
    beta = false,
  ): Promise<string | null> {
    try {
      const body = await this.get<Record<string, unknown>>(
        describe,
        path,
        params,
        beta ? { beta: 'true' } : {},
      );
      if (Array.isArray(body._data)) {
        const first = body._data[0] as { name?: unknown } | undefined;
        return typeof first?.name === 'string' ? first.name : null;
      }
      return typeof body.name === 'string' ? body.name : null;
    } catch (err) {
      if (err instanceof ApiError && (err.status === 404 || err.status === 412)) return null;
      throw err;
    }
  }

  private orgUnit(type: 'department' | 'team', id: string) {
    return this.lookup(type, id, () =>
      this.nameOf(
        `/v2/org-units/${encodeURIComponent(id)}`,
        `org unit (GET /v2/org-units/{id})`,
        new URLSearchParams({ type }),
      ),
    );
  }

  /** A v2 person and its current employment as a v1 employee record. */
  private async recordOf(person: Person): Promise<unknown> {
    const e = await this.currentEmployment(person.id);
    const department = e?.org_units?.find((u) => u.type.toLowerCase() === 'department')?.id;
    const team = e?.org_units?.find((u) => u.type.toLowerCase() === 'team')?.id;
    const office = e?.office?.id;
    const legalEntity = e?.legal_entity?.id;
    const [departmentName, teamName, officeName, legalName, costCenterNames] = await Promise.all([
      department ? this.orgUnit('department', department) : null,
      team ? this.orgUnit('team', team) : null,
      office
        ? this.lookup('workplace', office, () =>
            this.nameOf(
              '/v2/workplaces',
              'workplace (GET /v2/workplaces)',
              new URLSearchParams({ id: office }),
              true,
            ),
          )
        : null,
      legalEntity
        ? this.lookup('legal-entity', legalEntity, () =>
            this.nameOf(
              `/v2/legal-entities/${encodeURIComponent(legalEntity)}`,
              'legal entity (GET /v2/legal-entities/{id})',
            ),
          )
        : null,
      Promise.all(
        (e?.cost_centers ?? []).map((cc) =>
          this.lookup('cost-center', cc.id, () =>
            this.nameOf(
              '/v2/cost-centers',
              'cost center (GET /v2/cost-centers)',
              new URLSearchParams({ id: cc.id }),
              true,
            ),
          ),
        ),
      ),
    ]);

    const wrap = (label: string, value: unknown, type = 'standard', universal: string | null = null) => ({
      label,
      value,
      type,
      universal_id: universal,
    });
    const unit = (type: string, id: string | undefined, name: string | null) =>
      id && numericId(id) !== null && name !== null
        ? { type, attributes: { id: numericId(id), name } }
        : null;
    const attributes: Record<string, unknown> = {
      id: wrap('ID', numericId(person.id) ?? person.id, 'integer', 'id'),
    };
    if (person.first_name != null)
      attributes.first_name = wrap('First name', person.first_name, 'standard', 'first_name');
    if (person.last_name != null)
      attributes.last_name = wrap('Last name', person.last_name, 'standard', 'last_name');
    if (person.email != null) attributes.email = wrap('Email', person.email, 'standard', 'email');
    if (person.gender != null)
      attributes.gender = wrap('Gender', person.gender.toLowerCase(), 'standard', 'gender');
    // The employment's status is the fine-grained one; the person's only says ACTIVE/INACTIVE.
    const status = e?.status && e.status !== 'UNSPECIFIED' ? e.status : person.status;
    if (status) attributes.status = wrap('Status', status.toLowerCase(), 'standard', 'status');
    if (e) {
      attributes.position = wrap('Position', e.position?.title ?? null, 'standard', 'position');
      const supervisor = numericId(e.supervisor?.id);
      attributes.supervisor = wrap(
        'Supervisor',
        supervisor === null
          ? null
          : { type: 'Employee', attributes: { id: wrap('ID', supervisor, 'integer', 'id') } },
        'standard',
        'supervisor',
      );
      if (e.type && e.type !== 'UNSPECIFIED')
        attributes.employment_type = wrap(
          'Employment type',
          e.type.toLowerCase(),
          'standard',
          'employment_type',
        );
      if (e.weekly_working_hours != null)
        attributes.weekly_working_hours = wrap(
          'Weekly hours',
          String(e.weekly_working_hours),
          'standard',
          'weekly_working_hours',
        );
      attributes.hire_date = wrap('Hire date', e.employment_start_date ?? null, 'date', 'hire_date');
      attributes.termination_date = wrap(
        'Termination date',
        e.termination?.termination_date ?? e.employment_end_date ?? null,
        'date',
        'termination_date',
      );
      attributes.subcompany = wrap(
        'Subcompany',
        unit('Subcompany', legalEntity, legalName),
        'standard',
        'subcompany',
      );
      attributes.office = wrap('Office', unit('Office', office, officeName), 'standard', 'office');
      attributes.department = wrap(
        'Department',
        unit('Department', department, departmentName),
        'standard',
        'department',
      );
      attributes.team = wrap('Team', unit('Team', team, teamName), 'standard', 'team');
      attributes.cost_centers = wrap(
        'Cost center',
        (e.cost_centers ?? []).flatMap((cc, i) => {
          const name = costCenterNames[i];
          return name == null
            ? []
            : [
                {
                  type: 'CostCenter',
                  attributes: { id: numericId(cc.id), name, percentage: cc.weight ?? null },
                },
              ];
        }),
        'standard',
        'cost_centers',
      );
    }
    if (person.created_at)
      attributes.created_at = wrap('created_at', person.created_at, 'date', 'created_at');
    const modified = [person.updated_at, e?.updated_at]
      .filter((v): v is string => !!v)
      .sort((a, b) => Date.parse(b) - Date.parse(a))[0];
    if (modified) attributes.last_modified_at = wrap('Last modified', modified, 'date', 'last_modified_at');
    for (const ca of person.custom_attributes ?? []) {
      attributes[ca.id] = wrap(
        ca.label ?? ca.id,
        ca.value,
        v1Type[(ca.type ?? 'string').toLowerCase()] ?? 'standard',
        ca.global_id ?? null,
      );
    }
    return { type: 'Employee', attributes };
  }

  /** An authenticated request with a JSON body (webhook management); a 401 renews the token once. */
  private async send<T>(
    describe: string,
    method: 'POST' | 'PATCH' | 'DELETE',
    path: string,
    json?: unknown,
  ): Promise<T> {
    return this.session.send(
      async (token) =>
        (
          await this.http.request<T>(describe, path, {
            method,
            headers: { authorization: `Bearer ${token}` },
            ...(json === undefined ? {} : { json }),
          })
        ).body,
      (err) => err,
      [401],
    );
  }

  /** Every webhook subscription (`GET /v2/webhooks`, all pages). */
  async listWebhooks(): Promise<PersonioWebhook[]> {
    const hooks: PersonioWebhook[] = [];
    for await (const items of this.walk(
      'webhook list (GET /v2/webhooks)',
      '/v2/webhooks',
      new URLSearchParams({ limit: '100' }),
    ))
      hooks.push(...items.map(webhookOf));
    return hooks;
  }

  async createWebhook(input: WebhookInput): Promise<PersonioWebhook> {
    return webhookOf(
      await this.send<unknown>('webhook create (POST /v2/webhooks)', 'POST', '/v2/webhooks', input),
    );
  }

  async updateWebhook(id: string, input: Partial<WebhookInput>): Promise<PersonioWebhook> {
    return webhookOf(
      await this.send<unknown>(
        'webhook update (PATCH /v2/webhooks/{id})',
        'PATCH',
        `/v2/webhooks/${encodeURIComponent(id)}`,
        input,
      ),
    );
  }

  async deleteWebhook(id: string): Promise<void> {
    await this.send<unknown>(
      'webhook delete (DELETE /v2/webhooks/{id})',
      'DELETE',
      `/v2/webhooks/${encodeURIComponent(id)}`,
    );
  }
}

export interface WebhookInput {
  url: string;
  description: string;
  status: 'ENABLED' | 'DISABLED';
  auth_type: 'TOKEN';
  token: string;
  enabled_events: string[];
}

export interface PersonioWebhook {
  id: string;
  url: string;
  status: string;
  description: string;
  enabledEvents: string[];
}

/** Whether the webhook object comes bare or under `_data` is undocumented: accept both. */
function webhookOf(raw: unknown): PersonioWebhook {
  const outer = (raw ?? {}) as Record<string, unknown>;
  const hook = (
    outer._data && typeof outer._data === 'object' && !Array.isArray(outer._data) ? outer._data : outer
  ) as Record<string, unknown>;
  if (typeof hook.id !== 'string' && typeof hook.id !== 'number')
    throw new ApiError('Personio', 'invalid', 'Personio answered a webhook request without a webhook id');
  return {
    id: String(hook.id),
    url: typeof hook.url === 'string' ? hook.url : '',
    status: typeof hook.status === 'string' ? hook.status : 'UNKNOWN',
    description: typeof hook.description === 'string' ? hook.description : '',
    enabledEvents: Array.isArray(hook.enabled_events) ? hook.enabled_events.map(String) : [],
  };
}

/**
 * The pacing rule: `requestsPerSecond` when the settings give one (null: none), else
 * PERSONIO_V2_REQUESTS_PER_SECOND. v1's per-minute limit belongs to v1's employees endpoint
 * and is not applied here.
 */
function v2Rules(requestsPerSecond: number | null | undefined): RateRule[] {
  return perSecondRules(
    requestsPerSecond === undefined ? PERSONIO_V2_REQUESTS_PER_SECOND : requestsPerSecond,
  );
}
