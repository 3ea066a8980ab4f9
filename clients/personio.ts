/**
 * Personio v1 client: authentication with a reused 24 h token, employee pages by record
 * offset, and a transparent re-authentication when a token stops working (expired or
 * revoked; clients/bearer-session.ts, shared with v2).
 */
import { z } from 'zod';
import { ApiError } from './api-error.js';
import { BearerSession } from './bearer-session.js';
import { expectAnswer, UnexpectedAnswer } from './unexpected-answer.js';
import { HttpClient, type HttpSettings, type RequestObserver } from './http.js';
import { PERSONIO_DOCUMENTED_RULES, perSecondRules, type RateRule } from './rate-limiter.js';

export interface PersonioSettings {
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  /** Sent as X-Personio-App-ID, as Personio asks integrations to. */
  appId: string;
  maxConcurrency?: number;
  /** Requests in any second and in any minute; default Personio's documented 15 and 300. */
  requestsPerSecond?: number | null;
  requestsPerMinute?: number | null;
  timeoutMs?: number;
  /** Pace together with the task queue's other workers (PERSONIO_SHARED_BUDGET). */
  sharedBudget?: HttpSettings['sharedBudget'];
}

const authResponse = z.object({
  success: z.literal(true),
  data: z.object({ token: z.string().min(1), expires_in: z.number().optional() }),
});

/** More employees than any Personio company has: a total above this is not believed. */
export const MAX_TOTAL_ELEMENTS = 1_000_000;

const pageResponse = z.object({
  success: z.literal(true),
  metadata: z
    .object({
      // An absurd total is refused before any work is planned from it (no company has a
      // million employees; a hostile or broken answer may claim so).
      total_elements: z.number().int().min(0).max(MAX_TOTAL_ELEMENTS, 'an absurd total_elements'),
      current_page: z.number().int(),
      total_pages: z.number().int().min(0).max(MAX_TOTAL_ELEMENTS, 'an absurd total_pages'),
    })
    .partial()
    .optional(),
  offset: z.number().int().optional(),
  limit: z.number().int().optional(),
  data: z.array(z.unknown()),
});

const employeeResponse = z.object({ success: z.literal(true), data: z.unknown() });

export interface EmployeePage {
  /** Raw records as Personio sent them; domain/personio-record.ts parses each one. */
  records: unknown[];
  totalElements: number;
  offset: number;
  limit: number;
}

export interface PageQuery {
  offset: number;
  limit: number;
  /** Project onto these attributes (`id` always comes back). */
  attributes?: string[];
  /** Only employees modified since (ISO 8601). */
  updatedSince?: string;
}

export class PersonioClient {
  private readonly http: HttpClient;
  private readonly session = new BearerSession(() => this.fetchToken());

  constructor(
    private readonly settings: PersonioSettings,
    observe?: RequestObserver,
  ) {
    this.http = new HttpClient(
      'Personio',
      {
        baseUrl: settings.baseUrl,
        headers: { 'x-personio-app-id': settings.appId },
        maxConcurrency: settings.maxConcurrency ?? 4,
        rateRules: personioRules(settings),
        // Personio sends no Retry-After with its 429s and documents "wait at least 1 s".
        rateLimitedWaitMs: 1000,
        timeoutMs: settings.timeoutMs,
        sharedBudget: settings.sharedBudget,
      },
      observe,
    );
  }

  /** Requests sent to Personio by this client so far (for the run's report and the bench). */
  get requestsSent(): number {
    return this.http.requestsSent;
  }

  /** Checks the credentials (and warms the token). Throws ApiError kind 'credentials' when rejected. */
  async authenticate(): Promise<void> {
    await this.session.renew();
  }

  private async fetchToken(): Promise<string> {
    try {
      const { body } = await this.http.request<unknown>('authentication (POST /v1/auth)', '/v1/auth', {
        method: 'POST',
        json: { client_id: this.settings.clientId, client_secret: this.settings.clientSecret },
      });
      const parsed = authResponse.safeParse(body);
      if (!parsed.success)
        throw new ApiError('Personio', 'invalid', 'Personio authentication answered without a token');
      return parsed.data.data.token;
    } catch (err) {
      if (err instanceof ApiError && (err.status === 401 || err.status === 403)) {
        throw new ApiError(
          'Personio',
          'credentials',
          'Personio rejected the API credentials (Wrong credentials): check PERSONIO_CLIENT_ID and PERSONIO_CLIENT_SECRET ' +
            '(Personio → Settings → Integrations → API credentials) and that the credential is active.',
          err.status,
        );
      }
      throw err;
    }
  }

  /** An authenticated GET; a 401/403 "not valid" token is renewed once, transparently. */
  private async get<T>(describe: string, path: string, searchParams: URLSearchParams): Promise<T> {
    return this.session.send(
      async (token) =>
        (
          await this.http.request<T>(describe, path, {
            headers: { authorization: `Bearer ${token}` },
            searchParams,
          })
        ).body,
      (err) =>
        new ApiError(
          'Personio',
          'credentials',
          `Personio refused ${describe} with a fresh token: the API credential lacks permission to read employees ` +
            '(Personio → API credentials → readable attributes).',
          err.status,
        ),
    );
  }

  /**
   * One employee's raw record (domain/personio-record.ts parses it), or null when Personio
   * no longer knows the id (404): a deleted employee is an answer, not an error.
   */
  async getEmployee(id: number): Promise<unknown> {
    try {
      const body = await this.get<unknown>(
        'employee read (GET /v1/company/employees/{id})',
        `/v1/company/employees/${id}`,
        new URLSearchParams(),
      );
      return expectAnswer(employeeResponse, body, 'Personio', 'GET /v1/company/employees/{id}').data;
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) return null;
      throw err;
    }
  }

  async listEmployees(query: PageQuery): Promise<EmployeePage> {
    const params = new URLSearchParams({ limit: String(query.limit), offset: String(query.offset) });
    for (const attribute of query.attributes ?? []) params.append('attributes[]', attribute);
    if (query.updatedSince) params.set('updated_since', query.updatedSince);
    const body = await this.get<unknown>(
      'employee list (GET /v1/company/employees)',
      '/v1/company/employees',
      params,
    );
    const page = expectAnswer(pageResponse, body, 'Personio', 'GET /v1/company/employees');
    if (page.data.length > query.limit)
      throw new UnexpectedAnswer(
        'Personio',
        'GET /v1/company/employees',
        `${page.data.length} records for limit ${query.limit}`,
      );
    return {
      records: page.data,
      totalElements: page.metadata?.total_elements ?? page.data.length,
      offset: page.offset ?? query.offset,
      limit: page.limit ?? query.limit,
    };
  }
}

/** The pacing rules: the settings where given (null turns one off), else Personio's documented ones. */
function personioRules(settings: PersonioSettings): RateRule[] {
  const [second, minute] = PERSONIO_DOCUMENTED_RULES;
  const perSecond = settings.requestsPerSecond === undefined ? second!.limit : settings.requestsPerSecond;
  const perMinute = settings.requestsPerMinute === undefined ? minute!.limit : settings.requestsPerMinute;
  // Personio's documented limit: counted from each answer (see clients/rate-limiter.ts).
  const rules = perSecondRules(perSecond, { countFrom: 'answer' });
  if (perMinute) rules.push({ limit: Math.max(1, perMinute), windowMs: 60_000 });
  return rules;
}
