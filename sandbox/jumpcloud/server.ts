/**
 * The JumpCloud sandbox: a real HTTP server speaking the parts of JumpCloud's Directory API
 * (v1 system users and applications, v2 user groups, members and associations) that the
 * import uses, with fault switches, write counters and admin routes for tests and demos.
 *
 *   const jc = createJumpCloudSandbox();
 *   const url = await jc.listen();           // http://127.0.0.1:<port>
 *   … point the client at `${url}/api` with x-api-key: SANDBOX_JUMPCLOUD_API_KEY …
 *   await jc.close();
 *
 * Behaviour follows shared/docs/jumpcloud-api.md. Where the doc leaves a choice open:
 * - username uniqueness ignores case (like email); filters stay case-sensitive;
 * - a username may be changed by PUT (the sandbox binds no resources that would forbid it);
 * - POST …/state/activate on an ACTIVATED user is a 200 no-op; on a SUSPENDED user it is a
 *   400 (reactivate with PUT {"state":"ACTIVATED"});
 * - deleting a user removes its group memberships and clears `manager` on its reports;
 * - DELETE /api/v2/usergroups/{id} answers 204 and drops the group's members and associations;
 * - membership lag (faults.membershipLagMs) applies to member and memberof reads only, never
 *   to writes (409/404 see the truth) nor to /_sandbox/state;
 * - malformed ids are simply unknown (404), and `limit` must be 1..100 (0 is a 400).
 */
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import { installFaults, type FaultController, type FaultSettings } from '../faults.js';
import { installStats, type StatsRecorder } from '../stats.js';
import { seedGroups, seedUsers, registerAdminRoutes } from './admin.js';
import {
  DEFAULT_APPLICATIONS,
  registerApplicationRoutes,
  seedApplication,
  type ApplicationSeed,
} from './applications.js';
import { installAuth } from './auth.js';
import { installServiceAccount, type ServiceAccountTokens } from './oauth.js';
import type { SandboxContext } from './context.js';
import { ApiError, badRequest, jumpCloudErrorBody } from './errors.js';
import { registerGroupRoutes } from './groups.js';
import { isObjectId } from './ids.js';
import { StatePersistence } from './persistence.js';
import { JumpCloudStore, type SystemUser, type UserGroup, type UserState } from './store.js';
import { registerUserRoutes } from './users.js';

export const SANDBOX_JUMPCLOUD_API_KEY = 'sandbox-jumpcloud-api-key';
/** The sandbox's service account (OAuth client credentials, token at `<url>/oauth2/token`). */
export const SANDBOX_JUMPCLOUD_CLIENT_ID = 'sandbox-service-account';
export const SANDBOX_JUMPCLOUD_CLIENT_SECRET = 'sandbox-service-account-secret';
/** The organisation users belong to when no orgId is configured. */
export const SANDBOX_JUMPCLOUD_ORGANIZATION = '5f0000000000000000000001';

export interface JumpCloudSandboxOptions {
  /** Key every /api request must carry in `x-api-key` (default SANDBOX_JUMPCLOUD_API_KEY). */
  apiKey?: string;
  /** When set (24 hex), `x-org-id` is required: missing 401, malformed 400, other org 404. */
  orgId?: string;
  /** The service account whose tokens are accepted like the key (default: the SANDBOX_ ones). */
  serviceAccount?: { clientId: string; clientSecret: string; tokenLifetimeSeconds?: number };
  /** Applications in a fresh org (default: one, displayLabel "Personio Import"). */
  seedApplications?: readonly ApplicationSeed[];
  /** Fault switches in force from the start. */
  faults?: Partial<FaultSettings>;
  /** Keep the directory in this JSON file across restarts. */
  stateFile?: string;
  /** Milliseconds since the epoch (default Date.now); tests move it for membership lag. */
  clock?: () => number;
  /** State of users created without one (default STAGED, like a directory integration). */
  defaultState?: UserState;
  /** Status of a duplicate user create: 400 (default, most deployments) or 409. */
  duplicateUserStatus?: 400 | 409;
  /** Fastify logging (default off). */
  logger?: boolean;
}

export interface JumpCloudSandbox {
  app: FastifyInstance;
  /** Base URL (`http://127.0.0.1:<port>`); only after listen(). The API lives under `/api`. */
  readonly url: string;
  listen(port?: number, host?: string): Promise<string>;
  close(): Promise<void>;
  faults: FaultController;
  stats: StatsRecorder;
  store: JumpCloudStore;
  /** Empty directory plus seed applications; stats and faults cleared (as POST /_sandbox/reset). */
  reset(): void;
  /** Accept only this API key from now on (revokes the old one). */
  setApiKey(key: string): void;
  /** The service account's tokens: how many were issued; revoke them all. */
  serviceAccount: ServiceAccountTokens;
  /** Create users without counting writes (as POST /_sandbox/users). */
  seedUsers(users: readonly unknown[]): SystemUser[];
  /** Create groups, optionally with `members`, without counting writes (as POST /_sandbox/groups). */
  seedGroups(groups: readonly unknown[]): UserGroup[];
}

/** JSON bodies, where an empty body (e.g. a bare POST …/state/activate) means "no body". */
function installJsonParser(app: FastifyInstance): void {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch {
      done(badRequest('request body is not valid JSON'), undefined);
    }
  });
}

/** Every error leaves as JumpCloud's `{"message": …}` with its status. */
function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | ApiError, _request, reply) => {
    const status = error instanceof ApiError ? error.status : (error.statusCode ?? 500);
    const message = status >= 500 && !(error instanceof ApiError) ? 'Internal Server Error' : error.message;
    return reply.code(status).send(jumpCloudErrorBody(status, message));
  });
  app.setNotFoundHandler((_request, reply) => reply.code(404).send(jumpCloudErrorBody(404, 'Not Found')));
}

/** Restore the directory from the state file; a bad file stops start-up (and leaves no exit hook). */
function loadState(persistence: StatePersistence | undefined): boolean {
  try {
    return persistence?.load() ?? false;
  } catch (error) {
    persistence?.dispose();
    throw error;
  }
}

export function createJumpCloudSandbox(options: JumpCloudSandboxOptions = {}): JumpCloudSandbox {
  const { orgId } = options;
  if (orgId !== undefined && !isObjectId(orgId)) {
    throw new Error(`orgId must be 24 lower-case hex characters, got ${JSON.stringify(orgId)}`);
  }
  const app = Fastify({ logger: options.logger ?? false, forceCloseConnections: true });
  installJsonParser(app);
  installErrorHandling(app);
  // Order matters: faults first (a 429 or reset happens before anything else), then auth.
  const faults = installFaults(app, jumpCloudErrorBody, options.faults);
  const stats = installStats(app);
  const now = options.clock ?? Date.now;
  const serviceAccount = installServiceAccount(
    app,
    options.serviceAccount ?? {
      clientId: SANDBOX_JUMPCLOUD_CLIENT_ID,
      clientSecret: SANDBOX_JUMPCLOUD_CLIENT_SECRET,
    },
    now,
  );
  const setApiKey = installAuth(app, {
    apiKey: options.apiKey ?? SANDBOX_JUMPCLOUD_API_KEY,
    orgId: options.orgId,
    bearer: serviceAccount,
  });

  const store = new JumpCloudStore();
  const ctx: SandboxContext = {
    store,
    stats,
    faults,
    now,
    organization: options.orgId ?? SANDBOX_JUMPCLOUD_ORGANIZATION,
    defaultState: options.defaultState ?? 'STAGED',
    duplicateUserStatus: options.duplicateUserStatus ?? 400,
  };
  const seedApplications = () => {
    for (const seed of options.seedApplications ?? DEFAULT_APPLICATIONS) seedApplication(ctx, seed);
  };

  const persistence = options.stateFile ? new StatePersistence(options.stateFile, store) : undefined;
  if (!loadState(persistence)) seedApplications();
  if (persistence) store.onChange = () => persistence.scheduleSave();

  const reset = () => {
    store.clear();
    seedApplications();
    stats.clear();
    faults.clear();
  };

  registerUserRoutes(app, ctx);
  registerGroupRoutes(app, ctx);
  registerApplicationRoutes(app, ctx);
  registerAdminRoutes(app, ctx, reset);

  let url: string | undefined;
  return {
    app,
    get url() {
      if (!url) throw new Error('JumpCloud sandbox is not listening yet: call listen() first');
      return url;
    },
    async listen(port = 0, host = '127.0.0.1') {
      url = await app.listen({ port, host });
      return url;
    },
    async close() {
      await app.close();
      persistence?.dispose();
    },
    faults,
    stats,
    store,
    reset,
    setApiKey,
    serviceAccount,
    seedUsers: (users) => seedUsers(ctx, [...users]),
    seedGroups: (groups) => seedGroups(ctx, [...groups]),
  };
}
