/**
 * JumpCloud Directory API client: the system users, user groups, memberships and
 * application bindings the import needs. Idempotence lives here: "already exists" answers
 * (400/409) become lookups or successes, so a retried call never creates twice.
 */
import { z } from 'zod';
import { MANAGED_FIELDS } from '../domain/jumpcloud-fields.js';
import { ApiError } from './api-error.js';
import { expectAnswer } from './unexpected-answer.js';
import { HttpClient, type JsonResponse, type RequestObserver, type RequestOptions } from './http.js';
import {
  ServiceAccountRefused,
  ServiceAccountTokenSource,
  type ServiceAccountSettings,
} from './jumpcloud-token.js';

export interface JumpCloudSettings {
  baseUrl: string;
  /** An administrator's API key (x-api-key) … */
  apiKey?: string;
  /** … or a Service Account (OAuth client credentials, Authorization: Bearer): exactly one. */
  serviceAccount?: ServiceAccountSettings;
  orgId?: string;
  /** Requests in flight at once from this worker (JumpCloud's own tools stay under ~5–8). */
  maxConcurrency?: number;
  requestsPerSecond?: number | null;
  timeoutMs?: number;
}

const answer = <T>(schema: z.ZodType<T>, body: unknown, route: string): T =>
  expectAnswer(schema, body, 'JumpCloud', route);

export type UserState = 'STAGED' | 'ACTIVATED' | 'SUSPENDED';

export const systemUserSchema = z
  .object({
    _id: z.string(),
    username: z.string(),
    email: z.string(),
    state: z.enum(['STAGED', 'ACTIVATED', 'SUSPENDED']).optional(),
    suspended: z.boolean().optional(),
    employeeIdentifier: z.string().nullish(),
    manager: z.string().nullish(),
    // Custom attributes, [{name, value}]. Entries are taken as they come: the ones a mapping
    // does not manage are written back untouched (domain/custom-attributes.ts).
    attributes: z.array(z.unknown()).nullish(),
  })
  .passthrough();
export type SystemUser = z.infer<typeof systemUserSchema>;

const userList = z.object({ results: z.array(systemUserSchema), totalCount: z.number().optional() });
const group = z.object({ id: z.string(), name: z.string() }).passthrough();
const application = z
  .object({ _id: z.string(), displayLabel: z.string().nullish(), name: z.string().nullish() })
  .passthrough();
const edgeList = z.array(z.object({ to: z.object({ id: z.string(), type: z.string() }) }).passthrough());

export type UserGroup = z.infer<typeof group>;

/**
 * The fields we read back: what we manage plus what matching needs. `attributes` too: a
 * mapping's custom attributes are compared with them, and the ones it does not manage must be
 * written back unchanged (JumpCloud replaces the list whole).
 */
export const userFields = [
  ...new Set([
    '_id',
    'username',
    'state',
    'suspended',
    'manager',
    'created',
    'attributes',
    ...MANAGED_FIELDS,
  ]),
].join(' ');

/** JumpCloud's largest page for a v2 list. */
const MEMBERS_PAGE = 100;

export class JumpCloudClient {
  private readonly http: HttpClient;
  private readonly tokens: ServiceAccountTokenSource | undefined;

  constructor(settings: JumpCloudSettings, observe?: RequestObserver) {
    this.tokens = settings.serviceAccount
      ? new ServiceAccountTokenSource(settings.serviceAccount, observe)
      : undefined;
    this.http = new HttpClient(
      'JumpCloud',
      {
        baseUrl: settings.baseUrl,
        headers: {
          ...(settings.apiKey && !settings.serviceAccount ? { 'x-api-key': settings.apiKey } : {}),
          'content-type': 'application/json',
          ...(settings.orgId ? { 'x-org-id': settings.orgId } : {}),
        },
        maxConcurrency: settings.maxConcurrency ?? 4,
        requestsPerSecond: settings.requestsPerSecond,
        timeoutMs: settings.timeoutMs,
      },
      observe,
    );
  }

  /**
   * One API request. With a service account it carries a bearer token; a token JumpCloud
   * refuses (revoked, expired early) is renewed once, transparently.
   */
  private async send<T = unknown>(
    describe: string,
    path: string,
    options: RequestOptions = {},
  ): Promise<JsonResponse<T>> {
    const tokens = this.tokens;
    if (!tokens) return this.http.request<T>(describe, path, options);
    // The token is taken when the request leaves, not when it joins the queue.
    const authorize = async () => ({ authorization: `Bearer ${await tokens.token()}` });
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.http.request<T>(describe, path, { ...options, authorize });
      } catch (err) {
        if (attempt === 0 && err instanceof ApiError && err.status === 401) {
          tokens.invalidate();
          continue;
        }
        throw err;
      }
    }
  }

  /** Checks the API key (and org id) with the cheapest read there is. */
  async checkKey(): Promise<void> {
    try {
      await this.send('key check (GET /api/systemusers)', '/api/systemusers', {
        searchParams: { limit: 1, fields: '_id' },
      });
    } catch (err) {
      if (err instanceof ServiceAccountRefused) throw err;
      if (err instanceof ApiError && (err.status === 401 || err.status === 403)) {
        throw new ApiError(
          'JumpCloud',
          'credentials',
          this.tokens
            ? `JumpCloud refused the service account's token (HTTP ${err.status}): check that the service account ` +
                'JUMPCLOUD_CLIENT_ID is active and its role may read users (README, "JumpCloud Service Accounts").'
            : 'JumpCloud rejected the API key (Unauthorized): set JUMPCLOUD_API_KEY to a current key ' +
                '(JumpCloud Admin Portal → your name → My API Key; keys expire) and, for a multi-tenant admin, JUMPCLOUD_ORG_ID.',
          err.status,
        );
      }
      if (err instanceof ApiError && (err.status === 400 || err.status === 404)) {
        throw new ApiError(
          'JumpCloud',
          'credentials',
          `JumpCloud rejected the organization: check JUMPCLOUD_ORG_ID (${err.message})`,
          err.status,
        );
      }
      throw err;
    }
  }

  /** Exact-match search through POST /api/search/systemusers (no URL-encoding trouble with emails). */
  async findUser(
    field: 'employeeIdentifier' | 'email' | 'username',
    value: string,
  ): Promise<SystemUser | null> {
    const { body } = await this.send<unknown>(`user lookup by ${field}`, '/api/search/systemusers', {
      method: 'POST',
      json: { filter: { and: [{ [field]: value }] }, fields: userFields, limit: 2 },
    });
    const results = answer(userList, body, 'POST /api/search/systemusers').results;
    return results[0] ?? null;
  }

  async findUsersByEmployeeIdentifiers(ids: string[]): Promise<SystemUser[]> {
    return this.findUsersByAny('employeeIdentifier', ids);
  }

  /** Users whose email is any of these (at most 100: one search page). */
  async findUsersByEmails(emails: string[]): Promise<SystemUser[]> {
    return this.findUsersByAny('email', emails);
  }

  private async findUsersByAny(
    field: 'employeeIdentifier' | 'email',
    values: string[],
  ): Promise<SystemUser[]> {
    if (values.length === 0) return [];
    const { body } = await this.send<unknown>(`user lookup by ${field}`, '/api/search/systemusers', {
      method: 'POST',
      json: {
        filter: { or: values.map((value) => ({ [field]: value })) },
        fields: userFields,
        limit: 100,
      },
    });
    return answer(userList, body, 'POST /api/search/systemusers').results;
  }

  async createUser(fields: Record<string, unknown>): Promise<SystemUser> {
    const { body } = await this.send<unknown>('user create (POST /api/systemusers)', '/api/systemusers', {
      method: 'POST',
      json: fields,
    });
    return answer(systemUserSchema, body, 'POST /api/systemusers');
  }

  async updateUser(id: string, patch: Record<string, unknown>): Promise<SystemUser> {
    const { body } = await this.send<unknown>(
      'user update (PUT /api/systemusers/{id})',
      `/api/systemusers/${id}`,
      {
        method: 'PUT',
        json: patch,
      },
    );
    return answer(systemUserSchema, body, 'PUT /api/systemusers/{id}');
  }

  async activateUser(id: string): Promise<void> {
    await this.send('user activation', `/api/systemusers/${id}/state/activate`, {
      method: 'POST',
      json: { email: false },
    });
  }

  /** Group names are unique ignoring case, but v2 filters are case-sensitive: search, then compare. */
  async findGroup(name: string): Promise<UserGroup | null> {
    const { body } = await this.send<unknown>('group lookup (GET /api/v2/usergroups)', '/api/v2/usergroups', {
      searchParams: { filter: `name:search:${name}`, limit: 100 },
    });
    const wanted = name.toLowerCase();
    return (
      answer(z.array(group), body, 'GET /api/v2/usergroups').find((g) => g.name.toLowerCase() === wanted) ??
      null
    );
  }

  /** Finds or creates the group; a 409 (someone created it meanwhile) is a lookup. */
  async ensureGroup(name: string, description: string): Promise<{ group: UserGroup; created: boolean }> {
    const existing = await this.findGroup(name);
    if (existing) return { group: existing, created: false };
    try {
      const { body } = await this.send<unknown>(
        'group create (POST /api/v2/usergroups)',
        '/api/v2/usergroups',
        {
          method: 'POST',
          json: { name, description },
        },
      );
      return { group: answer(group, body, 'POST /api/v2/usergroups'), created: true };
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) {
        const raced = await this.findGroup(name);
        if (raced) return { group: raced, created: false };
      }
      throw err;
    }
  }

  /** Adds a user to a group; an existing member (409) is success. Returns whether it was added now. */
  async addMember(groupId: string, userId: string): Promise<boolean> {
    return this.edge('group membership add', `/api/v2/usergroups/${groupId}/members`, 'add', 'user', userId);
  }

  /** Every member's user id, paging 100 at a time until a short page. */
  async listGroupMembers(groupId: string): Promise<string[]> {
    const path = `/api/v2/usergroups/${groupId}/members`;
    const read = async (skip: number) => {
      const { body, headers } = await this.send<unknown>('group members', path, {
        searchParams: { limit: MEMBERS_PAGE, skip },
      });
      const page = answer(edgeList, body, 'GET /api/v2/usergroups/{id}/members');
      return { ids: page.map((e) => e.to.id), total: Number(headers['x-total-count']) };
    };
    // The first answer tells the total (x-total-count): the other pages are then asked at once,
    // paced by the client's caps, instead of one round trip after another (a group of 20,000
    // is 200 pages). Without the header, or when a later total says the group grew meanwhile,
    // the pages after are read one by one until a short one.
    const pages = [await read(0)];
    const first = pages[0]!;
    if (first.ids.length === MEMBERS_PAGE && Number.isInteger(first.total)) {
      const skips: number[] = [];
      for (let skip = MEMBERS_PAGE; skip < first.total; skip += MEMBERS_PAGE) skips.push(skip);
      pages.push(...(await Promise.all(skips.map(read))));
    }
    const known = () => {
      const totals = pages.map((p) => p.total).filter(Number.isInteger);
      return totals.length > 0 ? Math.max(...totals) : Infinity;
    };
    while (pages.at(-1)!.ids.length === MEMBERS_PAGE && pages.length * MEMBERS_PAGE < known())
      pages.push(await read(pages.length * MEMBERS_PAGE));
    return [...new Set(pages.flatMap((p) => p.ids))];
  }

  /** Removes a user from a group; not a member (404) is success. */
  async removeMember(groupId: string, userId: string): Promise<boolean> {
    return this.edge(
      'group membership remove',
      `/api/v2/usergroups/${groupId}/members`,
      'remove',
      'user',
      userId,
    );
  }

  async findApplication(displayLabel: string): Promise<{ id: string; displayLabel: string } | null> {
    const { body } = await this.send<unknown>(
      'application lookup (GET /api/applications)',
      '/api/applications',
      {
        searchParams: { filter: `displayLabel:$eq:${displayLabel}`, limit: 100 },
      },
    );
    const apps = answer(z.object({ results: z.array(application) }), body, 'GET /api/applications').results;
    const app = apps.find((a) => a.displayLabel === displayLabel);
    return app ? { id: app._id, displayLabel } : null;
  }

  async bindGroupToApplication(appId: string, groupId: string): Promise<boolean> {
    return this.edge(
      'application binding',
      `/api/v2/applications/${appId}/associations`,
      'add',
      'user_group',
      groupId,
    );
  }

  async listApplicationGroups(appId: string): Promise<string[]> {
    const { body } = await this.send<unknown>(
      'application bindings',
      `/api/v2/applications/${appId}/associations`,
      {
        searchParams: { targets: 'user_group', limit: 100 },
      },
    );
    return answer(edgeList, body, 'GET /api/v2/applications/{id}/associations').map((e) => e.to.id);
  }

  /** v2 graph edges: 204 = changed now; 409 on add / 404 on remove = already so. */
  private async edge(
    describe: string,
    path: string,
    op: 'add' | 'remove',
    type: string,
    id: string,
  ): Promise<boolean> {
    try {
      await this.send(describe, path, { method: 'POST', json: { op, type, id } });
      return true;
    } catch (err) {
      if (
        err instanceof ApiError &&
        ((op === 'add' && err.status === 409) || (op === 'remove' && err.status === 404))
      )
        return false;
      throw err;
    }
  }
}
